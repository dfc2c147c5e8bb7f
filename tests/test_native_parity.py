"""Real-world-shaped templates: the native tool and scaffold write identical trees, and the
native update path works on scaffold's result (issue 17, "Done when").

Cases and helpers live in tests/native_cases.py (benchmarks/native_parity.py prints the same
comparison as a table).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gitrepo import IDENTITY
from native_cases import (
    CASES,
    Case,
    build_template,
    copier_answers,
    copier_update,
    cruft_round_trip,
    differences,
    render_cruft,
    render_native,
    render_scaffold,
    rendered_release,
    tree,
)

cruft = pytest.importorskip("cruft", reason="cruft is in the test extra (pip install -e .[test])")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPIER_CACHE_DIR", str(tmp_path / "copier-cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no ~/.cookiecutterrc, no replay
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_native_and_scaffold_write_the_same_tree_and_native_updates_work(
    case: Case, tmp_path: Path
) -> None:
    template = build_template(case, tmp_path)
    native = render_native(case, template, tmp_path / "native")
    ours = tmp_path / "ours" / native.name
    ours.parent.mkdir()

    done = render_scaffold(case, template, ours)

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["kind"] == case.kind
    theirs, mine = tree(native), tree(ours)
    assert not differences(theirs, mine), differences(theirs, mine)
    assert rendered_release(mine) == case.expect_release
    if case.kind == "copier":
        recorded, expected = copier_answers(ours, case), copier_answers(native, case)
        assert recorded == expected  # same source, release and answers
        assert copier_update(case, template, ours).startswith("updated to")
    else:
        created = render_cruft(case, template, tmp_path / "cruft")
        assert not differences(tree(created), mine)
        cruft_file = (created / ".cruft.json").read_text()
        assert (ours / ".cruft.json").read_text() == cruft_file
        assert cruft_round_trip(case, template, ours).startswith("cruft check passed")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_scaffold_verify_passes_on_what_real_templates_render(case: Case, tmp_path: Path) -> None:
    """`--verify` used to fail on scaffold's own style rules (line length, MD041, MD033)."""
    from generator.verify import verify

    template = build_template(case, tmp_path)
    ours = tmp_path / "ours" / case.name
    ours.parent.mkdir()
    assert render_scaffold(case, template, ours).returncode == 0

    report = verify([ours], skip=["tests"])

    failed = {r.check: r.reason for r in report.results if r.status == "failed"}
    assert report.ok, failed

"""scaffold's own CI: the samples workflow is valid, its matrix is the samples, all verify."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator import list_samples
from generator.verify import verify

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def test_own_workflows_match_githubs_schema() -> None:
    schema = Path(sys.executable).parent / "check-jsonschema"
    done = subprocess.run(
        [str(schema), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    samples = yaml.safe_load((REPO / ".github" / "workflows" / "samples.yml").read_text())
    steps = " ".join(step.get("run", "") for step in samples["jobs"]["sample"]["steps"])
    assert "samples regenerate --check --sample" in steps and "scaffold verify" in steps


def test_matrix_lists_every_sample(cli) -> None:
    result = cli("samples", "matrix", "--json")
    include = json.loads(result.stdout)["include"]
    assert [row["sample"] for row in include] == [s.sample for s in list_samples()]
    assert all((REPO / row["path"]).is_dir() for row in include)


@pytest.mark.slow
def test_every_sample_verifies() -> None:
    paths = [Path(s.path) for s in list_samples()]
    report = verify(paths)
    failed = [
        f"{Path(r.repo).name} {r.check}: {r.reason[:300]}"
        for r in report.results
        if r.status == "failed"
    ]
    assert report.ok, failed


def test_ci_fails_where_a_prerequisite_it_installs_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """.ci/run installs moto's server and PostgreSQL and says so with SCAFFOLD_CI=1: a test
    missing them fails there instead of passing as a skip; elsewhere it skips with the reason."""
    from conftest import skip_unless_ci

    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "export SCAFFOLD_CI=1" in ci
    assert ci.index("export SCAFFOLD_CI=1") < ci.rindex("make test")
    assert "packages+=(postgresql)" in ci

    monkeypatch.setenv("SCAFFOLD_CI", "1")
    with pytest.raises(pytest.fail.Exception, match="no moto"):
        skip_unless_ci("no moto")
    monkeypatch.delenv("SCAFFOLD_CI")
    with pytest.raises(pytest.skip.Exception, match="no moto"):
        skip_unless_ci("no moto")

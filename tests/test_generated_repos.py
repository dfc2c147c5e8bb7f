"""Every sample, generated fresh, passes its own test suite and its own linters."""

from __future__ import annotations

import subprocess
from contextlib import ExitStack
from pathlib import Path

import postgres
import pytest

from generator import generate
from generator.samples import load_samples
from generator.spec.answers import build_spec
from generator.spec.registry import resolve_type
from generator.testenv import ensure_venv, run_repo_tests

REPO = Path(__file__).resolve().parent.parent
SAMPLES = load_samples(REPO / "samples")

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_generated_repository_passes_its_own_tests_and_lint(
    tmp_path: Path, sample: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    definition = SAMPLES[sample]
    spec = build_spec(resolve_type(definition.type).model, definition.name, definition.answers)
    repo = Path(generate(spec, tmp_path / definition.name).destination)

    with ExitStack() as stack:
        if definition.answers.get("database") == "postgres":
            # tests/test_migrate.py runs the migration task against a real PostgreSQL
            monkeypatch.setenv("TEST_DATABASE_URL", stack.enter_context(postgres.server()))
        run = run_repo_tests(repo)
    assert run.ok, run.output
    assert run.passed >= 5 and run.failed == 0, run.output
    # Every test that needs something runs here (the database's against a real server); the
    # one skip a repository may report is for a test its answers make moot.
    skipped = [line for line in run.output.splitlines() if line.startswith("SKIPPED")]
    moot = "the load balancer probes one of the standard endpoints"
    assert all(moot in line for line in skipped), skipped

    venv, reused = ensure_venv(repo)
    assert reused, "the second use of an unchanged repository must reuse its venv"
    # The repository's own `make lint`: ruff, ruff format and the Markdown linter, with the
    # tools of its venv.
    lint = subprocess.run(
        ["make", "lint", f"VENV={venv}"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert "pymarkdown" in lint.stdout, "make lint must run the Markdown linter"

"""The generated repository's own test suite, in an isolated, cached virtual environment."""

from __future__ import annotations

from pathlib import Path

from generator.testenv import find_uv, run_repo_tests
from generator.verify.checks._util import PerRepoCheck, not_installed
from generator.verify.model import Status


class RepoTestsCheck(PerRepoCheck):
    """`pytest` of the repository passes (in a uv venv cached by pyproject.toml)."""

    name = "tests"
    description = "The repository's own tests pass"

    def check_repo(self, repo: Path) -> tuple[Status, str]:
        """Run the repository's pytest suite in its cached venv."""
        if not (repo / "pyproject.toml").is_file():
            return "skipped", "no pyproject.toml"
        if find_uv() is None:
            return "skipped", not_installed("uv (runs the repository's tests)")
        run = run_repo_tests(repo.resolve())
        summary = f"{run.passed} passed, {run.failed} failed"
        return ("passed", summary) if run.ok else ("failed", f"{summary}\n{run.output}")

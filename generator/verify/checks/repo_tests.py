"""The generated repository's own test suite, in an isolated, cached virtual environment."""

from __future__ import annotations

from pathlib import Path

from generator.testenv import run_repo_tests
from generator.verify.checks._util import per_repo
from generator.verify.model import CheckResult, Status


class RepoTestsCheck:
    """`pytest` of the repository passes (in a uv venv cached by pyproject.toml)."""

    name = "tests"
    description = "The repository's own tests pass"

    def run(self, repos: list[Path]) -> list[CheckResult]:
        """Run every repository's test suite."""
        return per_repo(self.name, repos, self._one)

    def _one(self, repo: Path) -> tuple[Status, str]:
        if not (repo / "pyproject.toml").is_file():
            return "skipped", "no pyproject.toml"
        run = run_repo_tests(repo.resolve())
        summary = f"{run.passed} passed, {run.failed} failed"
        return ("passed", summary) if run.ok else ("failed", f"{summary}\n{run.output}")

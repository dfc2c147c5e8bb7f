"""The generated repository's own test suite, in an isolated, cached virtual environment."""

from __future__ import annotations

import subprocess
from pathlib import Path

from generator.errors import ScaffoldError
from generator.testenv import find_uv, run_repo_tests
from generator.verify.checks._util import PerRepoCheck
from generator.verify.model import Status

#: pytest's exit code when it collected no test.
NO_TESTS_COLLECTED = 5


class RepoTestsCheck(PerRepoCheck):
    """`pytest` of the repository passes (in a uv venv cached by pyproject.toml)."""

    name = "tests"
    description = "The repository's own tests pass"

    def check_repo(self, repo: Path) -> tuple[Status, str]:
        """Run the repository's pytest suite in its cached venv."""
        if not (repo / "pyproject.toml").is_file():
            return "skipped", "no pyproject.toml"
        if find_uv() is None:
            return "skipped", "uv is not installed (it builds the test environment)"
        try:
            run = run_repo_tests(repo.resolve())
        except ScaffoldError as exc:  # its dependencies did not install
            return "failed", f"the test environment could not be built: {exc.message}"
        except subprocess.TimeoutExpired as exc:
            return "failed", f"timed out after {exc.timeout:.0f} s: {' '.join(map(str, exc.cmd))}"
        if run.exit_code == NO_TESTS_COLLECTED:
            return "skipped", "pytest collected no tests"
        summary = f"{run.passed} passed, {run.failed} failed"
        return ("passed", summary) if run.ok else ("failed", f"{summary}\n{run.output}")

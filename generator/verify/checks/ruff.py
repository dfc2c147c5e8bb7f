"""ruff lint and format check of the application, with the repository's own configuration."""

from __future__ import annotations

from pathlib import Path

from generator.verify.checks._util import PerRepoCheck, not_installed, run_tool, tool
from generator.verify.model import Status


class RuffCheck(PerRepoCheck):
    """`ruff check` and `ruff format --check` pass."""

    name = "ruff"
    description = "Python code passes ruff (lint and format)"

    def check_repo(self, repo: Path) -> tuple[Status, str]:
        """Run ruff check and ruff format --check in the repository."""
        binary = tool("ruff")
        if binary is None:
            return "skipped", not_installed("ruff")
        if not any(repo.rglob("*.py")):
            return "skipped", "no Python files"
        for args in (["check", "--no-cache", "."], ["format", "--check", "--no-cache", "."]):
            code, output = run_tool([binary, *args], cwd=repo)
            if code != 0:
                return "failed", f"ruff {args[0]}: {output}"
        return "passed", ""

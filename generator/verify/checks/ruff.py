"""ruff lint and format check of the application, with the repository's own configuration."""

from __future__ import annotations

from pathlib import Path

from generator.verify.checks._config import RUFF_FILES, find_config, ruff_formats
from generator.verify.checks._util import PerRepoCheck, run_tool, tool
from generator.verify.model import Status

#: What is wrong whatever the style: syntax errors, and names that cannot resolve.
CORRECTNESS_RULES = "E9,F63,F7,F82"


class RuffCheck(PerRepoCheck):
    """`ruff check` and `ruff format --check` pass."""

    name = "ruff"
    description = "Python code passes ruff (lint and format)"

    def check_repo(self, repo: Path) -> tuple[Status, str]:
        """Run ruff check (and ruff format --check where the repository formats with ruff)."""
        binary = tool("ruff")
        if binary is None:
            return "skipped", "ruff is not installed"
        if not any(repo.rglob("*.py")):
            return "skipped", "no Python files"
        config = find_config(repo, "ruff", RUFF_FILES, "ruff")
        if config.source == "none":
            args = ["check", "--isolated", "--no-cache", "--select", CORRECTNESS_RULES, "."]
            code, output = run_tool([binary, *args], cwd=repo)
            if code != 0:
                return "failed", f"ruff check (syntax errors, undefined names): {output}"
            return "passed", f"syntax errors and undefined names only; {config.reason}"
        runs = [["check", "--no-cache", "."]]
        formats = ruff_formats(repo, config)
        if formats:
            runs.append(["format", "--check", "--no-cache", "."])
        for args in runs:
            code, output = run_tool([binary, *args], cwd=repo)
            if code != 0:
                return "failed", f"ruff {args[0]}: {output}"
        return "passed", "" if formats else "lint only: the repository does not format with ruff"

"""yamllint over the repository's YAML files."""

from __future__ import annotations

from pathlib import Path

from generator.verify.checks._util import PerRepoCheck, not_installed, run_tool, tool
from generator.verify.model import Status

# yamllint's default rules, except: GitHub workflows use `on:` (a YAML 1.1 truthy) and long
# `run:` lines, and block sequences may sit at their key's indentation (as PyYAML and Copier
# write them) as long as a file is consistent.
CONFIG = (
    "{extends: default, rules: {truthy: {check-keys: false}, line-length: {max: 160}, "
    "indentation: {indent-sequences: consistent}, document-start: disable, "
    "comments: {min-spaces-from-content: 1}}}"
)


class YamllintCheck(PerRepoCheck):
    """Every YAML file passes yamllint."""

    name = "yamllint"
    description = "YAML files pass yamllint"

    def check_repo(self, repo: Path) -> tuple[Status, str]:
        """Lint every YAML file of the repository."""
        binary = tool("yamllint")
        if binary is None:
            return "skipped", not_installed("yamllint")
        files = [
            p
            for p in [*repo.rglob("*.yml"), *repo.rglob("*.yaml")]
            if not {".venv", ".terraform", "node_modules"} & set(p.parts)
        ]
        if not files:
            return "skipped", "no YAML files"
        code, output = run_tool([binary, "-f", "parsable", "-d", CONFIG, *map(str, files)])
        return ("failed", output) if code != 0 else ("passed", "")

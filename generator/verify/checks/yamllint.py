"""yamllint over the repository's YAML files."""

from __future__ import annotations

from pathlib import Path

from generator.verify.checks._config import YAMLLINT_FILES, find_config
from generator.verify.checks._util import PerRepoCheck, run_tool, tool
from generator.verify.model import Status

# yamllint's default rules, except: GitHub workflows use `on:` (a YAML 1.1 truthy) and long
# `run:` lines, and block sequences may sit at their key's indentation (as PyYAML and Copier
# write them) as long as a file is consistent.
CONFIG = (
    "{extends: default, rules: {truthy: {check-keys: false}, line-length: {max: 160}, "
    "indentation: {indent-sequences: consistent}, document-start: disable, "
    "comments: {min-spaces-from-content: 1}}}"
)
#: For a repository with no yamllint configuration of its own: what is wrong whatever the
#: style (a syntax error always is), no style rules.
CORRECTNESS_CONFIG = "{rules: {key-duplicates: enable}}"


class YamllintCheck(PerRepoCheck):
    """Every YAML file passes yamllint."""

    name = "yamllint"
    description = "YAML files pass yamllint"

    def check_repo(self, repo: Path) -> tuple[Status, str]:
        """Lint every YAML file of the repository."""
        binary = tool("yamllint")
        if binary is None:
            return "skipped", "yamllint is not installed"
        files = [
            p
            for p in [*repo.rglob("*.yml"), *repo.rglob("*.yaml")]
            if not {".venv", ".terraform", "node_modules"} & set(p.parts)
        ]
        if not files:
            return "skipped", "no YAML files"
        config = find_config(repo, "yamllint", YAMLLINT_FILES, None)
        if config.path is not None:
            rules = ["-c", str(config.path)]
        else:
            rules = ["-d", CONFIG if config.source == "scaffold" else CORRECTNESS_CONFIG]
        code, output = run_tool([binary, "-f", "parsable", *rules, *map(str, files)], cwd=repo)
        if code != 0:
            return "failed", output
        if config.source == "none":
            return "passed", f"syntax and duplicate keys only; {config.reason}"
        return "passed", ""

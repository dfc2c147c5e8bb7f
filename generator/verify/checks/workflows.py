"""GitHub workflows against GitHub's schema (check-jsonschema), and actionlint when present."""

from __future__ import annotations

from pathlib import Path

from generator.verify.checks._util import PerRepoCheck, not_installed, run_tool, tool
from generator.verify.model import Status


def workflow_files(repo: Path) -> list[Path]:
    """The repository's workflow files."""
    folder = repo / ".github" / "workflows"
    return sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")])


class WorkflowsCheck(PerRepoCheck):
    """Every workflow validates against the bundled GitHub workflow schema."""

    name = "workflows"
    description = "GitHub workflows match GitHub's schema (and actionlint when installed)"

    def check_repo(self, repo: Path) -> tuple[Status, str]:
        """Validate the workflows against GitHub's schema (and actionlint)."""
        files = workflow_files(repo)
        if not files:
            return "skipped", "no .github/workflows/"
        schema = tool("check-jsonschema")
        if schema is None:
            return "skipped", not_installed("check-jsonschema")
        code, output = run_tool(
            [schema, "--builtin-schema", "vendor.github-workflows", *map(str, files)]
        )
        if code != 0:
            return "failed", output
        actionlint = tool("actionlint")
        if actionlint:
            code, output = run_tool([actionlint, *map(str, files)], cwd=repo)
            if code != 0:
                return "failed", f"actionlint: {output}"
            return "passed", "schema and actionlint"
        return "passed", "schema (actionlint not installed)"

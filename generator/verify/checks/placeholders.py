"""No placeholder organisation or team (example-org, ...) left where it decides access."""

from __future__ import annotations

from pathlib import Path

from generator.placeholders import PLACEHOLDER_VALUES, find
from generator.verify.checks._util import PerRepoCheck
from generator.verify.model import Status


class PlaceholdersCheck(PerRepoCheck):
    """CODEOWNERS, workflows and Terraform hold no placeholder such as `example-org`."""

    name = "placeholders"
    description = "No placeholder (example-org, ...) in CODEOWNERS, workflows or Terraform"

    def check_repo(self, repo: Path) -> tuple[Status, str]:
        """Look for the known placeholder values in the security-relevant files."""
        found = find(repo, PLACEHOLDER_VALUES)
        if not found:
            return "passed", ""
        lines = []
        for value, hits in sorted(found.items()):
            shown = ", ".join(hits[:6]) + (f" and {len(hits) - 6} more" if len(hits) > 6 else "")
            lines.append(f"placeholder {value!r} at {shown}")
        return "failed", (
            "; ".join(lines) + ". It decides who may deploy (OIDC trust), where state lives and "
            "who reviews: regenerate with your values (e.g. --data github_org=<organisation>) "
            "or replace them in those files and in .copier-answers.yml"
        )

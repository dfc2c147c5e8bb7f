"""--help output is a committed snapshot; refresh with SCAFFOLD_UPDATE_SNAPSHOTS=1 pytest."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from generator.cli import app

SNAPSHOTS = Path(__file__).parent / "snapshots"
COMMANDS = [
    [],
    ["types"],
    ["schema"],
    ["new"],
    ["verify"],
    ["update"],
    ["check"],
    ["samples"],
    ["samples", "regenerate"],
    ["adr", "new"],
    ["spec"],
    ["prompts"],
    ["prompts", "eval"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c) or "scaffold")
def test_help_matches_snapshot(command: list[str]) -> None:
    runner = CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})
    result = runner.invoke(app, [*command, "--help"], prog_name="scaffold")
    assert result.exit_code == 0
    snapshot = SNAPSHOTS / f"help-{'-'.join(command) or 'scaffold'}.txt"
    if os.environ.get("SCAFFOLD_UPDATE_SNAPSHOTS") == "1":
        snapshot.write_text(result.stdout, encoding="utf-8")
    assert snapshot.is_file(), "run: SCAFFOLD_UPDATE_SNAPSHOTS=1 pytest tests/test_help.py"
    assert result.stdout == snapshot.read_text(encoding="utf-8")


def test_every_command_takes_json() -> None:
    """Machines drive every command: each leaf command has --json (README: JSON output)."""
    import typer

    def leaves(command: Any, path: str) -> list[tuple[str, Any]]:
        if hasattr(command, "commands"):  # a group (typer vendors its own click)
            return [
                leaf
                for name, sub in command.commands.items()
                for leaf in leaves(sub, f"{path} {name}")
            ]
        return [(path, command)]

    found = leaves(typer.main.get_command(app), "scaffold")
    assert len(found) >= 16
    missing = [
        path
        for path, command in found
        if not any("--json" in getattr(p, "opts", ()) for p in command.params)
    ]
    assert not missing, missing

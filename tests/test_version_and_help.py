"""`scaffold --version`, and help that lists every command with its whole summary."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from generator.cli import app
from generator.resources import installed_version, recorded_template_version, template_root


def test_version_prints_scaffold_and_template_versions() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    first, second = result.stdout.splitlines()
    assert first == f"scaffold {installed_version()}"
    assert second.startswith(f"templates {recorded_template_version(template_root())} (")


def test_version_is_fast_to_start() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from generator.cli import app\n"
        "assert CliRunner().invoke(app, ['--version']).exit_code == 0\n"
        "heavy = [m for m in ('copier', 'pydantic', 'openai') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def first_sentence(text: str) -> str:
    words = text.partition("\n\n")[0].split()
    for i, word in enumerate(words):
        if word.endswith(".") and (i == len(words) - 1 or not words[i + 1][0].islower()):
            return " ".join(words[: i + 1])
    return " ".join(words)


GROUPS = [[], ["prompts"], ["samples"], ["adr"], ["export"]]


@pytest.mark.parametrize("group", GROUPS, ids=lambda g: " ".join(g) or "scaffold")
@pytest.mark.parametrize("columns", ["80", "100"])
def test_help_lists_every_command_with_its_whole_summary(group: list[str], columns: str) -> None:
    command = typer.main.get_command(app)
    for name in group:
        command = command.commands[name]  # type: ignore[attr-defined]
    runner = CliRunner(env={"COLUMNS": columns, "NO_COLOR": "1", "TERM": "dumb"})
    shown = runner.invoke(app, [*group, "--help"]).stdout
    listing = " ".join(shown.partition("Commands:")[2].split())
    for name, sub in command.commands.items():  # type: ignore[attr-defined]
        summary = first_sentence(sub.help or "")
        assert re.search(rf"\b{name} {re.escape(summary)}", listing), (name, summary)

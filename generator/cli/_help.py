"""Help text: command summaries in full (click shortens them to fit one line, mid-sentence)."""

from __future__ import annotations

import textwrap
from typing import Any

from typer.core import TyperGroup

# No summary is cut: the first sentence of each command's help, wrapped under its name.
_NO_LIMIT = 10_000


class FullHelpGroup(TyperGroup):
    """A command group whose `--help` lists each command with its whole first sentence."""

    def format_commands(self, ctx: Any, formatter: Any) -> None:  # click's Context, formatter
        """Like click's, without shortening the summaries or splitting `--data-file`."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=_NO_LIMIT)))
        if not rows:
            return
        with formatter.section("Commands"):
            indent = " " * formatter.current_indent
            first = max(len(name) for name, _ in rows) + 2
            width = max(30, formatter.width - formatter.current_indent - first)
            for name, text in rows:
                lines = textwrap.wrap(text, width, break_on_hyphens=False) or [""]
                formatter.write(f"{indent}{name.ljust(first)}{lines[0]}\n")
                for line in lines[1:]:
                    formatter.write(f"{indent}{' ' * first}{line}\n")

"""Help text: command summaries in full (click shortens them to fit one line, mid-sentence)."""

from __future__ import annotations

import textwrap
from typing import Any

from typer.core import TyperCommand, TyperGroup

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


#: Placeholders in a parameter's help, filled from the registry when the help is shown (not at
#: import: `scaffold --version` loads no service type).
TYPES = "{types}"  # web-service, batch-service or event-service
TYPES_AND_ALIASES = "{types-and-aliases}"  # web-service, batch-service, event-service (or web, ...)


def type_names(text: str) -> str:
    """`text` with TYPES and TYPES_AND_ALIASES replaced by the registered service types."""
    from generator.spec.registry import all_types

    types = all_types()
    names = [t.name for t in types]
    listed = " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    aliases = f"{', '.join(names)} (or {', '.join(t.alias for t in types)})"
    return text.replace(TYPES_AND_ALIASES, aliases).replace(TYPES, listed)


class TypesHelpCommand(TyperCommand):
    """A command whose parameters' help names the service types scaffold knows."""

    def format_help(self, ctx: Any, formatter: Any) -> None:  # click's Context, formatter
        """Fill in the service types (as registered now), then format the help as usual."""
        templates = {param: getattr(param, "help", None) for param in self.params}
        try:
            for param, text in templates.items():
                if text and (TYPES in text or TYPES_AND_ALIASES in text):
                    param.help = type_names(text)  # type: ignore[attr-defined]
            super().format_help(ctx, formatter)
        finally:
            for param, text in templates.items():
                param.help = text  # type: ignore[attr-defined]

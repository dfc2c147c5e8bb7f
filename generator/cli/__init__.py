"""The `scaffold` command line: thin typer commands over the library in `generator`."""

from __future__ import annotations

import typer

from generator.cli import adr, export, info, llm, mcp, new, samples, update, verify
from generator.cli._errors import ScaffoldGroup

app = typer.Typer(
    cls=ScaffoldGroup,
    name="scaffold",
    help="Generate production-ready AWS service repositories from one validated spec.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
info.register(app)
new.register(app)
llm.register(app)
verify.register(app)
update.register(app)
mcp.register(app)
app.add_typer(samples.app, name="samples")
app.add_typer(adr.app, name="adr")
app.add_typer(export.app, name="export")


def main() -> None:
    """Console-script entry point: SIGTERM and SIGHUP stop scaffold as cleanly as Ctrl-C."""
    from generator import signals

    signals.install()
    app(prog_name="scaffold")

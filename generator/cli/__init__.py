"""The `scaffold` command line: thin typer commands over the library in `generator`."""

from __future__ import annotations

from typing import Annotated

import typer

from generator.cli import adr, export, info, llm, mcp, new, samples, update, verify
from generator.cli._errors import ScaffoldGroup
from generator.cli._help import FullHelpGroup

app = typer.Typer(
    cls=ScaffoldGroup,
    name="scaffold",
    help="Generate production-ready AWS service repositories from one validated spec.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        from generator.resources import version_lines

        for line in version_lines():
            typer.echo(line)
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print scaffold's version and its templates' version, then exit.",
        ),
    ] = False,
) -> None:
    """Generate production-ready AWS service repositories from one validated spec."""


info.register(app)
new.register(app)
llm.register(app)
verify.register(app)
update.register(app)
mcp.register(app)
app.add_typer(samples.app, name="samples", cls=FullHelpGroup)
app.add_typer(adr.app, name="adr", cls=FullHelpGroup)
app.add_typer(export.app, name="export", cls=FullHelpGroup)


def main() -> None:
    """Console-script entry point: SIGTERM and SIGHUP stop scaffold as cleanly as Ctrl-C."""
    from generator import signals

    signals.install()
    app(prog_name="scaffold")

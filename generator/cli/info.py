"""`scaffold types` and `scaffold schema`: what scaffold can generate."""

from __future__ import annotations

from typing import Annotated

import typer

from generator.cli._errors import json_mode
from generator.cli._help import TYPES, TypesHelpCommand
from generator.cli._output import out, print_json

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]


def types(json_: JsonFlag = False) -> None:
    """List the service types and what each creates."""
    from generator import api

    kinds = api.service_types()
    if json_mode(json_):
        print_json(kinds)
        return
    from rich.table import Table

    table = Table(title="Service types", show_lines=True)
    for column in ("type", "alias", "what it is", "what a new repository gets"):
        table.add_column(column)
    for kind in kinds:
        table.add_row(kind.name, kind.alias, kind.summary, "\n".join(kind.creates))
    out.print(table)


def schema(
    service_type: Annotated[str, typer.Argument(help=f"{TYPES}.")],
    json_: Annotated[
        bool, typer.Option("--json", help="Accepted for symmetry: the output is always JSON.")
    ] = True,
) -> None:
    """Print the JSON Schema of a service type's answers."""
    from generator import api

    json_mode(True)
    print_json(api.spec_schema(service_type))


def register(app: typer.Typer) -> None:
    """Add the commands of this module to `app`."""
    app.command()(types)
    app.command(cls=TypesHelpCommand)(schema)

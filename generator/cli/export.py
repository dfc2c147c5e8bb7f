"""`scaffold export backstage TYPE`: a Backstage Software Template of a service type."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from generator.cli._errors import json_mode
from generator.cli._help import TYPES_AND_ALIASES, TypesHelpCommand
from generator.cli._output import print_json, say

app = typer.Typer(help="Export scaffold's service types to other tools.", no_args_is_help=True)


@app.command(cls=TypesHelpCommand)
def backstage(
    service_type: Annotated[
        str,
        typer.Argument(help=f"{TYPES_AND_ALIASES}."),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Destination folder (default: ./backstage-TYPE)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Write into a non-empty folder, replacing its files.")
    ] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Write template.yaml (form from the type's JSON Schema) and the skeleton it fetches."""
    from generator.export.backstage import export_backstage

    json_mode(json_)
    result = export_backstage(service_type, output, force=force)
    if json_:
        print_json(result)
    else:
        say(
            f"wrote the Backstage template of {result.service_type} to {result.destination} "
            f"({len(result.files)} files): register its template.yaml in the catalog"
        )

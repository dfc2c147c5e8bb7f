"""`scaffold adr new "Title"`: the next numbered Architecture Decision Record."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from generator.cli._errors import json_mode
from generator.cli._output import print_json, say

app = typer.Typer(
    help="Architecture Decision Records of a generated repository.", no_args_is_help=True
)


@app.command()
def new(
    title: Annotated[str, typer.Argument(help='The decision\'s title, e.g. "Use Aurora".')],
    repo: Annotated[
        Path, typer.Option("--repo", help="The generated repository (default: here).")
    ] = Path("."),
    json_: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Add docs/adr/NNNN-<title>.md (status Proposed) and list it in docs/adr/README.md."""
    from generator.adr import new_adr

    json_mode(json_)
    written = new_adr(repo, title)
    if json_:
        print_json(written)
    else:
        say(f"wrote {written.path} (ADR {written.number}, Proposed)")
        if not written.index_updated:
            say("docs/adr/README.md has no ADR table: add the record to your index by hand")

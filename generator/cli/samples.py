"""`scaffold samples`: keep the committed sample renders in step with the templates."""

from __future__ import annotations

from typing import Annotated

import typer

from generator.cli._errors import json_mode
from generator.cli._output import out, print_json, say
from generator.errors import CheckFailedError

app = typer.Typer(
    help="Committed sample renders: regenerate them or check for drift.", no_args_is_help=True
)


@app.command()
def regenerate(
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; exit 1 when the committed samples differ from a fresh render.",
        ),
    ] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Render every sample (and copier.yml) from the templates, or check they are current."""
    from generator import samples as library

    json_mode(json_)
    report = library.check_samples() if check else library.regenerate_samples()
    if json_:
        print_json(report)
    else:
        from rich.table import Table

        table = Table(title="samples (check)" if check else "samples (regenerated)")
        for column in ("sample", "status", "files differing"):
            table.add_column(column)
        for item in report.items:
            table.add_row(item.name, item.status, str(len(item.changes)))
        out.print(table)
        for item in report.items if check else []:
            for change in item.changes:
                say(f"{item.name}: {change.kind} {change.path}")
                if change.diff:
                    say(change.diff)
    if check and not report.clean:
        raise CheckFailedError(
            "samples are out of date with the templates; run `scaffold samples regenerate` "
            "and commit the result"
        )

"""`scaffold samples`: keep the committed sample renders in step with the templates."""

from __future__ import annotations

from pathlib import Path
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
    sample: Annotated[
        list[str] | None, typer.Option("--sample", help="Only this sample (repeatable).")
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Render every sample (and copier.yml) from the templates, or check they are current."""
    from generator import samples as library

    json_mode(json_)
    only = sample or []
    report = library.check_samples(only=only) if check else library.regenerate_samples(only=only)
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


@app.command()
def matrix(
    json_: Annotated[
        bool, typer.Option("--json", help="Print the GitHub Actions matrix as JSON.")
    ] = False,
) -> None:
    """List the samples; with --json, a GitHub Actions matrix ({"include": [...]})."""
    from rich.table import Table

    from generator import samples as library

    json_mode(json_)
    samples = library.list_samples()
    if json_:
        root = library.default_samples_dir().parent
        include = [
            {
                "sample": s.sample,
                "type": s.type,
                "name": s.name,
                "path": str(Path(s.path).relative_to(root)),
            }
            for s in samples
        ]
        print_json({"include": include})
        return
    table = Table(title="samples")
    for column in ("sample", "type", "name", "purpose"):
        table.add_column(column)
    for s in samples:
        table.add_row(s.sample, s.type, s.name, s.purpose)
    out.print(table)


@app.command()
def lock(
    upgrade: Annotated[
        bool, typer.Option("--upgrade", help="Take the newest versions, not only what changed.")
    ] = False,
    variant: Annotated[
        list[str] | None,
        typer.Option("--variant", help="Only this variant: web, web-postgres, batch, event."),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Re-resolve the generated services' dependency locks in the templates (needs PyPI)."""
    from rich.table import Table

    from generator import locks as library

    json_mode(json_)
    report = library.refresh_locks(upgrade=upgrade, only=variant or [])
    if json_:
        print_json(report)
        return
    table = Table(title="dependency locks (templates/_shared/locks)")
    for column in ("variant", "type", "changed", "seconds"):
        table.add_column(column)
    for item in report.variants:
        table.add_row(
            item.variant, item.service_type, ", ".join(item.changed) or "-", str(item.seconds)
        )
    out.print(table)
    say("Run `scaffold samples regenerate` and commit both.")

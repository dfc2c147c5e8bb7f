"""`scaffold verify PATH...`: check generated repositories with real tools."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from generator.cli._errors import json_mode
from generator.cli._output import err, out, print_json

if TYPE_CHECKING:
    from generator.verify import VerifyReport

_STYLE = {"passed": "green", "failed": "red", "skipped": "yellow"}


def _table(report: VerifyReport) -> None:
    from rich.table import Table

    table = Table(title=f"scaffold verify ({report.seconds:.1f} s)")
    for column in ("repository", "check", "status", "reason", "seconds"):
        table.add_column(column, overflow="fold")
    for r in report.results:
        reason = r.reason if len(r.reason) < 400 else r.reason[:400] + " ..."
        table.add_row(
            Path(r.repo).name,
            r.check,
            f"[{_STYLE[r.status]}]{r.status}[/]",
            reason,
            f"{r.seconds:.1f}",
        )
    out.print(table)


def verify(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH...", help="Generated repositories.")],
    only: Annotated[
        list[str] | None, typer.Option("--only", help="Run only this check (repeatable).")
    ] = None,
    skip: Annotated[
        list[str] | None, typer.Option("--skip", help="Skip this check (repeatable).")
    ] = None,
    junit_xml: Annotated[
        Path | None, typer.Option("--junit-xml", help="Also write a JUnit XML report to this file.")
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Check generated repositories: Terraform, checkov, workflows, YAML, ruff, secrets,
    placeholders, docs and tests."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from generator import verify as library
    from generator.errors import CheckFailedError

    json_mode(json_)
    names = [c.name for c in library.available_checks()]
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=json_,
    ) as progress:
        task = progress.add_task(f"running {len(names)} checks", total=None)

        def done(check: str, results: list[library.CheckResult]) -> None:
            progress.update(task, description=f"{check} done")

        report = library.verify(paths, only or (), skip or (), on_done=done)
    if junit_xml is not None:
        _write_whole(junit_xml, library.junit_xml(report))
    if json_:
        print_json({"ok": report.ok, **report.model_dump(mode="json")})
    else:
        _table(report)
    if not report.ok:
        failed = sorted(
            {f"{Path(r.repo).name}: {r.check}" for r in report.results if r.status == "failed"}
        )
        raise CheckFailedError("verification failed: " + ", ".join(failed))


def _write_whole(path: Path, text: str) -> None:
    """Write `path` whole or not at all (a temporary file renamed over it)."""
    import os

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def register(app: typer.Typer) -> None:
    """Add the commands of this module to `app`."""
    app.command()(verify)

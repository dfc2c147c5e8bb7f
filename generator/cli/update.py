"""`scaffold update` and `scaffold check`: bring a generated repository to a newer template."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from generator.cli._errors import json_mode
from generator.cli._output import out, print_json, say

if TYPE_CHECKING:
    from generator.update.engine import CheckResult, UpdateResult

_STYLE = {"conflict": "red", "kept": "yellow", "restored": "yellow", "deleted": "magenta"}

PathArgument = Annotated[
    Path, typer.Argument(help="The generated repository (default: the current folder).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]


def _changes_table(result: UpdateResult) -> None:
    from rich.table import Table
    from rich.text import Text

    title = f"scaffold update {result.from_version} -> {result.to_version}"
    table = Table(title=title + (" (dry run: nothing written)" if result.dry_run else ""))
    for column in ("file", "owner", "action", "detail"):
        table.add_column(column, overflow="fold")
    for change in result.changes:  # paths are data, never markup: Text cells
        detail = change.detail or (f"from {change.renamed_from}" if change.renamed_from else "")
        table.add_row(
            Text(change.path),
            Text(change.owner),
            Text(change.action, style=_STYLE.get(change.action, "")),
            Text(detail),
        )
    out.print(table)


def update(
    path: PathArgument = Path("."),
    to: Annotated[
        str | None,
        typer.Option("--to", metavar="VERSION", help="Target version (default: the newest)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the diff; write nothing.")
    ] = False,
    data: Annotated[
        list[str] | None,
        typer.Option(
            "--data",
            "-d",
            metavar="KEY=VALUE",
            help="Change an answer (repeatable), e.g. --data database=postgres; validated like "
            "`scaffold new`, then merged the same way (with --to the current version, only "
            "the answers change).",
        ),
    ] = None,
    json_: JsonOption = False,
) -> None:
    """Apply a newer template version, or changed answers, keeping your edits (three-way merge).

    Overlapping changes become conflict markers, listed by file, and the command exits 3.
    Refuses uncommitted changes and downgrades. Exit codes: 0 updated or already current,
    2 refused, 3 conflicts to resolve, 5 template repository unreachable.
    """
    from generator.errors import ConflictsError
    from generator.update.engine import update as run_update

    json_mode(json_)
    result = run_update(path, to, dry_run=dry_run, data=data or ())
    if json_:
        print_json(result)
    elif result.up_to_date:
        say(f"no template release is newer than {result.from_version}: nothing to do")
    else:
        if result.dry_run and result.diff:
            sys.stdout.write(result.diff)  # the exact bytes: no markup, emoji or wrapping
            sys.stdout.flush()
        _changes_table(result)
        for migration in result.migrations:
            say(f"migration {migration}")
        verb = "would update" if result.dry_run else "updated"
        answers = f" with new {', '.join(result.answers_changed)}" if result.answers_changed else ""
        say(
            f"{verb} {result.from_version} -> {result.to_version}{answers}: "
            f"{len(result.changes)} file(s)"
        )
    if result.conflicts:
        listed = "\n".join(f"  - {p}" for p in result.conflicts)
        would = "would leave" if result.dry_run else "left"
        raise ConflictsError(
            f"the update {would} {len(result.conflicts)} conflict(s) to resolve:\n{listed}\n"
            "Resolve the <<<<<<< / >>>>>>> markers (or the file's stated problem), then commit."
        )


def _check_report(result: CheckResult) -> None:
    from rich.table import Table
    from rich.text import Text

    if result.update_available:
        say(
            f"template {result.current_version} is behind {result.latest_version} "
            f"({len(result.versions_behind)} newer: {', '.join(result.versions_behind)}); "
            "run `scaffold update`"
        )
    else:
        say(f"no template release is newer than {result.current_version}")
    if result.content_drift:
        table = Table(title=f"files that differ from template {result.current_version}")
        for column in ("file", "owner", "state"):
            table.add_column(column, overflow="fold")
        for entry in result.content_drift:
            table.add_row(Text(entry.path), Text(entry.owner), Text(entry.state))
        out.print(table)
        seeded = len(result.content_drift) - result.managed_drift
        say(
            f"{result.managed_drift} managed file(s) drifted; {seeded} seeded file(s) differ "
            "(expected: they are yours)"
        )
    else:
        say("every file matches a fresh render of the recorded version")


def _check_failure(result: CheckResult) -> str:
    """Why `check` fails, in one line (the report above has the details)."""
    found = []
    if result.update_available:
        found.append(f"template {result.latest_version} is newer than {result.current_version}")
    if result.managed_drift:
        found.append(f"{result.managed_drift} managed file(s) drifted")
    return "check failed: " + "; ".join(found)


def check(path: PathArgument = Path("."), json_: JsonOption = False) -> None:
    """Report version drift (newer templates) and content drift (files changed since).

    Exit codes: 0 current with no managed file drifted, 1 a newer version exists or managed
    files drifted, 2 not a generated repository, 5 template repository unreachable.
    """
    from generator.errors import CheckFailedError
    from generator.update.engine import check as run_check

    json_mode(json_)
    result = run_check(path)
    if json_:
        print_json(result)
    else:
        _check_report(result)
    if not result.ok:
        raise CheckFailedError(_check_failure(result))


def register(app: typer.Typer) -> None:
    """Add the commands of this module to `app`."""
    app.command()(update)
    app.command()(check)

"""`scaffold new`: validate the answers (asking on a terminal) and write the repository."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from generator.cli._errors import json_mode
from generator.cli._help import TYPES_AND_ALIASES, TypesHelpCommand
from generator.cli._output import err, out, print_json, say

if TYPE_CHECKING:  # the command imports the library when it runs: `--help` stays fast
    from generator.api import GenerateResult
    from generator.render.external import ExternalResult
    from generator.request import GenerateRequest, Plan
    from generator.verify.model import VerifyReport


def stdin_is_terminal() -> bool:
    """Whether a person can answer questions (tests replace this)."""
    return sys.stdin.isatty()


def _notes(notes: Iterable[str]) -> None:
    """What the answers set aside (e.g. a data file's own name), on stderr."""
    for note in notes:
        say(f"note: {note}")


def _interactive_plan(request: GenerateRequest) -> Plan:
    """Ask for every answer not given (and every given one that is invalid), then validate."""
    from generator.cli import _interactive
    from generator.request import plan, preset

    found = preset(request)
    _notes(found.notes)
    invalid = {problem.field.split(".")[0] for problem in found.problems}
    for problem in found.problems:
        say(f"{problem} (asking again)", style="yellow")
    answers = found.answers
    if "name" not in invalid:  # the name is an argument: report it, don't ask
        asked = _interactive.ask_spec(found.model, {**answers, "name": request.name}, invalid)
        answers = {k: v for k, v in asked.items() if k != "name"}
    return plan(request.model_copy(update={"answers": answers, "data": (), "data_file": None}))


def _show_tree(result: GenerateResult) -> None:
    from rich.tree import Tree

    tree = Tree(result.destination)
    nodes: dict[str, Tree] = {}
    for rel in result.files:
        parent = tree
        parts = rel.split("/")
        for depth in range(1, len(parts)):
            key = "/".join(parts[:depth])
            if key not in nodes:
                nodes[key] = parent.add(parts[depth - 1] + "/")
            parent = nodes[key]
        mark = " (replaces existing file)" if rel in result.replaced else ""
        parent.add(parts[-1] + mark)
    out.print(tree)


def new(
    service_type: Annotated[
        str | None,
        typer.Argument(help=f"{TYPES_AND_ALIASES}; optional with --describe."),
    ] = None,
    name: Annotated[
        str | None, typer.Argument(help="Service name, e.g. orders-api; optional with --describe.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Destination folder (default: ./NAME).")
    ] = None,
    defaults: Annotated[
        bool,
        typer.Option("--defaults", help="Ask nothing; use defaults for every answer not given."),
    ] = False,
    data: Annotated[
        list[str] | None,
        typer.Option("--data", "-d", metavar="KEY=VALUE", help="An answer; repeat for more."),
    ] = None,
    data_file: Annotated[
        Path | None, typer.Option("--data-file", help="YAML or JSON file of answers (--data wins).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the tree it would write; write nothing.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Write into a non-empty folder, replacing generated files only."
        ),
    ] = False,
    describe: Annotated[
        str | None,
        typer.Option(
            "--describe",
            help="Describe the service in plain words; an LLM proposes the answers, which are "
            "validated like any other (TYPE and NAME may then be left out).",
        ),
    ] = None,
    draft_docs: Annotated[
        bool,
        typer.Option(
            "--draft-docs",
            help="Also let the LLM draft the README overview, the ADR context and the runbook's "
            "service-specific failure modes (3 more calls; without it the standard text stays).",
        ),
    ] = False,
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            metavar="PATH|gh:ORG/REPO|GIT-URL",
            help="Render your own Copier (copier.yml) or Cookiecutter (cookiecutter.json) "
            "template instead of a service type; answers come from --data/--data-file.",
        ),
    ] = None,
    template_ref: Annotated[
        str | None,
        typer.Option(
            "--template-ref",
            metavar="REF",
            help="Git tag, branch or commit of --template (default: as Copier picks it, the "
            "newest release tag of a Copier template, else HEAD).",
        ),
    ] = None,
    template_prereleases: Annotated[
        bool,
        typer.Option(
            "--template-prereleases",
            help="Let the newest tag of a Copier --template be a pre-release (Copier's -g).",
        ),
    ] = False,
    verify_: Annotated[
        bool,
        typer.Option(
            "--verify",
            help="Run `scaffold verify` on the result (all checks); exit 1 if one fails.",
        ),
    ] = False,
    trust: Annotated[
        bool,
        typer.Option(
            "--trust",
            help="Allow an external template's hooks, tasks or migrations to run code here.",
        ),
    ] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Create a service repository of the given type (or from --template)."""
    from generator.request import GenerateRequest

    json_mode(json_)
    request = GenerateRequest(
        service_type=service_type,
        name=name,
        data_file=data_file,
        data=tuple(data or ()),
        destination=output,
        force=force,
        dry_run=dry_run,
        describe=describe,
        draft_docs=draft_docs,
        template=template,
        template_ref=template_ref,
        template_prereleases=template_prereleases,
        trust=trust,
    )
    result = _create(request, interactive=not defaults and not json_ and stdin_is_terminal())
    _finish(request, result, json_, verify_)


def _finish(
    request: GenerateRequest, result: GenerateResult | ExternalResult, json_: bool, verify_: bool
) -> None:
    """Report the result, run `scaffold verify` on it when asked, and fail when that fails."""
    if not json_:
        _report(result, request.dry_run)
    report = None
    if verify_ and not request.dry_run:
        report = _verify(request, result.destination, json_)
    if json_:
        payload = result.model_dump(mode="json")
        if report is not None:
            payload["verify"] = {"ok": report.ok, **report.model_dump(mode="json")}
        print_json(payload)
    if report is not None and not report.ok:
        from generator.errors import CheckFailedError

        failed = sorted({r.check for r in report.results if r.status == "failed"})
        raise CheckFailedError(f"verification failed: {', '.join(failed)}")


def _create(request: GenerateRequest, interactive: bool) -> GenerateResult | ExternalResult:
    """Plan the request (asking a person, or showing the LLM's proposal), then write it."""
    from generator.cli import _interactive
    from generator.request import new, plan

    own_type = request.template is None and request.describe is None
    if own_type and interactive and request.service_type and request.name:
        planned = _interactive_plan(request)
    else:
        planned = plan(request)
        _notes(planned.notes)
    if planned.proposal is not None and planned.spec is not None:
        from generator.cli.llm import show_proposal

        # on stderr, also without a terminal: nothing is set unseen
        show_proposal(planned.proposal, planned.spec)
    if planned.spec is not None and interactive:
        _interactive.confirm(planned.spec, str(request.destination or Path(planned.spec.name)))
    return new(request, planned)


def _warn_placeholders(result: GenerateResult) -> None:
    """Every placeholder answer that reached a security-relevant file, on stderr."""
    from generator.placeholders import advice

    for use in result.placeholders:
        shown = ", ".join(use.files[:4]) + (
            f" and {len(use.files) - 4} more" if len(use.files) > 4 else ""
        )
        reached = f"reached {shown}" if use.files else "is in the answers"
        say(
            f"warning: {use.field} is the placeholder {use.value!r}, which {reached}: "
            f"{advice(use.field)}",
            style="yellow",
        )


def _report(result: GenerateResult | ExternalResult, dry_run: bool) -> None:
    from generator.api import GenerateResult

    if not isinstance(result, GenerateResult):
        _report_external(result, dry_run)
    elif dry_run:
        _show_tree(result)
        say(f"dry run: would write {len(result.files)} files; nothing was written")
        _warn_placeholders(result)
    else:
        err.print(
            f"created {result.service_type} {result.name} in {result.destination} "
            f"({len(result.files)} files)",
            markup=False,
            highlight=False,
        )
        if result.replaced:
            say(f"replaced {len(result.replaced)} existing files: {', '.join(result.replaced)}")
        for prompt_id, why in result.drafts_skipped.items():
            say(f"warning: draft {prompt_id} not used ({why}); its standard text stays",
                style="yellow")  # fmt: skip
        _warn_placeholders(result)


def _report_external(result: ExternalResult, dry_run: bool) -> None:
    if dry_run:
        for rel in result.files:
            out.print(rel, markup=False, highlight=False)
        say(f"dry run: would write {len(result.files)} files to {result.destination}")
    else:
        say(
            f"created {result.destination} from {result.kind} template {result.template} "
            f"({len(result.files)} files); verify it with `scaffold verify {result.destination}`"
        )


def _verify(request: GenerateRequest, destination: str, json_: bool) -> VerifyReport:
    """`scaffold verify` on the result, without the checks the request skips (shown)."""
    from generator.cli.verify import _table
    from generator.verify import verify

    skip = request.verify_skip
    report = verify([Path(destination)], skip=skip)
    if not json_:
        if skip:
            say(f"skipped with an untrusted template: {', '.join(skip)} (pass --trust to run)")
        _table(report)
    return report


def register(app: typer.Typer) -> None:
    """Add the commands of this module to `app`."""
    app.command(cls=TypesHelpCommand)(new)

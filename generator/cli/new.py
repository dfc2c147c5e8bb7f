"""`scaffold new`: validate the answers (asking on a terminal) and write the repository."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from generator.cli._errors import json_mode
from generator.cli._output import err, out, print_json, say

if TYPE_CHECKING:  # the command imports the library when it runs: `--help` stays fast
    from collections.abc import Callable

    from pydantic import BaseModel

    from generator.api import GenerateResult
    from generator.llm.client import CallRecord
    from generator.render.external import ExternalResult
    from generator.spec.models import ServiceSpec


def stdin_is_terminal() -> bool:
    """Whether a person can answer questions (tests replace this)."""
    return sys.stdin.isatty()


def _interactive_spec(
    service_type: str, name: str, data_file: Path | None, data: list[str]
) -> ServiceSpec:
    """Ask for every answer not given (and every given one that is invalid), then validate."""
    from pydantic import ValidationError

    from generator.cli import _interactive
    from generator.errors import InvalidAnswersError
    from generator.spec.answers import (
        build_spec,
        collect_answers,
        load_data_file,
        parse_data_pairs,
        problems_from,
    )
    from generator.spec.registry import resolve_type

    model = resolve_type(service_type).model
    file_answers = load_data_file(data_file) if data_file else None
    preset, problems = collect_answers(model, file_answers, parse_data_pairs(data))
    if problems:  # unknown keys cannot be fixed by asking
        raise InvalidAnswersError(model.service_type, problems)
    invalid: set[str] = set()
    try:
        model.model_validate({**preset, "name": name})
    except ValidationError as exc:
        for problem in problems_from(exc):
            invalid.add(problem.field.split(".")[0])
            say(f"{problem} (asking again)", style="yellow")
    if "name" in invalid:
        return build_spec(model, name, preset)  # the name is an argument: report, don't ask
    answers = _interactive.ask_spec(model, {**preset, "name": name}, invalid)
    return build_spec(model, name, {k: v for k, v in answers.items() if k != "name"})


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
        typer.Argument(
            help="web-service, batch-service, event-service (or web, batch, event); "
            "optional with --describe."
        ),
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
    from generator import api
    from generator.cli import _interactive
    from generator.errors import BadInputError

    json_mode(json_)
    pairs = data or []
    if template is not None:
        external = _new_external(
            template,
            service_type,
            name,
            output,
            pairs,
            data_file,
            dry_run,
            force,
            trust,
            (template_ref, template_prereleases),
            json_,
            describe is not None or draft_docs,
        )
        # a template's tests run its code (build backend, conftest): only with --trust
        _finish(
            external, external.destination, dry_run, json_, verify_, () if trust else ("tests",)
        )
        return
    if template_ref is not None or trust or template_prereleases:
        raise BadInputError(
            "--template-ref, --template-prereleases and --trust only apply with --template"
        )
    interactive = not defaults and not json_ and stdin_is_terminal()
    llm_calls: list[tuple[str, CallRecord]] = []
    if describe is not None:
        from generator.cli.llm import show_proposal
        from generator.llm.spec import propose_spec
        from generator.spec.answers import build_spec, load_data_file, parse_data_pairs
        from generator.spec.registry import resolve_type

        spec, proposed = propose_spec(describe, service_type, name)
        llm_calls += [(f"spec:{purpose}", record) for purpose, record in proposed.calls.items()]
        if data_file or pairs:  # the user's own answers win over the model's
            file_answers = load_data_file(data_file) if data_file else {}
            spec = build_spec(
                resolve_type(proposed.service_type).model,
                proposed.name,
                {**proposed.answers, **file_answers},
                parse_data_pairs(pairs),
            )
        show_proposal(proposed)  # on stderr, also without a terminal: nothing is set unseen
        if interactive:
            _interactive.confirm(spec, str(output or Path(spec.name)))
    elif service_type is None or name is None:
        raise BadInputError(
            "TYPE and NAME are required (e.g. `scaffold new web-service orders-api`), "
            'unless --describe "..." lets the LLM propose them'
        )
    elif interactive:
        spec = _interactive_spec(service_type, name, data_file, pairs)
        _interactive.confirm(spec, str(output or Path(name)))
    else:
        spec = api.make_spec(service_type, name, data_file=data_file, data=pairs)
    post_render = None
    if draft_docs or describe is not None:
        post_render = _drafts(spec, describe, draft_docs, llm_calls)
    result = api.generate(spec, output, force=force, dry_run=dry_run, post_render=post_render)
    if not json_:
        _report(result, dry_run)
    _finish(result, result.destination, dry_run, json_, verify_)


def _drafts(
    spec: ServiceSpec,
    describe: str | None,
    draft_docs: bool,
    llm_calls: list[tuple[str, CallRecord]],
) -> Callable[[Path], None]:
    """The drafted sections (with --draft-docs) and the provenance, as the post-render step.

    A failed draft call reports what every call of this run cost, the spec's included.
    """
    from generator.errors import LlmError
    from generator.llm.client import CallRecord, LlmSettings, StructuredLlm, Usage
    from generator.llm.drafts import draft_sections
    from generator.llm.drafts import post_render as drafts_step

    sections: dict[str, str] = {}
    if draft_docs:
        client = StructuredLlm(LlmSettings.from_env())
        try:
            drafts = draft_sections(spec, describe or spec.description, client)
        except LlmError as error:
            usage = Usage(model=client.settings.model)
            for record in [*(r for _, r in llm_calls), error.record]:
                if isinstance(record, CallRecord | Usage):
                    usage.add(record)
            error.record = usage
            raise
        sections = drafts.sections
        llm_calls += list(drafts.calls.items())
    return drafts_step(sections, llm_calls)


def _report(result: GenerateResult, dry_run: bool) -> None:
    if dry_run:
        _show_tree(result)
        say(f"dry run: would write {len(result.files)} files; nothing was written")
        return
    err.print(
        f"created {result.service_type} {result.name} in {result.destination} "
        f"({len(result.files)} files)",
        markup=False,
        highlight=False,
    )
    if result.replaced:
        say(f"replaced {len(result.replaced)} existing files: {', '.join(result.replaced)}")


def _new_external(
    template: str,
    service_type: str | None,
    name: str | None,
    output: Path | None,
    pairs: list[str],
    data_file: Path | None,
    dry_run: bool,
    force: bool,
    trust: bool,
    version: tuple[str | None, bool],
    json_: bool,
    llm: bool,
) -> ExternalResult:
    """`scaffold new --template ...`: an external Copier or Cookiecutter template."""
    from generator.errors import BadInputError
    from generator.render.external import generate_external, load_answers_file
    from generator.spec.answers import parse_data_pairs

    if service_type is not None or name is not None:
        raise BadInputError(
            "with --template, TYPE and NAME are not used: the template asks its own questions "
            "(answer them with --data/--data-file) and -o/--output names the destination"
        )
    if llm:
        raise BadInputError("--describe and --draft-docs work with scaffold's own service types")
    answers = load_answers_file(data_file) if data_file is not None else {}
    answers.update(parse_data_pairs(pairs))
    ref, prereleases = version
    result = generate_external(
        template,
        output,
        answers=answers,
        trust=trust,
        force=force,
        dry_run=dry_run,
        ref=ref,
        prereleases=prereleases,
    )
    if json_:
        return result
    if dry_run:
        for rel in result.files:
            out.print(rel, markup=False, highlight=False)
        say(f"dry run: would write {len(result.files)} files to {result.destination}")
    else:
        say(
            f"created {result.destination} from {result.kind} template {result.template} "
            f"({len(result.files)} files); verify it with `scaffold verify {result.destination}`"
        )
    return result


def _finish(
    result: BaseModel,
    destination: str,
    dry_run: bool,
    json_: bool,
    verify_: bool,
    skip: tuple[str, ...] = (),
) -> None:
    """Print the JSON answer, and run `scaffold verify` on the result when asked."""
    from generator.errors import EXIT_CHECK_FAILED

    report = None
    if verify_ and not dry_run:
        from generator.cli.verify import _table
        from generator.verify import verify

        report = verify([Path(destination)], skip=skip)
        if skip and not json_:
            say(f"skipped with an untrusted template: {', '.join(skip)} (pass --trust to run)")
        if not json_:
            _table(report)
    if json_:
        payload = result.model_dump(mode="json")
        if report is not None:
            payload["verify"] = {"ok": report.ok, **report.model_dump(mode="json")}
        print_json(payload)
    if report is not None and not report.ok:
        failed = sorted({r.check for r in report.results if r.status == "failed"})
        say(f"verification failed: {', '.join(failed)}", style="red")
        raise typer.Exit(EXIT_CHECK_FAILED)


def register(app: typer.Typer) -> None:
    """Add the commands of this module to `app`."""
    app.command()(new)

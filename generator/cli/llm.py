"""`scaffold spec --describe` and `scaffold prompts ...`: the LLM-assisted commands."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from generator.cli._errors import json_mode
from generator.cli._help import FullHelpGroup
from generator.cli._output import err, out, print_json, say

if TYPE_CHECKING:
    from generator.llm.spec import ProposedSpec

prompts_app = typer.Typer(
    help="The versioned prompt library: list, show, render and evaluate prompts.",
    no_args_is_help=True,
)


def show_proposal(proposed: ProposedSpec) -> None:
    """The proposed answers as a table: which the model set, which are defaults."""
    from rich.table import Table

    from generator.spec.registry import resolve_type

    model = resolve_type(proposed.service_type).model
    spec = model.model_validate({**proposed.answers, "name": proposed.name})
    table = Table(title=f"proposed: {proposed.service_type} {proposed.name}")
    for column in ("answer", "value", "from"):
        table.add_column(column)
    for field, value in spec.model_dump(mode="json").items():
        source = "model" if field in proposed.set_by_model else "default"
        table.add_row(field, str(value), source if source == "model" else f"[dim]{source}[/]")
    err.print(table)
    if proposed.ignored:
        say(f"ignored (not for {proposed.service_type}): {', '.join(proposed.ignored)}")
    say("change any answer with --data KEY=VALUE")


def spec(
    describe: Annotated[
        str, typer.Option("--describe", help="What the service does, in plain words.")
    ],
    service_type: Annotated[
        str | None, typer.Option("--type", help="Fix the service type instead of inferring it.")
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="Fix the name instead of inferring it.")
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Propose a validated spec from a description (YAML usable as --data-file)."""
    import yaml

    from generator.llm.spec import propose_spec

    json_mode(json_)
    _, proposed = propose_spec(describe, service_type, name)
    if json_:
        print_json(proposed)
        return
    record = proposed.llm
    out.print(
        f"# scaffold new {proposed.service_type} {proposed.name} --data-file <this file>\n"
        f"# proposed by {record.model} with prompt {record.prompt_id} v{record.prompt_version}"
        f"{' (cached)' if record.from_cache else ''}; unset answers take their defaults",
        markup=False,
        highlight=False,
    )
    text = yaml.safe_dump(proposed.answers, sort_keys=False, allow_unicode=True)
    out.print(text.rstrip("\n") if proposed.answers else "{}", markup=False, highlight=False)


@prompts_app.command("list")
def list_prompts(
    json_: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """The prompts: id, version, output model and purpose."""
    from generator.llm.prompts import load_library

    json_mode(json_)
    library = load_library()
    rows: list[dict[str, str | int]] = [
        {
            "id": p.meta.id,
            "version": p.meta.version,
            "output_model": p.meta.output_model,
            "content_hash": p.content_hash,
            "purpose": p.meta.purpose,
        }
        for p in library.values()
    ]
    if json_:
        print_json({"prompts": rows})
        return
    from rich.table import Table

    table = Table(title="prompts")
    for column in ("id", "version", "output model", "purpose"):
        table.add_column(column)
    for row in rows:
        table.add_row(*(str(row[k]) for k in ("id", "version", "output_model", "purpose")))
    out.print(table)


@prompts_app.command()
def show(
    prompt_id: Annotated[str, typer.Argument(metavar="ID", help="The prompt's id.")],
    json_: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """The prompt file as written: front matter and body."""
    from generator.llm.prompts import get_prompt

    json_mode(json_)
    prompt = get_prompt(prompt_id)
    text = prompt.path.read_text(encoding="utf-8")
    if json_:
        print_json({**prompt.meta.model_dump(mode="json"), "path": str(prompt.path), "text": text})
        return
    out.print(text, markup=False, end="")


@prompts_app.command()
def render(
    prompt_id: Annotated[str, typer.Argument(metavar="ID", help="The prompt's id.")],
    var: Annotated[
        list[str] | None, typer.Option("--var", metavar="KEY=VALUE", help="A parameter value.")
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """The messages the prompt sends for these values (nothing is sent)."""
    from generator.llm.prompts import get_prompt
    from generator.spec.answers import parse_data_pairs

    json_mode(json_)
    values = dict(parse_data_pairs(var or [], option="--var", example="description=..."))
    rendered = get_prompt(prompt_id).render(values)
    if json_:
        print_json(rendered)
        return
    for message in rendered.messages:
        out.print(f"--- {message.role} ---", style="bold")
        out.print(message.content, markup=False, highlight=False)


@prompts_app.command("eval")
def evaluate(
    prompt_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="One prompt (default: all).")
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="A stored eval result (--json) to compare with."),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Run the eval cases against the configured model: pass/fail, field accuracy, cost."""
    from generator.errors import EXIT_CHECK_FAILED, CheckFailedError
    from generator.llm.evals import compare, load_baseline, run_evals

    json_mode(json_)
    report = run_evals(prompt_id)
    regressions = compare(report, load_baseline(baseline)) if baseline else []
    if json_:
        ok = not regressions and report.passed == len(report.cases)
        print_json({"ok": ok, **report.model_dump(mode="json"), "regressions": regressions})
    else:
        from rich.table import Table

        table = Table(title=f"prompt evals ({report.model})")
        for column in ("case", "result", "fields", "tokens", "ms", "problems"):
            table.add_column(column, overflow="fold")
        for case in report.cases:
            table.add_row(
                case.case,
                "[green]pass[/]" if case.passed else "[red]fail[/]",
                f"{case.fields_correct}/{case.fields_total}",
                str(case.tokens),
                str(case.latency_ms),
                "; ".join(case.problems)[:300],
            )
        out.print(table)
        for field, accuracy in sorted(report.field_accuracy.items()):
            say(f"{field}: {accuracy:.0%}")
        say(f"{report.passed}/{len(report.cases)} cases passed, {report.tokens} tokens")
        for line in regressions:
            say(f"regression: {line}", style="red")
    if regressions or report.passed < len(report.cases):
        message = (
            f"{len(report.cases) - report.passed} eval cases failed, "
            f"{len(regressions)} regressions against the baseline"
        )
        if json_:  # the report above is the JSON answer; don't print a second document
            say(f"error: {message}", style="red")
            raise typer.Exit(EXIT_CHECK_FAILED)
        raise CheckFailedError(message)


def register(app: typer.Typer) -> None:
    """Add the commands of this module to `app`."""
    app.command()(spec)
    app.add_typer(prompts_app, name="prompts", cls=FullHelpGroup)

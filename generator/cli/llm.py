"""`scaffold spec --describe` and `scaffold prompts ...`: the LLM-assisted commands."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from generator.cli._errors import json_mode
from generator.cli._help import FullHelpGroup
from generator.cli._output import err, out, print_json, say

if TYPE_CHECKING:
    from generator.llm.evals import EvalReport
    from generator.llm.spec import ProposedSpec
    from generator.spec.models import ServiceSpec

prompts_app = typer.Typer(
    help="The versioned prompt library: list, show, render and evaluate prompts.",
    no_args_is_help=True,
)


def show_proposal(proposed: ProposedSpec, spec: ServiceSpec) -> None:
    """The proposal of `spec` on stderr: each answer, its value, and where it came from (with
    the description's words), which are defaults, and what was read but not used."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"proposed: {proposed.service_type} {proposed.name}")
    for column in ("answer", "value", "from"):
        table.add_column(column, overflow="fold")
    evidence = proposed.evidence
    rows = {"service_type": proposed.service_type, **spec.model_dump(mode="json")}
    for field, value in rows.items():
        found = evidence.get(field)
        if found is None:
            table.add_row(field, escape(_shown(value)), "[dim]default[/]")
            continue
        said = f' "{found.words}"' if found.words else ""
        note = f" ({found.note})" if found.note else ""
        table.add_row(field, escape(_shown(value)), escape(f"{found.source}{said}{note}"))
    err.print(table)
    for item in proposed.ignored:
        said = f' ("{item.words}")' if item.words else ""
        value = "" if item.value is None else f" {_shown(item.value)}"
        say(f"ignored {item.field}{value}{said}: {item.reason}")
    say("change any answer with --data KEY=VALUE")


def _shown(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


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
    data: Annotated[
        list[str] | None,
        typer.Option(
            "--data",
            "-d",
            metavar="KEY=VALUE",
            help="An answer of yours; it wins over the description. Repeat for more.",
        ),
    ] = None,
    data_file: Annotated[
        Path | None, typer.Option("--data-file", help="YAML or JSON file of answers (--data wins).")
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Propose a validated spec from a description (YAML usable as --data-file)."""
    import yaml

    from generator.llm.spec import propose_spec
    from generator.spec.answers import load_data_file, parse_data_pairs

    json_mode(json_)
    proposed_spec, proposed = propose_spec(
        describe,
        service_type,
        name,
        given=load_data_file(data_file) if data_file else None,
        given_pairs=parse_data_pairs(data or []),
    )
    if json_:
        print_json(proposed)
        return
    show_proposal(proposed, proposed_spec)
    usage = proposed.llm
    out.print(
        f"# scaffold new {proposed.service_type} {proposed.name} --data-file <this file>\n"
        f"# read from the description; {usage.calls} call{'' if usage.calls == 1 else 's'} "
        f"to {usage.model}"
        f"{' (cached)' if usage.from_cache and proposed.calls else ''}; "
        "unset answers take their defaults",
        markup=False,
        highlight=False,
    )
    for field, value in proposed.answers.items():
        text = yaml.safe_dump({field: value}, sort_keys=False, allow_unicode=True, width=1000)
        words = proposed.evidence[field].words
        comment = f'  # "{words}"' if words and words != value else ""
        out.print(text.rstrip("\n") + comment, markup=False, highlight=False)
    if not proposed.answers:
        out.print("{}", markup=False, highlight=False)


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
    suite: Annotated[
        str | None,
        typer.Argument(
            metavar="[SUITE]", help="One eval suite, e.g. spec-from-description (default: all)."
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="A stored eval result (--json) to compare with."),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Run the eval cases against the configured model: per case, per field, the goal, cost.

    Exit 1 when the goal is missed, or when a case fails (without --baseline) or regresses
    against the baseline (with --baseline: a case that passed there and fails now, a field
    whose accuracy dropped, more invented settings, unsafe names or echoed secrets).
    """
    from generator.errors import CheckFailedError
    from generator.llm.evals import compare, load_baseline, run_evals

    json_mode(json_)
    previous = load_baseline(baseline) if baseline else None  # bad input before any call
    report = run_evals(suite)
    regressions = compare(report, previous) if previous else []
    failed = len(report.cases) - report.passed
    ok = report.goal_met and not regressions and (previous is not None or not failed)
    if json_:
        print_json({"ok": ok, **report.model_dump(mode="json"), "regressions": regressions})
    else:
        _eval_table(report, regressions)
    if not ok:
        message = (
            f"{failed} of {len(report.cases)} eval cases failed, "
            f"{len(regressions)} regressions against the baseline"
            + ("" if report.goal_met else f"; goal missed: {'; '.join(report.goal_problems)}")
        )
        raise CheckFailedError(message)


def _eval_table(report: EvalReport, regressions: list[str]) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"prompt evals ({report.model})")
    for column in ("case", "result", "fields", "invented", "calls", "tokens", "ms", "problems"):
        table.add_column(column, overflow="fold")
    for case in report.cases:
        table.add_row(
            case.case,
            "[green]pass[/]" if case.passed else "[red]fail[/]",
            f"{case.fields_correct}/{case.fields_total}",
            str(len(case.invented)),
            str(case.calls),
            str(case.tokens),
            str(case.latency_ms),
            escape("; ".join(case.problems)[:300]),
        )
    out.print(table)
    for field, accuracy in sorted(report.field_accuracy.items()):
        say(f"{field}: {accuracy:.0%}")
    say(
        f"{report.passed}/{len(report.cases)} cases passed; invented settings {report.invented}, "
        f"unsafe names {report.unsafe_names}, echoed secrets {report.echoed_secrets}; "
        f"{report.tokens} tokens, {report.latency_ms / 1000:.1f} s of model time"
    )
    goal = ", ".join(f"{k.replace('_', ' ')} {v:.0%}" for k, v in report.goal.items())
    if report.goal_met:
        say(f"goal met: {goal}", style="green")
    else:
        say(f"goal missed: {'; '.join(report.goal_problems)} ({goal})", style="red")
    for line in regressions:
        say(f"regression: {line}", style="red")


def register(app: typer.Typer) -> None:
    """Add the commands of this module to `app`."""
    app.command()(spec)
    app.add_typer(prompts_app, name="prompts", cls=FullHelpGroup)

"""Ask for missing answers on a terminal, validating each one as it is typed."""

from __future__ import annotations

import shlex
from collections.abc import Callable, Mapping
from typing import Any

from rich.prompt import Confirm, Prompt
from rich.table import Table
from rich.text import Text

from generator.cli._output import err
from generator.errors import BadInputError
from generator.placeholders import DECIDES, advice, placeholder_answers
from generator.resources import cache_dir
from generator.spec.answers import Question, check_answer, questions, save_answers
from generator.spec.groups import grouped
from generator.spec.models import ServiceSpec


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, dict):  # tags: typed back as key=value,key2=value2
        return ",".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _read(ask: Callable[[], str | None]) -> str | None:
    try:
        return ask()
    except EOFError:
        raise BadInputError(
            "input ended before every question was answered; nothing was written"
        ) from None


def _ask_one(
    model: type[ServiceSpec], question: Question, answers: dict[str, Any], progress: str
) -> Any:
    err.print(Text(question.help, style="dim"))
    choices = f" ({'/'.join(question.choices)})" if question.choices else ""
    while True:
        raw = _read(
            lambda: Prompt.ask(
                Text.assemble((progress, "dim"), f" {question.prompt}{choices}"),
                default=_shown(question.default) if not question.required else None,
                console=err,
            )
        )
        if not raw and not question.required:
            return question.default
        value, problem = check_answer(model, question.field, raw or "", answers)
        if problem is None:
            return value
        err.print(f"  {problem}", style="red", markup=False, highlight=False)


def ask_spec(
    model: type[ServiceSpec], preset: Mapping[str, Any], invalid: set[str]
) -> dict[str, Any]:
    """Ask every question not answered in `preset` (and those whose preset was invalid)."""
    answers = {k: v for k, v in preset.items() if k not in invalid}
    by_field = {q.field: q for q in questions(model) if q.field not in answers}
    total, asked = len(by_field), 0
    for title, fields in grouped(model, list(by_field)):
        err.print(Text(f"\n{title}", style="bold"))
        for field in fields:
            asked += 1
            answers[field] = _ask_one(model, by_field[field], answers, f"[{asked}/{total}]")
    return answers


def confirm(spec: ServiceSpec, destination: str) -> None:
    """Show the answers as a table and ask before writing.

    A 'no' writes nothing where the repository would go, but keeps the answers in a file the
    message names, so they are not lost: `--data-file` takes it.
    """
    answers = spec.model_dump(mode="json")
    marked = placeholder_answers(answers)
    table = Table(title=f"{spec.service_type} {spec.name}")
    table.add_column("answer")
    table.add_column("value")
    for field, value in answers.items():
        note = Text(" (placeholder)", style="yellow") if field in marked else ""
        table.add_row(field, Text.assemble(_shown(value), note))
    err.print(table)
    for field, value in marked.items():
        err.print(
            f"placeholder: {field} {value!r} would go into {DECIDES[field]}; {advice(field)}",
            style="yellow",
            markup=False,
            highlight=False,
        )

    def ask() -> str:
        agreed = Confirm.ask(f"Write the repository to {destination}?", default=True, console=err)
        return "yes" if agreed else ""

    if not _read(ask):
        raise BadInputError(
            f"cancelled at the summary; nothing was written to {destination}. "
            + _kept(spec, destination)
        )


def _kept(spec: ServiceSpec, destination: str) -> str:
    """Save the answers of a cancelled run; the sentence that says where and how to reuse them."""
    try:
        path = save_answers(spec, cache_dir() / "answers")
    except OSError as exc:
        return f"Your answers could not be kept ({exc})"
    return (
        f"Your answers are kept in {path}; to use them: scaffold new {spec.service_type} "
        f"{spec.name} --data-file {shlex.quote(str(path))} -o {shlex.quote(destination)}"
    )

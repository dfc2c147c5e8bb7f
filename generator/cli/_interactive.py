"""Ask for missing answers on a terminal, validating each one as it is typed."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from rich.prompt import Confirm, Prompt
from rich.table import Table
from rich.text import Text

from generator.cli._output import err
from generator.errors import BadInputError
from generator.placeholders import DECIDES, advice, placeholder_answers
from generator.spec.answers import Question, check_answer, questions
from generator.spec.models import ServiceSpec


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return json.dumps(value) if value else ""
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


def _ask_one(model: type[ServiceSpec], question: Question, answers: dict[str, Any]) -> Any:
    err.print(f"[dim]{question.help}[/dim]", markup=True, highlight=False)
    choices = f" ({'/'.join(question.choices)})" if question.choices else ""
    while True:
        raw = _read(
            lambda: Prompt.ask(
                f"{question.prompt}{choices}",
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
    for question in questions(model):
        if question.field in answers:
            continue
        answers[question.field] = _ask_one(model, question, answers)
    return answers


def confirm(spec: ServiceSpec, destination: str) -> None:
    """Show the answers as a table and ask before writing; a 'no' writes nothing."""
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
        raise BadInputError("cancelled at the summary; nothing was written")

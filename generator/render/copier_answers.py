"""Answers for an external Copier template, read and checked by Copier's own question code.

Copier's CLI hands every `--data KEY=VALUE` value to the template as text, and each question
parses it by its type: YAML for `yaml` questions and for multiselect lists
(`platforms=[linux, macos]`), `int`/`float`/`bool` casts, choices, then the question's Jinja
`validator`. scaffold does the same with Copier's `Question`, so what Copier accepts scaffold
accepts, with one difference: Copier stops at the first invalid answer, and scaffold checks
every question first and reports each problem under its question's name, all at once, before
anything is rendered or any task runs.

Copier keeps its worker and questions internal (`copier._main`, `copier._user_data`); scaffold
pins copier < 10 and a test compares this module's verdicts with `copier.run_copy`'s.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from copier._main import Worker
from copier._types import MISSING
from copier._user_data import AnswersMap, Question

from generator.errors import FieldProblem

_VALIDATOR = re.compile(r"^Validation error for question '[^']*': ", re.DOTALL)


class AnswerProblems(Exception):
    """Copier's questions rejected answers; every problem, each under its question."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


def comma_lists(config: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """`langs=go,rs` for a multiselect question as the list Copier's `[go, rs]` would give.

    A convenience on top of Copier's syntax (which needs the YAML list): a value that is not
    written as a YAML list is split at its commas.
    """
    result = dict(data)
    for name, value in data.items():
        spec = config.get(name)
        multiselect = isinstance(spec, dict) and spec.get("multiselect")
        if multiselect and isinstance(value, str) and not value.lstrip().startswith("["):
            result[name] = [item.strip() for item in value.split(",") if item.strip()]
    return result


def _choices(question: Question) -> str:
    try:
        values = [c.value for c in question._formatted_choices if not c.disabled]
    except Exception:  # a broken choices list is reported by the render itself
        return ""
    return ", ".join(str(v) for v in values)


def _parse_problem(question: Question, raw: Any, error: Exception) -> str:
    """What is wrong with `raw`, worded for the person who typed it."""
    text = str(error)
    if text.startswith("Invalid choice for"):
        detail = text.split(": ", 1)[-1]
        allowed = _choices(question)
        if " is not in " not in detail:  # a disabled choice: Copier gives the reason
            return f"{raw!r} cannot be chosen: {detail}"
        if not allowed:
            return detail
        each = "each value " if question.multiselect else ""
        return f"{each}must be one of {allowed}"
    if question.multiselect and isinstance(error, TypeError):
        return f"must be a YAML list of choices, such as [{_choices(question)}] (got {raw!r})"
    kind = question.get_type_name()
    return f"must be a {kind} value (got {raw!r}: {text})"


def _check_question(
    worker: Worker, answers: AnswersMap, name: str, details: Mapping[str, Any]
) -> str | None:
    """Mirror Copier's non-interactive `Worker._ask` for one question; the problem, if any."""
    question = Question(
        answers=answers,
        context=worker._render_context(),
        jinja_env=worker.jinja_env,
        settings=worker.settings,
        var_name=name,
        **details,
    )
    try:
        if not question.get_when():
            answers.hide(name)
            if question.get_default() is MISSING:
                return None
        if name not in answers.init:
            answer = question.get_default()
            if answer is MISSING:
                return "is required: the template gives it no default; answer it with --data"
            answers.user[name] = answer
            return None
        raw = answers.init[name]
        try:
            answer = question.parse_answer(raw)
        except (ValueError, TypeError) as exc:
            return _parse_problem(question, raw, exc)
        question.validate_answer(answer)
    except ValueError as exc:
        return _VALIDATOR.sub("", str(exc)).strip()
    answers.user[name] = answer
    return None


def answer_problems(worker: Worker) -> list[FieldProblem]:
    """Every question's problem with the worker's data, in question order."""
    answers = AnswersMap(
        user_defaults=worker.user_defaults,
        init=dict(worker.data),
        last=worker.subproject.last_answers,
        metadata=worker.template.metadata,
        external=worker._external_data(),
    )
    saved = worker.answers
    worker.answers = answers  # the render context of later questions sees earlier answers
    try:
        problems = []
        for name, details in worker.template.questions_data.items():
            problem = _check_question(worker, answers, name, details)
            if problem is not None:
                problems.append(FieldProblem(name, problem))
        return problems
    finally:
        worker.answers = saved


class CheckingWorker(Worker):
    """Copier's worker, checking every answer before its own question loop runs.

    `extra_problems` (scaffold's: answers to questions the template does not ask) are
    reported together with Copier's.
    """

    extra_problems: list[FieldProblem] | None = None

    def _ask(self) -> None:
        problems = [*(self.extra_problems or []), *answer_problems(self)]
        if problems:
            raise AnswerProblems(problems)
        super()._ask()

"""A plain-language description -> a validated spec, every value grounded in its words.

The pipeline (ADR 0014) asks small questions, each of which a 135M model can answer:

1. **Read** the description once, cleaned (`generator.llm.text`): control characters and
   secrets are gone before anything looks at it.
2. **Type**: cue words score each type (`generator.llm.knowledge`). When they clearly point to
   one type, that is the type. Otherwise the model answers an enum-only question with
   few-shot examples (`service-type` prompt); its answer stands when words of the description
   support it, or when no words point anywhere. An unsupported answer is reported as ignored.
3. **Fields**: each field the type takes has a finder that reads it deterministically with
   the span of words that says it (times, time zones, schedules, percentages, negations).
   One value: set. Two values ("public" and "internal"): the model chooses between exactly
   those (`choose-value` prompt). No value: the default, listed as a default.
4. **Name**: one the description gives, else candidates made of its words; the model chooses
   (`choose-name` prompt). **Description**: the user's first sentence, cleaned.
5. **Check**: every value set must have a span of the description that says it (re-read by
   its finder); anything else is dropped to the default and reported
   (`ignored: not in the description`). The spec model then validates as for `--data`; a
   value it refuses is dropped and reported with its message.

A type or name the user gave wins. Every answer is cached, so a re-run makes no call.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from generator.errors import BadInputError, InvalidAnswersError, LlmError
from generator.llm import knowledge
from generator.llm.client import CallRecord, LlmSettings, StructuredLlm, Usage
from generator.llm.outputs import ServiceTypeAnswer, choice_model, service_type_answer
from generator.llm.prompts import get_prompt
from generator.llm.text import Fact, Span, clean, one_line, sentences
from generator.spec.answers import type_spec
from generator.spec.models import ServiceSpec
from generator.spec.registry import resolve_type

PIPELINE_ID = "spec-from-description"
Source = Literal["description", "model", "given"]


class Evidence(BaseModel):
    """Why a field has its value: who decided, and the words of the description that say it."""

    model_config = ConfigDict(extra="forbid")

    value: Any
    source: Source
    words: str = ""
    note: str = ""


class Ignored(BaseModel):
    """A value that was read or proposed but not used, and why."""

    model_config = ConfigDict(extra="forbid")

    field: str
    value: Any = None
    reason: str
    words: str = ""


class ProposedSpec(BaseModel):
    """The validated spec from a description, and where each of its values came from."""

    model_config = ConfigDict(extra="forbid")

    service_type: str
    name: str
    answers: dict[str, Any]
    set_from_description: list[str]
    defaults: list[str]
    ignored: list[Ignored]
    evidence: dict[str, Evidence]
    llm: Usage
    calls: dict[str, CallRecord] = Field(default_factory=dict)


class _Run:
    """One description being read: what was decided so far, and what it cost."""

    def __init__(self, text: str, client: StructuredLlm) -> None:
        self.text = text
        self.client = client
        self.usage = Usage(model=client.settings.model)
        self.calls: dict[str, CallRecord] = {}
        self.evidence: dict[str, Evidence] = {}
        self.ignored: list[Ignored] = []
        self.spans: dict[str, Span] = {}
        self.words: dict[str, tuple[Span, ...]] = {}  # the words each decided value came from

    def ask(self, purpose: str, prompt_id: str, values: dict[str, str], output: Any) -> Any:
        prompt = get_prompt(prompt_id).render(values)
        answer, record = self.client.ask(prompt, output)
        self.usage.add(record)
        self.calls[purpose] = record
        return answer

    def decide(
        self,
        field: str,
        value: Any,
        source: Source,
        span: Span | None,
        note: str = "",
        parts: tuple[Span, ...] = (),
    ) -> None:
        self.evidence[field] = Evidence(
            value=value, source=source, words=span.text if span else "", note=note
        )
        if span is not None:
            self.spans[field] = span
            self.words[field] = parts or (span,)

    # --- the type ------------------------------------------------------------------------

    def service_type(self, given: str | None) -> str:
        if given:
            self.decide("service_type", given, "given", None)
            return given
        found = knowledge.type_evidence(self.text)
        dominant = found.dominant()
        if dominant:
            self.decide("service_type", dominant, "description", found.spans[dominant][0])
            return dominant
        answer: ServiceTypeAnswer = self.ask(
            "service-type", "service-type", {"description": self.text}, service_type_answer()
        )
        said, supported = answer.service_type, found.supported()
        if not supported:
            self.decide(
                "service_type",
                said,
                "model",
                None,
                "no words of the description name a kind of service: the model's reading",
            )
            return said
        if said in supported:
            self.decide("service_type", said, "model", found.spans[said][0])
            return said
        chosen = supported[0]
        self.ignored.append(
            Ignored(field="service_type", value=said, reason="not in the description")
        )
        self.decide("service_type", chosen, "description", found.spans[chosen][0])
        return chosen

    # --- the fields ----------------------------------------------------------------------

    def fields(self, service_type: str) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        wanted = knowledge.fields_for(service_type)
        for field, proposed in knowledge.all_fields().items():
            facts = proposed.finder(self.text)
            if field not in wanted:
                for fact in facts:
                    if fact.value is not None:
                        self.ignored.append(
                            Ignored(
                                field=field,
                                value=fact.value,
                                reason=f"not for {service_type}",
                                words=fact.span.text,
                            )
                        )
                continue
            chosen = self._one(field, facts)
            if chosen is not None:
                answers[field] = chosen.value
        return answers

    def _one(self, field: str, facts: list[Fact]) -> Fact | None:
        """The fact to use for `field`: the only value stated, or the model's choice."""
        for fact in facts:
            if fact.problem:
                self.ignored.append(
                    Ignored(
                        field=field, value=fact.value, reason=fact.problem, words=fact.span.text
                    )
                )
        usable = [f for f in facts if not f.problem]
        values: list[Any] = []
        for fact in usable:
            if fact.value not in values:
                values.append(fact.value)
        if not values:
            return None
        if len(values) == 1:
            chosen = usable[0]
            self.decide(field, chosen.value, "description", chosen.span, chosen.note, chosen.parts)
            return chosen
        return self._choose(field, values, usable)

    def _choose(self, field: str, values: list[Any], facts: list[Fact]) -> Fact:
        question = knowledge.all_fields()[field]
        first = {v: next(f for f in facts if f.value == v) for v in values}
        labels = {question.label(v): v for v in values}
        options = "\n".join(f'- {label}: "{first[v].span.text}"' for label, v in labels.items())
        answer = self.ask(
            f"choose-value:{field}",
            "choose-value",
            {"question": question.question, "options": options, "description": self.text},
            choice_model(tuple(labels)),
        )
        chosen = first[labels[answer.choice]]
        others = ", ".join(question.label(v) for v in values if v != chosen.value)
        self.decide(
            field,
            chosen.value,
            "model",
            chosen.span,
            f"the description also says {others}: the model chose",
            chosen.parts,
        )
        return chosen

    # --- the name and the one-line description --------------------------------------------

    def name(self, given: str | None, service_type: str) -> str:
        from generator.llm.facts import find_name
        from generator.llm.naming import name_candidates
        from generator.spec.fields import _name_problem

        if given:
            self.decide("name", given, "given", None)
            return given
        for fact in find_name(self.text):
            problem = _name_problem(str(fact.value))
            if problem is None:
                self.decide("name", fact.value, "description", fact.span)
                return str(fact.value)
            self.ignored.append(
                Ignored(field="name", value=fact.value, reason=problem, words=fact.span.text)
            )
        exclude: list[Span] = []
        for field, words in self.words.items():
            others = [span for other, span in self.spans.items() if other != field]
            if field == "service_type" and self.spans[field] in others:
                continue  # the type was read from a field's words (a schedule): excluded as those
            exclude += words
        candidates = name_candidates(self.text, service_type, exclude)
        if len(candidates) == 1:
            self.decide("name", candidates[0], "description", None, "made of its words")
            return candidates[0]
        answer = self.ask(
            "choose-name",
            "choose-name",
            {
                "description": self.text,
                "service_type": service_type,
                "options": "\n".join(f"- {c}" for c in candidates),
            },
            choice_model(tuple(candidates)),
        )
        self.decide(
            "name",
            answer.choice,
            "model",
            None,
            f"chosen from {', '.join(candidates)} (made of its words)",
        )
        return str(answer.choice)

    def description(self) -> str | None:
        line = one_line(self.text)
        if not line:
            return None
        first = sentences(self.text)[0]
        self.decide("description", line, "description", first, "the first sentence, cleaned")
        return line

    # --- the check -------------------------------------------------------------------------

    def grounded(self, answers: dict[str, Any]) -> dict[str, Any]:
        """Keep the answers whose span is in the text and says the value; report the rest."""
        finders = {field: proposed.finder for field, proposed in knowledge.all_fields().items()}
        kept = {}
        for field, value in answers.items():
            span = self.spans.get(field)
            ok = span is not None and self._says(field, value, span, finders)
            if ok:
                kept[field] = value
            else:
                self.evidence.pop(field, None)
                self.ignored.append(
                    Ignored(field=field, value=value, reason="not in the description")
                )
        return kept

    def _says(self, field: str, value: Any, span: Span, finders: dict[str, Any]) -> bool:
        """Whether `span` is the description's own text and, re-read, says `value`."""
        if self.text[span.start : span.end] != span.text:
            return False
        if field not in finders:
            return True  # the description field: its span is the sentence it came from
        return any(
            f.value == value and f.span.start < span.end and span.start < f.span.end
            for f in finders[field](self.text)
        )

    def build(
        self,
        service_type: str,
        name: str,
        answers: dict[str, Any],
        given: Mapping[str, Any] | None = None,
        given_pairs: Iterable[tuple[str, str]] = (),
    ) -> ServiceSpec:
        """The spec; a value the spec model refuses is dropped, with the model's message.

        A rule across fields ("postgres cannot meet rpo_minutes 0") is reported on one field
        and names the other as the fix: the named field is the one dropped. The person's own
        answers (`given` from a data file, `given_pairs` from --data) win and are never dropped:
        a problem with them, or with an answer only they can give (the callers' ranges of an
        internal service), is theirs to fix and raised.
        """
        pairs = list(given_pairs)
        while True:
            try:
                return type_spec(service_type, name, {**answers, **(given or {})}, pairs)
            except InvalidAnswersError as error:
                dropped: dict[str, str] = {}
                for problem in error.problems:
                    field = problem.field.split(".")[0]
                    named = [f for f in answers if f != field and f in problem.problem]
                    target = named[0] if named else field
                    user_given = target in (given or {}) or any(k == target for k, _ in pairs)
                    if target in answers and not user_given:
                        dropped.setdefault(target, problem.problem)
                if not dropped:
                    raise
                for field, reason in dropped.items():
                    self.evidence.pop(field, None)
                    self.ignored.append(Ignored(field=field, value=answers[field], reason=reason))
                answers = {k: v for k, v in answers.items() if k not in dropped}


def propose_spec(
    description: str,
    service_type: str | None = None,
    name: str | None = None,
    settings: LlmSettings | None = None,
    llm: StructuredLlm | None = None,
    given: Mapping[str, Any] | None = None,
    given_pairs: Iterable[tuple[str, str]] = (),
) -> tuple[ServiceSpec, ProposedSpec]:
    """A validated spec for `description`, each value grounded in its words; see the module.

    `given` (typed, from a data file) and `given_pairs` (`--data` strings, which win) are the
    person's own answers: they win over the description and complete it.
    """
    if service_type:
        service_type = resolve_type(service_type).name  # bad input before any network call
    text = clean(description)
    if not any(c.isalpha() for c in text):
        raise BadInputError("--describe needs a description of the service in words")
    client = llm or StructuredLlm(settings or LlmSettings.from_env())
    client.check_configured()
    run = _Run(text, client)
    try:
        chosen_type = run.service_type(service_type)
        answers = run.fields(chosen_type)
        chosen_name = run.name(name, chosen_type)
    except LlmError as error:
        if isinstance(error.record, CallRecord):
            run.usage.add(error.record)
        error.record = run.usage  # what every call of this description cost, failed ones too
        raise
    line = run.description()
    if line:
        answers["description"] = line
    answers = run.grounded(answers)
    pairs = list(given_pairs)
    spec = run.build(chosen_type, chosen_name, answers, given, pairs)
    for field in [*(given or {}), *(k for k, _ in pairs)]:
        if field != "name" and field in type(spec).model_fields:
            answers[field] = getattr(spec, field)
            run.decide(field, answers[field], "given", None, "your answer")
    kept = {k: v for k, v in answers.items() if k in run.evidence}
    return spec, ProposedSpec(
        service_type=chosen_type,
        name=chosen_name,
        answers=kept,
        set_from_description=sorted(k for k in kept if run.evidence[k].source != "given")
        + (["name"] if name is None else []),
        defaults=sorted(f for f in type(spec).model_fields if f not in kept and f != "name"),
        ignored=run.ignored,
        evidence=run.evidence,
        llm=run.usage,
        calls=run.calls,
    )

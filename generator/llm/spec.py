"""A plain-language description -> a proposed spec, which the spec model validates.

The model proposes a `SpecProposal`; only the fields the chosen type takes are kept, a type or
name the user gave wins over the model's, and the result goes through the same `build_spec` as
`--data`. Validation errors go back to the model as a re-ask (inside the client's budget), so the
answer either becomes a valid spec or ends in a clear error.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from generator.errors import BadInputError, InvalidAnswersError
from generator.llm.client import CallRecord, LlmSettings, StructuredLlm
from generator.llm.outputs import COMMON_FIELDS, TYPE_FIELDS, SpecProposal
from generator.llm.prompts import get_prompt
from generator.spec.answers import build_spec
from generator.spec.models import ServiceSpec
from generator.spec.registry import resolve_type

PROMPT_ID = "spec-from-description"


class ProposedSpec(BaseModel):
    """The validated spec from a description, and what the model decided."""

    model_config = ConfigDict(extra="forbid")

    service_type: str
    name: str
    answers: dict[str, Any]
    set_by_model: list[str]
    defaults: list[str]
    ignored: list[str]
    llm: CallRecord


def _answers(proposal: SpecProposal, service_type: str) -> tuple[dict[str, Any], list[str]]:
    """The proposal's values that `service_type` takes, and the set fields it ignores."""
    wanted = COMMON_FIELDS | TYPE_FIELDS[service_type]
    answers, ignored = {}, []
    for field, value in proposal.model_dump(exclude={"service_type", "name"}).items():
        if value is None:
            continue
        if field in wanted:
            answers[field] = value.split(",") if field == "environments" else value
        else:
            ignored.append(field)
    return answers, ignored


def _resolve(
    proposal: SpecProposal, service_type: str | None, name: str | None
) -> tuple[str, str | None]:
    chosen_type = resolve_type(service_type).name if service_type else proposal.service_type
    return chosen_type, name or proposal.name


def propose_spec(
    description: str,
    service_type: str | None = None,
    name: str | None = None,
    settings: LlmSettings | None = None,
    llm: StructuredLlm | None = None,
) -> tuple[ServiceSpec, ProposedSpec]:
    """Ask the model for a spec matching `description`; return it validated."""
    if service_type:
        service_type = resolve_type(service_type).name  # bad input before any network call
    prompt = get_prompt(PROMPT_ID).render(
        {"description": description, "service_type": service_type or ""}
    )
    client = llm or StructuredLlm(settings or LlmSettings.from_env())

    def check(proposal: SpecProposal) -> list[str]:
        chosen_type, chosen_name = _resolve(proposal, service_type, name)
        if chosen_name is None:
            return ["name: null; propose a service name (3-24 lowercase letters, digits, hyphens)"]
        answers, _ = _answers(proposal, chosen_type)
        try:
            build_spec(resolve_type(chosen_type).model, chosen_name, answers)
        except InvalidAnswersError as error:
            return [str(problem) for problem in error.problems]
        return []

    proposal, record = client.ask(prompt, SpecProposal, check)
    chosen_type, chosen_name = _resolve(proposal, service_type, name)
    if chosen_name is None:  # only reachable through a cached answer with another check
        raise BadInputError("the model proposed no name: pass NAME")
    answers, ignored = _answers(proposal, chosen_type)
    model = resolve_type(chosen_type).model
    spec = build_spec(model, chosen_name, answers)
    set_by_model = sorted(answers) + (["name"] if name is None else [])
    defaults = sorted(f for f in model.model_fields if f not in answers and f != "name")
    return spec, ProposedSpec(
        service_type=chosen_type,
        name=chosen_name,
        answers=answers,
        set_by_model=set_by_model,
        defaults=defaults,
        ignored=sorted(ignored),
        llm=record,
    )

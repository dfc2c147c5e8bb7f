"""What the prompts ask the model to return: small, strict wire models.

A tiny local model answers one small question far better than it fills a wide object, so the
spec is never asked for as a whole (ADR 0014): the model answers an enum-only question about the
service type (`ServiceTypeAnswer`, whose enum `service_type_answer` makes from the registered
types) and chooses among options scaffold found in the description (`Choice`, whose enum is
made per question by `choice_model`). The drafted sections are plain
text, cut to their length here rather than by the schema: a long `maxLength` turns into a
grammar that llama.cpp's server cannot compile (see `generator.llm.client.wire_schema`).
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model


class ServiceTypeAnswer(BaseModel):
    """Which kind of service a description is: one enum, nothing else."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    service_type: str = Field(description="One of the registered service types.")


def service_type_answer() -> type[ServiceTypeAnswer]:
    """The `ServiceTypeAnswer` whose enum is every registered type, each one described."""
    from generator.spec.registry import all_types

    return _type_answer(tuple((t.name, t.llm.description) for t in all_types()))


@cache
def _type_answer(types: tuple[tuple[str, str], ...]) -> type[ServiceTypeAnswer]:
    names = tuple(name for name, _ in types)
    described = "; ".join(f"{name}: {description}" for name, description in types)
    field: Any = (Literal[names], Field(description=described + "."))
    model: type[ServiceTypeAnswer] = create_model(
        "ServiceTypeAnswer",
        __base__=ServiceTypeAnswer,
        __doc__=ServiceTypeAnswer.__doc__,
        service_type=field,
    )
    return model


class Choice(BaseModel):
    """One option out of those listed in the question (the enum is set per question)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    choice: str = Field(description="One of the options, exactly as listed.")


@cache
def choice_model(options: tuple[str, ...]) -> type[Choice]:
    """A `Choice` whose schema allows exactly `options`."""
    field: Any = (Literal[options], Field(description="One of the options, exactly as listed."))
    model: type[Choice] = create_model("Choice", __base__=Choice, choice=field)
    return model


def _cut(limit: int) -> Any:
    """Cut text longer than `limit` at the last sentence end (else word) before it."""

    def cut(value: Any) -> Any:
        if not isinstance(value, str) or len(value) <= limit:
            return value
        head = value[:limit]
        for boundary in (". ", "! ", "? "):
            position = head.rfind(boundary)
            if position > limit // 3:
                return head[: position + 1]
        return head[: head.rfind(" ")].rstrip(" ,;:") + "..." if " " in head else head

    return BeforeValidator(cut)


#: Plain text of bounded length; a longer answer is cut at a sentence end, not re-asked.
_Title = Annotated[str, _cut(80), Field(min_length=3, max_length=80)]
_Sentence = Annotated[str, _cut(300), Field(min_length=3, max_length=300)]
_Paragraph = Annotated[str, _cut(800), Field(min_length=20, max_length=800)]
_Paragraphs = Annotated[str, _cut(1500), Field(min_length=50, max_length=1500)]


class FailureMode(BaseModel):
    """One way this particular service can fail."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: _Title = Field(description="Short name of the failure.")
    symptom: _Sentence = Field(description="What on-call sees.")
    cause: _Sentence = Field(description="The likely cause.")
    first_check: _Sentence = Field(description="The first thing to check, in one sentence.")


class RunbookFailureModes(BaseModel):
    """Failure modes specific to what the service does (not generic infrastructure ones)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    failure_modes: list[FailureMode] = Field(min_length=1, max_length=5)


class AdrContext(BaseModel):
    """The context section of the service's architecture ADR."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    context: _Paragraphs = Field(
        description="Why the service exists and the forces on its design, in plain prose."
    )


class ReadmeOverview(BaseModel):
    """The opening paragraph of the service's README."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    overview: _Paragraph = Field(
        description="What the service does and for whom, in two to four sentences."
    )


#: The output models a prompt file may name in its front matter, besides `ServiceTypeAnswer`.
_FIXED_MODELS: Final[dict[str, type[BaseModel]]] = {
    "Choice": Choice,
    "RunbookFailureModes": RunbookFailureModes,
    "AdrContext": AdrContext,
    "ReadmeOverview": ReadmeOverview,
}


def output_models() -> dict[str, type[BaseModel]]:
    """Every output model a prompt file may name, `ServiceTypeAnswer` for today's registry."""
    return {"ServiceTypeAnswer": service_type_answer(), **_FIXED_MODELS}

"""A fourth service type, registered in-process, is known to the whole LLM path.

`render-service` (a PDF renderer) is declared here, with its spec model and its `LlmHints`,
and registered through the real entry-point loading of `generator.spec.registry`: the wire
model's enum, the `service-type` prompt's list and examples, the type's cue words and fields,
the draft facts and the name candidates all pick it up, with no edit to `generator/llm/` or
`prompts/`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any, ClassVar, Literal

import pytest
from llm_server import ScriptedServer, answer
from pydantic import Field, ValidationError

from generator.errors import PromptError
from generator.llm.client import LlmSettings, StructuredLlm
from generator.llm.text import Fact, Span
from generator.spec.models import ServiceSpec
from generator.spec.plugin import Capabilities, LlmField, LlmHints, ServiceType


class RenderServiceSpec(ServiceSpec):
    """A PDF renderer: documents in, PDF files out."""

    service_type: ClassVar[str] = "render-service"

    paper: Literal["a4", "letter"] = Field(
        default="a4", title="Paper size", description="The paper size of the PDF files."
    )


def find_paper(text: str) -> list[Fact]:
    """Each paper size the text names, with its words."""
    return [
        Fact("paper", match.group(0).lower(), Span(match.start(), match.end(), match.group(0)))
        for match in re.finditer(r"\b(?:a4|letter)\b", text, re.IGNORECASE)
    ]


HINTS = LlmHints(
    description="turns documents into PDF files on demand",
    examples=("Turn each signed contract into a PDF for the archive.",),
    cues=((r"\bpdfs?\b", 3), (r"\brender(?:s|ing)?\b", 2)),
    fields={"paper": LlmField(find_paper, "Which paper size?", {"letter": "US letter"}, key=True)},
    name_suffix="renderer",
    summary=lambda spec: f"a PDF renderer on {getattr(spec, 'paper', None)} paper",
    verb_names=True,
)
RENDER = ServiceType(
    name="render-service",
    alias="render",
    model=RenderServiceSpec,
    template_dir="render",
    summary="Renders documents into PDF files.",
    creates=("a renderer",),
    terraform_modules=("kms",),
    capabilities=Capabilities(
        runtime="lambda",
        root_module="renderer",
        catalog_type="service",
        noun="PDF renderer",
        image_consumer="the Lambda function",
        alarm_metrics=5,
    ),
    llm=HINTS,
)


@pytest.fixture
def fourth_type(monkeypatch: pytest.MonkeyPatch) -> Iterator[ServiceType]:
    """`render-service` installed beside the built-ins, as a plugin's entry point would be."""
    from generator.spec import registry

    real = registry.entry_points

    def with_render(group: str) -> list[EntryPoint]:
        extra = EntryPoint("render-service", f"{__name__}:RENDER", group)
        return [*real(group=group), extra]

    monkeypatch.setattr(registry, "entry_points", with_render)
    registry.all_types.cache_clear()
    yield RENDER
    registry.all_types.cache_clear()


def test_the_wire_model_accepts_a_registered_type_and_describes_it(
    fourth_type: ServiceType,
) -> None:
    from generator.llm.outputs import output_models, service_type_answer

    model = service_type_answer()
    assert model.model_validate({"service_type": "render-service"}).service_type == (
        "render-service"
    )
    field = model.model_json_schema()["properties"]["service_type"]
    assert field["enum"][-1] == "render-service" and "web-service" in field["enum"]
    assert "render-service: turns documents into PDF files on demand" in field["description"]
    assert output_models()["ServiceTypeAnswer"] is model


def test_the_wire_model_refuses_a_type_nobody_registered() -> None:
    from generator.llm.outputs import service_type_answer

    with pytest.raises(ValidationError):
        service_type_answer().model_validate({"service_type": "render-service"})


def test_the_service_type_prompt_lists_the_type_and_its_examples(
    fourth_type: ServiceType,
) -> None:
    from generator.llm.prompts import get_prompt

    rendered = get_prompt("service-type").render({"description": "A PDF renderer."})
    system = rendered.messages[0].content
    assert "into one of four kinds:" in system
    assert '- "render-service": it turns documents into PDF files on demand.' in system
    turns = [(m.role, m.content) for m in rendered.messages[1:-1]]
    index = turns.index(("assistant", json.dumps({"service_type": "render-service"})))
    assert "Turn each signed contract into a PDF" in turns[index - 1][1]


def test_a_description_of_the_new_type_is_read_with_its_hints(
    fourth_type: ServiceType, tmp_path: Path
) -> None:
    """Its cue words decide the type, its finder reads its field, its question asks the model
    when two values are stated, and the names end with its suffix."""
    from generator.llm.spec import propose_spec

    def respond(request: dict[str, Any]) -> dict[str, Any]:
        schema = request["response_format"]["json_schema"]["schema"]
        if schema["title"] == "ServiceTypeAnswer":
            return answer({"service_type": "render-service"})
        options = schema["properties"]["choice"]["enum"]
        return answer({"choice": "US letter" if "US letter" in options else options[0]})

    with ScriptedServer() as server:
        server.responder = respond
        settings = LlmSettings.model_validate(
            {"base_url": server.url, "api_key": "k", "model": "m", "backoff_seconds": 0,
             "cache_dir": tmp_path / "cache", "state_dir": tmp_path / "state"}
        )  # fmt: skip
        text = "Render the tax forms as PDF files, on A4 in Europe and letter paper."
        spec, proposed = propose_spec(text, llm=StructuredLlm(settings))
    assert isinstance(spec, RenderServiceSpec) and spec.paper == "letter"
    assert proposed.evidence["service_type"].source == "description"
    question = next(r for r in server.requests if "Which paper size?" in str(r["messages"]))
    assert question["response_format"]["json_schema"]["schema"]["properties"]["choice"]["enum"] == [
        "a4",
        "US letter",
    ]
    assert proposed.evidence["paper"].source == "model"  # two sizes stated: the model chose
    assert spec.name == "tax-forms-renderer"  # the first candidate: its words and the suffix


def test_names_use_the_types_suffix_and_verb_names(fourth_type: ServiceType) -> None:
    from generator.llm.naming import name_candidates

    names = name_candidates("Render the tax forms for the bank.", "render")
    assert names[0] == "tax-forms-renderer"
    assert "render-tax-forms" in names


def test_the_draft_facts_come_from_the_type(fourth_type: ServiceType) -> None:
    from generator.llm.drafts import service_summary

    spec = RenderServiceSpec(name="statements-renderer", paper="letter")
    assert service_summary(spec) == (
        "render-service statements-renderer in AWS eu-west-1: a PDF renderer on letter paper."
    )


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"cues": ((r"\bpdf\b", 5),)}, "weight 5"),
        ({"cues": ((r"(unclosed", 2),)}, "cue '(unclosed': missing )"),
        ({"cue_fields": ("format",)}, "cue_fields ['format']"),
        ({"name_suffix": "-Renderer"}, "name_suffix"),
    ],
)
def test_broken_hints_fail_when_the_plugin_loads(changes: dict[str, Any], problem: str) -> None:
    from dataclasses import replace

    with pytest.raises(Exception, match=re.escape(problem)):
        replace(HINTS, **changes)


@pytest.mark.parametrize(
    ("front", "problem"),
    [
        ("parameters: {service_types: {description: x}}", "parameter 'service_types'"),
        (
            "parameters: {d: {description: x}}\n"
            "type_examples: {parameter: e, answer: service_type}",
            "type_examples fill 'e'",
        ),
        (
            "parameters: {d: {description: x}}\ntype_examples: {parameter: d, answer: kind}",
            "example 1",
        ),
    ],
)
def test_a_prompt_misusing_the_registry_values_is_a_clear_error(
    tmp_path: Path, front: str, problem: str
) -> None:
    from generator.llm.prompts import load_prompt

    path = tmp_path / "broken.jinja"
    path.write_text(
        f"---\nid: broken\nversion: 1\npurpose: p\noutput_model: ServiceTypeAnswer\n{front}\n"
        "---\n{% block system %}{% endblock %}{% block user %}x{% endblock %}\n"
    )
    with pytest.raises(PromptError, match=re.escape(problem)):
        load_prompt(path)

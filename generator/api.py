"""The library verbs behind the CLI: they take typed input, return models and never print."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from generator.placeholders import PlaceholderUse
from generator.placeholders import uses as placeholder_uses
from generator.render.atomic import (
    check_destination,
    list_files,
    resolve_output,
    write_atomically,
)
from generator.render.copier_source import CopierSource
from generator.render.source import TemplateSource
from generator.render.staging import scratch
from generator.resources import (
    default_template_source,
    recorded_template_version,
    renderable,
    template_root,
)
from generator.spec.answers import (
    from_data_file,
    load_data_file,
    parse_data_pairs,
    type_spec,
)
from generator.spec.models import ServiceSpec
from generator.spec.registry import all_types, resolve_type


class ServiceTypeInfo(BaseModel):
    """A service type as shown by `scaffold types`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    alias: str
    summary: str
    creates: list[str]
    answers: list[str]


class GenerateResult(BaseModel):
    """What `generate` did (or, with dry_run, would do)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    service_type: str
    name: str
    destination: str
    dry_run: bool
    files: list[str]
    replaced: list[str]
    answers: dict[str, Any]
    # placeholder answers (github_org example-org, ...) and the security-relevant files they
    # reached: to be replaced before the first deploy
    placeholders: list[PlaceholderUse] = []
    # `--draft-docs` sections whose answer was cut off at the token limit (prompt id: why); their
    # standard text stays
    drafts_skipped: dict[str, str] = {}


def service_types() -> list[ServiceTypeInfo]:
    """Every service type scaffold can generate, with what it creates and the answers it takes."""
    return [
        ServiceTypeInfo(
            name=t.name,
            alias=t.alias,
            summary=t.summary,
            creates=list(t.creates),
            answers=list(t.model.model_fields),
        )
        for t in all_types()
    ]


def spec_schema(service_type: str) -> dict[str, Any]:
    """The JSON Schema of a service type's answers."""
    model = resolve_type(service_type).model
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = model.service_type
    return schema


@dataclass(frozen=True)
class LoadedSpec:
    """A validated spec, and notes on answers that were set aside (e.g. a data file's name)."""

    spec: ServiceSpec
    notes: tuple[str, ...] = ()


def load_spec(
    service_type: str,
    name: str,
    *,
    answers: Mapping[str, Any] | None = None,
    data_file: Path | None = None,
    data: Iterable[str] = (),
) -> LoadedSpec:
    """`make_spec`, with the notes a user should see (the CLI prints them on stderr)."""
    resolve_type(service_type)  # an unknown type is reported before the answers
    pairs = parse_data_pairs(data)
    given = dict(answers or {})
    notes: list[str] = []
    if data_file is not None:
        from_file, notes = from_data_file(load_data_file(data_file), name)
        given.update(from_file)
    return LoadedSpec(type_spec(service_type, name, given, pairs), tuple(notes))


def make_spec(
    service_type: str,
    name: str,
    *,
    answers: Mapping[str, Any] | None = None,
    data_file: Path | None = None,
    data: Iterable[str] = (),
) -> ServiceSpec:
    """Validate the answers into a spec: `answers` (a mapping of typed values, as in a data
    file), then a data file's, then `KEY=VALUE` pairs, each winning over the ones before.

    The data file may be a generated repository's `.copier-answers.yml`: its `_` keys and its
    `name` are ignored (NAME names the service).
    """
    return load_spec(service_type, name, answers=answers, data_file=data_file, data=data).spec


def generate(
    spec: ServiceSpec,
    output: Path | None = None,
    *,
    force: bool = False,
    dry_run: bool = False,
    source: TemplateSource | None = None,
    template_dir: Path | None = None,
    template_source: str | None = None,
    template_version: str | None = None,
    post_render: Callable[[Path], None] | None = None,
) -> GenerateResult:
    """Render the service described by `spec` into `output` (default: ./<name>), atomically.

    `template_dir` is a Copier template root (default: the bundled one); the answers file records
    `template_source` as the template repository (`_src_path`, default: see
    `default_template_source`) and `template_version` as its version (`_commit`, default:
    `recorded_template_version`: the installed release, or what a checkout's HEAD is), which
    `scaffold update` and `check` start from.
    `post_render` runs on the rendered tree before it moves into place (LLM drafts and their
    provenance), so it is part of the same atomic write.
    """
    dest = resolve_output(output if output is not None else Path(spec.name))
    engine = source or CopierSource()
    answers = spec.answers()
    root = template_dir or template_root()
    data = {
        **spec.template_data(),
        "template_source": template_source or default_template_source(root),
        "template_version": template_version or recorded_template_version(root),
    }
    template = renderable(root)
    reached: list[PlaceholderUse] = []

    def render(into: Path) -> None:
        engine.render(template, data, into)
        if post_render is not None:
            post_render(into)
        reached[:] = placeholder_uses(answers, into)

    if dry_run:
        check_destination(dest, force)
        with scratch("dry-run") as tmp:
            render(tmp)
            files = list_files(tmp)
        replaced = [f for f in files if (dest / f).exists()]
    else:
        files, replaced = write_atomically(dest, render, force)
    return GenerateResult(
        service_type=spec.service_type,
        name=spec.name,
        destination=str(dest),
        dry_run=dry_run,
        files=files,
        replaced=replaced,
        answers=answers,
        placeholders=reached,
    )

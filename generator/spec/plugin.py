"""What a service type plugin is: one object that owns everything its type adds.

A plugin is a `ServiceType` instance exposed through the `scaffold.service_types` entry-point
group (`generator.spec.registry` loads them). The built-in types in `generator/service_types/`
are registered that way too. Shared templates and shared code branch on a type's
`capabilities`, never on its name, so a new type works without editing either.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from generator.spec.models import ServiceSpec

if TYPE_CHECKING:
    from generator.llm.text import Fact


class Capabilities(BaseModel):
    """What the shared templates and the shared code may ask of a type (template data)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    runtime: Literal["ecs-service", "ecs-task", "lambda"] = Field(
        description="What runs the code: a long-running ECS service, a one-off ECS task, or a "
        "Lambda function."
    )
    load_balancer: bool = Field(
        default=False,
        description="Serves HTTP behind an Application Load Balancer: needs an ACM certificate "
        "(CERTIFICATE_ARN), has WAF, minimum and maximum tasks.",
    )
    database_option: bool = Field(
        default=False,
        description="Offers the `database` answer (RDS PostgreSQL with a migration task).",
    )
    scheduled: bool = Field(
        default=False, description="Runs on a schedule (the `schedule` answers)."
    )
    root_module: str = Field(
        description="Name of the service's module in each environment root (module.<name>)."
    )
    image_extra: str = Field(
        default="",
        description="The pyproject extra the container image installs besides the base "
        "dependencies (empty: none).",
    )
    catalog_type: str = Field(description="Backstage catalog spec.type of the component.")
    noun: str = Field(description="What the service is, in a few words ('web service').")
    image_consumer: str = Field(
        description="What runs the pushed image, in a few words ('the ECS service')."
    )
    alarm_metrics: int = Field(
        ge=0,
        description="Metrics the type's alarms evaluate (metric-math alarms are billed per "
        "metric): part of the idle cost the default budgets are derived from.",
    )
    composite_alarms: int = Field(default=0, ge=0, description="Composite alarms it creates.")


@dataclass(frozen=True)
class ServiceType:
    """One service type: names, spec model, templates, Terraform modules and capabilities.

    `template_dir` is the type's folder name under `templates/` of the rendered template root.
    A built-in type's folder ships with scaffold (`template_source` None); a plugin's lives in
    its own package (`template_source`, and `module_sources` for Terraform modules it adds to
    the library), and scaffold composes them into the template root it renders from. The
    shared pieces (templates/_shared/stubs.yml) are included into the folder by generated
    stubs, except those in `omit_shared`.
    """

    name: str
    alias: str
    model: type[ServiceSpec]
    template_dir: str
    summary: str
    creates: tuple[str, ...]
    terraform_modules: tuple[str, ...]
    capabilities: Capabilities
    llm: LlmHints
    template_source: Path | None = None
    module_sources: tuple[Path, ...] = field(default=())
    #: Shared pieces (destinations in templates/_shared/stubs.yml) this type does not render.
    omit_shared: tuple[str, ...] = field(default=())
    #: Its dependency lock sets in templates/_shared/locks/ (`scaffold samples lock`): name ->
    #: the answers that select it, most specific first. A plugin keeps its locks in its folder.
    lock_variants: tuple[tuple[str, dict[str, Any]], ...] = field(default=())


def finder(target: str) -> Callable[[str], list[Fact]]:
    """The finder `module:function`, imported on its first call.

    Loading the registry (every `scaffold` command that names a type) then costs no import of
    the description readers; only `--describe` and the evals use them.
    """
    module, _, name = target.partition(":")
    loaded: list[Callable[[str], list[Fact]]] = []

    def find(text: str) -> list[Fact]:
        if not loaded:
            from importlib import import_module

            loaded.append(getattr(import_module(module), name))
        return loaded[0](text)

    find.__qualname__ = find.__name__ = name
    return find


@dataclass(frozen=True, eq=False)
class LlmField:
    """A spec field a description may set: the finder that reads it (each value with the words
    that say it), and the question the model is asked when the description states two values.

    `labels` name values for the model ({True: "public"}); `key` counts the field among the
    key fields of the prompt evals' accuracy goal.
    """

    finder: Callable[[str], list[Fact]]
    question: str
    labels: Mapping[object, str] = field(default_factory=dict)
    key: bool = False

    def label(self, value: object) -> str:
        """The option's label for the model: the value, or a word for it."""
        return self.labels.get(value, str(value))


@dataclass(frozen=True, eq=False)
class LlmHints:
    """What `--describe` and `--draft-docs` know of a type (`generator.llm` reads only this).

    - `description`: what the type does, one line after "it" ("answers HTTP requests (an API,
      ...)"): the service-type question lists it, and the wire model's enum describes it.
    - `examples`: descriptions of services of this type, the few-shot examples of that question.
    - `cues`: (regular expression, weight) pairs: words that point to the type (weight 1 a hint,
      2 likely, 3 clear); matched case-insensitively, skipped when negated ("no queue").
    - `fields`: the type's own fields a description may set, by name (the common ones, owner
      team, region, ..., are `generator.llm.knowledge.COMMON_FIELDS`).
    - `name_suffix`: what derived names end with (`-api`, `-job`).
    - `summary(spec)`: what scaffold generated for this spec, in a phrase: the trusted facts
      of the draft prompts ("a Lambda function consuming an SQS queue fed by sns, ...").
    - `verb_names`: names read as an action on an object (refresh-exchange-rates): candidates
      are also built from a verb and its object.
    - `cue_fields`: fields whose stated value is itself a clear cue (a schedule says "a job").
    - `ignore_destinations`: a cue word that is where something is sent ("publishes to SNS")
      does not count (a producer, not a consumer).
    """

    description: str
    examples: tuple[str, ...]
    cues: tuple[tuple[str, int], ...]
    fields: Mapping[str, LlmField]
    name_suffix: str
    summary: Callable[[ServiceSpec], str]
    verb_names: bool = False
    cue_fields: tuple[str, ...] = ()
    ignore_destinations: bool = False

    def __post_init__(self) -> None:
        for pattern, weight in self.cues:
            try:
                re.compile(pattern)  # a broken pattern fails when the plugin loads
            except re.error as error:
                raise ValueError(f"cue {pattern!r}: {error}") from None
            if weight not in (1, 2, 3):
                raise ValueError(f"cue {pattern!r}: weight {weight}; use 1, 2 or 3")
        unknown = sorted(set(self.cue_fields) - set(self.fields))
        if unknown:
            raise ValueError(f"cue_fields {unknown} are not among the hints' fields")
        if not re.fullmatch(r"[a-z][a-z0-9]*", self.name_suffix):
            raise ValueError(f"name_suffix {self.name_suffix!r}: lowercase letters and digits")

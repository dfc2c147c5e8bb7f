"""What a service type plugin is: one object that owns everything its type adds.

A plugin is a `ServiceType` instance exposed through the `scaffold.service_types` entry-point
group (`generator.spec.registry` loads them). The built-in types in `generator/service_types/`
are registered that way too. Shared templates and shared code branch on a type's
`capabilities`, never on its name, so a new type works without editing either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from generator.spec.models import ServiceSpec


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
    verb_names: bool = Field(
        default=False,
        description="Names read as an action on an object (nightly-report, order-events): the "
        "LLM's name suggestions are built from a verb and its object.",
    )


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
    template_source: Path | None = None
    module_sources: tuple[Path, ...] = field(default=())
    #: Shared pieces (destinations in templates/_shared/stubs.yml) this type does not render.
    omit_shared: tuple[str, ...] = field(default=())
    #: Its dependency lock sets in templates/_shared/locks/ (`scaffold samples lock`): name ->
    #: the answers that select it, most specific first. A plugin keeps its locks in its folder.
    lock_variants: tuple[tuple[str, dict[str, Any]], ...] = field(default=())

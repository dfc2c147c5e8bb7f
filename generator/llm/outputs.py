"""What the prompts ask the model to return: flat, strict wire models.

Every field is required and nullable (`X | None` without a default), so the JSON Schema is one
that strict structured-output servers accept and small models can follow: no defaults, no
nesting, enums, patterns and lengths where the spec has them. The wire model is never used as
the spec: `generator.llm.spec` maps it onto the spec model, which decides.

What the model may propose is exactly these fields. GitHub organisation, cost center, tags, file
paths, IAM, template sources: none of them is here, so no description can set them.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from generator.spec.fargate import FARGATE_CPU
from generator.spec.fields import AWS_REGIONS

_NAME = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
_SLUG = r"^[a-z0-9][a-z0-9-]{0,38}$"

Region = Literal[AWS_REGIONS]  # type: ignore[valid-type]
Cpu = Literal[FARGATE_CPU]  # type: ignore[valid-type]


class SpecProposal(BaseModel):
    """A service spec proposed from a description; null means "not said, use the default"."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    service_type: Literal["web-service", "batch-service", "event-service"] = Field(
        description="web-service: an HTTP API; batch-service: a job on a schedule; "
        "event-service: consumes messages or events from a queue, topic or bus."
    )
    name: Annotated[str, Field(pattern=_NAME, min_length=3, max_length=24)] | None = Field(
        description="Service name: 3-24 lowercase letters, digits and single hyphens, "
        "starting with a letter, e.g. orders-api."
    )
    description: Annotated[str, Field(min_length=1, max_length=300)] | None = Field(
        description="What the service does, in one sentence."
    )
    owner_team: Annotated[str, Field(pattern=_SLUG)] | None = Field(
        description="Owning team as a lowercase slug, only if the description names one."
    )
    aws_region: Region | None = Field(description="AWS region, only if the description names one.")
    environments: list[Literal["dev", "staging", "prod"]] | None = Field(
        description="Environments, only if the description says which."
    )
    slo_availability: Annotated[float, Field(ge=90, le=99.99)] | None = Field(
        description="Availability objective in percent, e.g. 99.9."
    )
    monthly_budget_usd: Annotated[int, Field(ge=1, le=1_000_000)] | None = Field(
        description="Monthly AWS budget in USD."
    )
    rto_minutes: Annotated[int, Field(ge=5, le=10080)] | None = Field(
        description="Recovery time objective in minutes."
    )
    rpo_minutes: Annotated[int, Field(ge=0, le=10080)] | None = Field(
        description="Recovery point objective in minutes."
    )
    cpu: Cpu | None = Field(description="web or batch: Fargate CPU units (1024 = 1 vCPU).")
    memory_mb: Annotated[int, Field(ge=128, le=122880)] | None = Field(
        description="Memory in MB (Fargate task, or Lambda function for event services)."
    )
    database: Literal["none", "postgres"] | None = Field(
        description="web only: postgres when the service stores relational data."
    )
    internet_facing: bool | None = Field(
        description="web only: true for a public API, false for an internal one."
    )
    min_tasks: Annotated[int, Field(ge=2, le=100)] | None = Field(
        description="web only: fewest running tasks."
    )
    max_tasks: Annotated[int, Field(ge=2, le=100)] | None = Field(
        description="web only: most running tasks."
    )
    schedule: Annotated[str, Field(pattern=r"^(cron|rate)\(.+\)$", max_length=100)] | None = Field(
        description="batch only: EventBridge Scheduler expression, e.g. cron(0 2 * * ? *) "
        "for 02:00 every day, or rate(1 hour)."
    )
    schedule_timezone: Annotated[str, Field(pattern=r"^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$")] | None = (
        Field(description="batch only: IANA time zone of the schedule, e.g. Europe/Berlin.")
    )
    timeout_minutes: Annotated[int, Field(ge=1, le=1440)] | None = Field(
        description="batch only: the job's timeout in minutes."
    )
    source: Literal["sqs", "sns", "eventbridge"] | None = Field(
        description="event only: sqs (a queue), sns (a topic) or eventbridge (events on a bus)."
    )
    batch_size: Annotated[int, Field(ge=1, le=10)] | None = Field(
        description="event only: messages per invocation."
    )
    max_concurrency: Annotated[int, Field(ge=2, le=1000)] | None = Field(
        description="event only: most concurrent invocations."
    )


#: The fields of SpecProposal each service type takes (the rest are ignored for that type).
TYPE_FIELDS: Final = {
    "web-service": {"cpu", "memory_mb", "database", "internet_facing", "min_tasks", "max_tasks"},
    "batch-service": {"cpu", "memory_mb", "schedule", "schedule_timezone", "timeout_minutes"},
    "event-service": {"memory_mb", "source", "batch_size", "max_concurrency"},
}
COMMON_FIELDS: Final = {
    "description", "owner_team", "aws_region", "environments", "slo_availability",
    "monthly_budget_usd", "rto_minutes", "rpo_minutes",
}  # fmt: skip


class FailureMode(BaseModel):
    """One way this particular service can fail."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=3, max_length=80, description="Short name of the failure.")
    symptom: str = Field(min_length=3, max_length=300, description="What on-call sees.")
    cause: str = Field(min_length=3, max_length=300, description="The likely cause.")
    first_check: str = Field(
        min_length=3, max_length=300, description="The first thing to check, in one sentence."
    )


class RunbookFailureModes(BaseModel):
    """Failure modes specific to what the service does (not generic infrastructure ones)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    failure_modes: list[FailureMode] = Field(min_length=1, max_length=5)


class AdrContext(BaseModel):
    """The context section of the service's architecture ADR."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    context: str = Field(
        min_length=50,
        max_length=1500,
        description="Why the service exists and the forces on its design, in plain prose.",
    )


class ReadmeOverview(BaseModel):
    """The opening paragraph of the service's README."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    overview: str = Field(
        min_length=20,
        max_length=800,
        description="What the service does and for whom, in two to four sentences.",
    )


#: Every output model a prompt file may name in its front matter.
OUTPUT_MODELS: Final[dict[str, type[BaseModel]]] = {
    "SpecProposal": SpecProposal,
    "RunbookFailureModes": RunbookFailureModes,
    "AdrContext": AdrContext,
    "ReadmeOverview": ReadmeOverview,
}

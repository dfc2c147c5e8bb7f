"""What the prompts ask the model to return: flat, strict wire models.

Every field is required and nullable (`X | None` without a default), so the JSON Schema is one
that strict structured-output servers accept and small models can follow: no defaults, no
nesting, enums, patterns and lengths where the spec has them. The wire model is never used as
the spec: `generator.llm.spec` maps it onto the spec model, which decides.

What the model may propose is exactly these fields. GitHub organisation, cost center, tags, file
paths, IAM, template sources: none of them is here, so no description can set them.
"""

from __future__ import annotations

import re
from typing import Annotated, Final, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from generator.spec.fields import AWS_REGIONS

# Every repetition bounded: llama.cpp's grammar ignores maxLength next to a pattern, and an
# unbounded `*` lets a small model write until it runs out of tokens. The spec model then
# checks the finer rules (single hyphens, valid cron fields).
_NAME = r"^[a-z][a-z0-9-]{1,22}[a-z0-9]$"
_SLUG = r"^[a-z0-9][a-z0-9-]{0,38}$"
_MARKUP = re.compile(r"[<>`{}|\\]")
# Six cron fields or a rate: the shape a grammar can enforce; the spec model checks the rest.
_SCHEDULE = (
    # Listed characters, not a negated class: llama.cpp lets `"` through a negated class, which
    # breaks the JSON string.
    r"^(cron\(" + " ".join([r"[0-9A-Za-z*?/,#L-]{1,20}"] * 6) + r"\)"
    r"|rate\([1-9][0-9]{0,3} (minute|minutes|hour|hours|day|days)\))$"
)

Region = Literal[AWS_REGIONS]  # type: ignore[valid-type]
SLO_CHOICES: Final = (99.0, 99.5, 99.9, 99.95, 99.99)


def _slo_choice(value: float) -> float:
    if value not in SLO_CHOICES:
        raise ValueError(f"must be one of {', '.join(map(str, SLO_CHOICES))}")
    return value


# typing's Literal takes no floats: an enum in the schema, checked after validation.
SloChoice = Annotated[
    float, AfterValidator(_slo_choice), Field(json_schema_extra={"enum": list(SLO_CHOICES)})
]
#: Time zones a description names most; any other IANA zone is given with --data.
TimeZoneChoice = Literal[
    "UTC", "Europe/London", "Europe/Dublin", "Europe/Paris", "Europe/Berlin", "Europe/Madrid",
    "Europe/Rome", "Europe/Amsterdam", "Europe/Stockholm", "Europe/Warsaw", "Europe/Zurich",
    "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
    "America/Toronto", "America/Sao_Paulo", "America/Mexico_City", "Asia/Tokyo", "Asia/Seoul",
    "Asia/Shanghai", "Asia/Singapore", "Asia/Kolkata", "Asia/Dubai", "Australia/Sydney",
    "Africa/Johannesburg",
]  # fmt: skip


class SpecProposal(BaseModel):
    """A service spec proposed from a description; null means "not said, use the default".

    Numbers are choices (enums), not ranges: a grammar-constrained local model can only pick a
    listed value, where a bare integer would invite any number. Sizing (CPU, memory, task
    counts) is not proposed at all: descriptions rarely say it, and `--data` sets it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    service_type: Literal["web-service", "batch-service", "event-service"] = Field(
        description="web-service: an HTTP API; batch-service: a job on a schedule; "
        "event-service: consumes messages or events from a queue, topic or bus."
    )
    name: Annotated[str, Field(pattern=_NAME, min_length=3, max_length=24)] | None = Field(
        description="Service name: 3-24 lowercase letters, digits and single hyphens, "
        "starting with a letter, e.g. orders-api."
    )
    # Plain text (checked below, not in the schema: llama.cpp's grammar drops maxLength when a
    # pattern is present, and a tiny model then writes until it runs out of tokens).
    description: Annotated[str, Field(min_length=1, max_length=200)] | None = Field(
        description="What the service does, in one short plain sentence."
    )
    owner_team: Annotated[str, Field(pattern=_SLUG)] | None = Field(
        description="Owning team as a lowercase slug, only if the description names one."
    )
    aws_region: Region | None = Field(description="AWS region, only if the description names one.")
    # One choice per combination: a grammar cannot forbid repeats in a list.
    environments: (
        Literal[
            "dev,staging,prod", "dev,prod", "staging,prod", "dev,staging", "prod", "staging", "dev"
        ]
        | None
    ) = Field(description="Environments, comma-separated, only if the description says which.")
    slo_availability: SloChoice | None = Field(description="Availability objective in percent.")
    monthly_budget_usd: Literal[25, 50, 100, 200, 500, 1000, 2000, 5000, 10000] | None = Field(
        description="Monthly AWS budget in USD."
    )
    rto_minutes: Literal[15, 30, 60, 240, 1440] | None = Field(
        description="Recovery time objective in minutes."
    )
    rpo_minutes: Literal[0, 5, 15, 60, 1440] | None = Field(
        description="Recovery point objective: minutes of data that may be lost."
    )
    database: Literal["none", "postgres"] | None = Field(
        description="web only: postgres when the service stores relational data."
    )
    internet_facing: bool | None = Field(
        description="web only: true for a public API, false for an internal one."
    )
    schedule: Annotated[str, Field(pattern=_SCHEDULE, max_length=100)] | None = Field(
        description="batch only: EventBridge Scheduler expression, e.g. cron(0 2 * * ? *) for "
        "02:00 every day, or rate(1 hour)."
    )
    schedule_timezone: TimeZoneChoice | None = Field(
        description="batch only: time zone the schedule is read in."
    )
    timeout_minutes: Literal[5, 15, 30, 60, 120, 240, 480] | None = Field(
        description="batch only: the job's timeout in minutes."
    )
    source: Literal["sqs", "sns", "eventbridge"] | None = Field(
        description="event only: sqs (a queue), sns (a topic) or eventbridge (events on a bus)."
    )
    batch_size: Literal[1, 2, 5, 10] | None = Field(
        description="event only: messages per invocation."
    )
    max_concurrency: Literal[2, 5, 10, 20, 50, 100] | None = Field(
        description="event only: most concurrent invocations."
    )

    @field_validator("description")
    @classmethod
    def _plain_text(cls, value: str | None) -> str | None:
        """The description is rendered into the README and docs: no markup characters."""
        if value is not None and _MARKUP.search(value):
            raise ValueError("plain text only: no < > ` { } | or backslash")
        return value


#: The fields of SpecProposal each service type takes (the rest are ignored for that type).
TYPE_FIELDS: Final = {
    "web-service": {"database", "internet_facing"},
    "batch-service": {"schedule", "schedule_timezone", "timeout_minutes"},
    "event-service": {"source", "batch_size", "max_concurrency"},
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

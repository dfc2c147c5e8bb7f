"""Runtime configuration, read from `JOB_*` environment variables."""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AwareDatetime, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    """The job's settings; each field is read from `JOB_<FIELD NAME>`.

    ECS sets them in the task definition, except `JOB_SCHEDULED_TIME`, which EventBridge
    Scheduler passes per run as a container environment override.
    """

    model_config = SettingsConfigDict(env_prefix="JOB_", env_ignore_empty=True, frozen=True)

    scheduled_time: AwareDatetime | None = Field(
        default=None,
        description="When this run was scheduled (ISO 8601 with offset, e.g. "
        "2024-05-01T02:00:00Z); unset for a manual run, which then uses the current time.",
    )
    timeout_seconds: float = Field(
        default=2700,
        gt=0,
        description="How long the job may run before it is stopped and fails.",
    )
    idempotency_table: str = Field(
        min_length=3,
        max_length=255,
        description="DynamoDB table that records each scheduled run's state.",
    )
    idempotency_ttl_days: int = Field(
        default=7,
        ge=1,
        le=365,
        description="How long a run's record is kept; after that the run counts as never run.",
    )
    region: str = Field(default="eu-central-1", description="AWS region of the table.")
    schedule_timezone: str = Field(
        default="Europe/Berlin",
        description="IANA time zone of the schedule; the job reports in it.",
    )
    log_level: LogLevel = Field(default="INFO", description="Lowest level that is logged.")

    @field_validator("schedule_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r}") from None
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_case_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def timezone(self) -> ZoneInfo:
        """The schedule's time zone."""
        return ZoneInfo(self.schedule_timezone)

"""Runtime configuration, read from `APP_*` environment variables."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from pricing_api.wiring import IntegrationSettings

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(IntegrationSettings):
    """Service settings; each field `x` is read from the environment variable `APP_X`.

    The integrations' settings (the database's, when the service has one) come from
    `wiring.IntegrationSettings`, which scaffold keeps in step with the service's answers.
    """

    model_config = SettingsConfigDict(env_prefix="APP_", frozen=True)

    service_name: str = Field(default="pricing-api", min_length=1)
    port: int = Field(default=9000, ge=1, le=65535)
    log_level: LogLevel = "INFO"
    shutdown_grace_seconds: float = Field(default=5.0, ge=0, le=120)
    shutdown_timeout_seconds: int = Field(default=20, ge=1, le=120)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_case_level(cls, value: object) -> object:
        """Accept `info` as well as `INFO`."""
        return value.upper() if isinstance(value, str) else value

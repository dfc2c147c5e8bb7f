"""Runtime configuration, read from `APP_*` environment variables."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    """Service settings; each field `x` is read from the environment variable `APP_X`."""

    model_config = SettingsConfigDict(env_prefix="APP_", frozen=True)

    service_name: str = Field(default="orders-api", min_length=1)
    port: int = Field(default=8080, ge=1, le=65535)
    log_level: LogLevel = "INFO"
    shutdown_grace_seconds: float = Field(default=5.0, ge=0, le=120)
    shutdown_timeout_seconds: int = Field(default=20, ge=1, le=120)
    aws_region: str = "eu-west-1"
    db_host: str = "localhost"
    db_port: int = Field(default=5432, ge=1, le=65535)
    db_name: str = "orders_api"
    db_user: str = "orders_api"
    db_iam_auth: bool = False
    db_connect_timeout_seconds: int = Field(default=2, ge=1, le=30)
    # The migration task only (`python -m orders_api.migrate`): the master user, which the
    # ECS agent injects from the RDS-managed secret. The service itself never has them.
    db_master_user: str = ""
    db_master_password: SecretStr = SecretStr("")

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_case_level(cls, value: object) -> object:
        """Accept `info` as well as `INFO`."""
        return value.upper() if isinstance(value, str) else value

"""What this service's answers switch on: its integrations and the load balancer's health path.

scaffold manages this module: `scaffold update` re-renders it when the template changes and
when an answer does (`scaffold update --data database=postgres`), merging your edits in. The
rest of the application builds on it and works with or without each integration, so an answer
can change later without touching your code.

Integrations: PostgreSQL (`database.py`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, FastAPI
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings

from orders_api.database import Database, DatabaseDep

if TYPE_CHECKING:
    from orders_api.settings import Settings

#: The path the load balancer's target group probes (readiness).
LOAD_BALANCER_HEALTH_PATH = "/healthz"

#: A readiness probe: True while the dependency answers.
Probe = Callable[[], Awaitable[bool]]


class IntegrationSettings(BaseSettings):
    """The integrations' settings (`APP_*` variables); `settings.Settings` extends this class."""

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


def attach(app: FastAPI, settings: Settings) -> None:
    """Create the integrations' clients on `app.state` (`app.create_app` calls this)."""
    app.state.database = Database(settings)


def readiness_probes(database: DatabaseDep) -> dict[str, Probe]:
    """What readiness waits for, by name: each dependency's probe (FastAPI provides them)."""
    return {"database": database.ping}


ReadinessProbes = Annotated[dict[str, Probe], Depends(readiness_probes)]

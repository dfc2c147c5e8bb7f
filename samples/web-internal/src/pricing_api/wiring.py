"""What this service's answers switch on: its integrations and the load balancer's health path.

scaffold manages this module: `scaffold update` re-renders it when the template changes and
when an answer does (`scaffold update --data database=postgres`), merging your edits in. The
rest of the application builds on it and works with or without each integration, so an answer
can change later without touching your code.

Integrations: none. `scaffold update --data database=postgres` adds PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, FastAPI
from pydantic_settings import BaseSettings

if TYPE_CHECKING:
    from pricing_api.settings import Settings

#: The path the load balancer's target group probes (readiness).
LOAD_BALANCER_HEALTH_PATH = "/status"

#: A readiness probe: True while the dependency answers.
Probe = Callable[[], Awaitable[bool]]


class IntegrationSettings(BaseSettings):
    """The integrations' settings (`APP_*` variables); `settings.Settings` extends this class."""


def attach(app: FastAPI, settings: Settings) -> None:
    """Create the integrations' clients on `app.state` (`app.create_app` calls this)."""


def readiness_probes() -> dict[str, Probe]:
    """What readiness waits for, by name: each dependency's probe (FastAPI provides them)."""
    return {}


ReadinessProbes = Annotated[dict[str, Probe], Depends(readiness_probes)]

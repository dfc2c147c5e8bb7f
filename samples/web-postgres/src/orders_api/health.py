"""Health endpoints: /healthz (liveness) and /readyz (readiness: draining and dependencies)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status
from pydantic import BaseModel

from orders_api.dependencies import DatabaseDep, LifecycleDep

#: The path the load balancer's target group probes.
LOAD_BALANCER_HEALTH_PATH = "/healthz"

#: Probe paths; their access log lines are written at DEBUG so probes do not flood the logs.
PROBE_PATHS = frozenset({"/healthz", "/readyz", LOAD_BALANCER_HEALTH_PATH})

router = APIRouter(tags=["health"])


class HealthStatus(BaseModel):
    """The body of every health response."""

    status: str


@router.get("/healthz")
async def liveness() -> HealthStatus:
    """Liveness: answers 200 for as long as the process can serve requests at all."""
    return HealthStatus(status="ok")


async def readiness(
    response: Response,
    lifecycle: LifecycleDep,
    database: DatabaseDep,
) -> HealthStatus:
    """Readiness: 200 when this task should get traffic, 503 while it must not."""
    if lifecycle.draining:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return HealthStatus(status="shutting down")
    if not await database.ping():
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return HealthStatus(status="database unavailable")
    return HealthStatus(status="ready")


_NOT_READY: dict[int | str, dict[str, Any]] = {
    status.HTTP_503_SERVICE_UNAVAILABLE: {"model": HealthStatus}
}
router.add_api_route("/readyz", readiness, methods=["GET"], responses=_NOT_READY)

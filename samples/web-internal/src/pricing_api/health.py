"""Health endpoints: /healthz (liveness) and /readyz (readiness: draining and dependencies)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status
from pydantic import BaseModel

from pricing_api.dependencies import LifecycleDep
from pricing_api.wiring import LOAD_BALANCER_HEALTH_PATH, ReadinessProbes

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
    response: Response, lifecycle: LifecycleDep, probes: ReadinessProbes
) -> HealthStatus:
    """Readiness: 200 when this task should get traffic, 503 while it must not.

    Not while draining; not while a dependency the service needs (`wiring.readiness_probes`)
    does not answer.
    """
    if lifecycle.draining:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return HealthStatus(status="shutting down")
    for name, probe in probes.items():
        if not await probe():
            response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
            return HealthStatus(status=f"{name} unavailable")
    return HealthStatus(status="ready")


_NOT_READY: dict[int | str, dict[str, Any]] = {
    status.HTTP_503_SERVICE_UNAVAILABLE: {"model": HealthStatus}
}
router.add_api_route("/readyz", readiness, methods=["GET"], responses=_NOT_READY)
if LOAD_BALANCER_HEALTH_PATH not in {"/healthz", "/readyz"}:
    router.add_api_route(
        LOAD_BALANCER_HEALTH_PATH, readiness, methods=["GET"], responses=_NOT_READY
    )

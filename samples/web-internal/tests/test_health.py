"""Liveness and readiness, as the load balancer and ECS see them."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from pricing_api.wiring import LOAD_BALANCER_HEALTH_PATH, readiness_probes


async def _answers() -> bool:
    return True


async def _down() -> bool:
    return False


def _no_probes() -> dict[str, object]:
    return {}


@pytest.fixture
def serving(app: FastAPI) -> FastAPI:
    """The app with every dependency answering its readiness probe."""
    app.dependency_overrides[readiness_probes] = _no_probes
    return app


def test_readiness_is_ok_while_serving(serving: FastAPI, client: TestClient) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


def test_readiness_fails_while_shutting_down(serving: FastAPI, client: TestClient) -> None:
    serving.state.lifecycle.start_draining()

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "shutting down"}


def test_readiness_fails_while_a_dependency_does_not_answer(
    app: FastAPI, client: TestClient
) -> None:
    app.dependency_overrides[readiness_probes] = lambda: {"queue": _down, "cache": _answers}

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "queue unavailable"}


def test_draining_wins_over_the_dependencies(app: FastAPI, client: TestClient) -> None:
    app.dependency_overrides[readiness_probes] = lambda: {"queue": _down}
    app.state.lifecycle.start_draining()

    assert client.get("/readyz").json() == {"status": "shutting down"}


def test_liveness_is_ok(client: TestClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_liveness_stays_ok_while_shutting_down(app: FastAPI, client: TestClient) -> None:
    app.state.lifecycle.start_draining()

    assert client.get("/healthz").status_code == 200


@pytest.mark.skipif(
    LOAD_BALANCER_HEALTH_PATH in {"/healthz", "/readyz"},
    reason="the load balancer probes one of the standard endpoints",
)
def test_load_balancer_path_serves_readiness(serving: FastAPI, client: TestClient) -> None:
    assert client.get(LOAD_BALANCER_HEALTH_PATH).json() == {"status": "ready"}

    serving.state.lifecycle.start_draining()
    response = client.get(LOAD_BALANCER_HEALTH_PATH)

    assert response.status_code == 503
    assert response.json() == {"status": "shutting down"}

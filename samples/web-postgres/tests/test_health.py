"""Liveness and readiness, as the load balancer and ECS see them."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from orders_api.dependencies import get_database
from tests.conftest import LogLines


class ReachableDatabase:
    """Stands in for a database whose probe succeeds."""

    async def ping(self) -> bool:
        return True


def test_readiness_is_ok_when_the_database_answers(app: FastAPI, client: TestClient) -> None:
    app.dependency_overrides[get_database] = ReachableDatabase

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


def test_readiness_fails_when_the_database_is_unreachable(
    client: TestClient, log_lines: LogLines
) -> None:
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "database unavailable"}
    warnings = [line for line in log_lines() if line["message"] == "database check failed"]
    assert warnings
    assert warnings[0]["level"] == "WARNING"
    assert warnings[0]["error_type"] == "OperationalError"


def test_draining_wins_over_the_database_check(app: FastAPI, client: TestClient) -> None:
    app.dependency_overrides[get_database] = ReachableDatabase
    app.state.lifecycle.start_draining()

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "shutting down"}


def test_liveness_is_ok(client: TestClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_liveness_stays_ok_while_shutting_down(app: FastAPI, client: TestClient) -> None:
    app.state.lifecycle.start_draining()

    assert client.get("/healthz").status_code == 200

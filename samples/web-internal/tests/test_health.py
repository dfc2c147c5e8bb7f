"""Liveness and readiness, as the load balancer and ECS see them."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient


def test_readiness_is_ok_while_serving(client: TestClient) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


def test_readiness_fails_while_shutting_down(app: FastAPI, client: TestClient) -> None:
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


def test_load_balancer_path_serves_readiness(app: FastAPI, client: TestClient) -> None:
    assert client.get("/status").json() == {"status": "ready"}

    app.state.lifecycle.start_draining()
    response = client.get("/status")

    assert response.status_code == 503
    assert response.json() == {"status": "shutting down"}

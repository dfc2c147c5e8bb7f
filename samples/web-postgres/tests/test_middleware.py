"""Request IDs, the JSON access log and unhandled errors."""

from __future__ import annotations

import logging
import uuid

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from orders_api.logs import log_context
from tests.conftest import LogLines


def test_request_id_is_generated_when_absent(client: TestClient) -> None:
    response = client.get("/healthz")

    assert uuid.UUID(response.headers["X-Request-ID"]).version == 4


def test_sane_request_id_is_echoed(client: TestClient) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "req-42.a:b_C"})

    assert response.headers["X-Request-ID"] == "req-42.a:b_C"


@pytest.mark.parametrize(
    "incoming",
    ["", "has spaces", "<script>alert(1)</script>", "a;rm -rf /", "x" * 129, "caf\u00e9"],
)
def test_unsafe_request_id_is_replaced(client: TestClient, incoming: str) -> None:
    response = client.get("/healthz", headers=[(b"X-Request-ID", incoming.encode())])

    echoed = response.headers["X-Request-ID"]
    assert echoed != incoming
    assert uuid.UUID(echoed).version == 4


def test_access_log_line_is_json_with_request_fields(
    client: TestClient, log_lines: LogLines
) -> None:
    client.get("/v1/greetings/Ada", headers={"X-Request-ID": "abc-123"})

    access = [line for line in log_lines() if line["logger"] == "orders_api.access"]
    assert len(access) == 1
    line = access[0]
    assert line["message"] == "request"
    assert line["level"] == "INFO"
    assert line["service"] == "test-service"
    assert line["method"] == "GET"
    assert line["path"] == "/v1/greetings/Ada"
    assert line["status"] == 200
    assert line["request_id"] == "abc-123"
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] >= 0


def test_logs_inside_a_request_carry_its_id(
    app: FastAPI, client: TestClient, log_lines: LogLines
) -> None:
    def handler() -> dict[str, str]:
        logging.getLogger("orders_api.handler").info("working")
        return {}

    app.add_api_route("/work", handler)

    client.get("/work", headers={"X-Request-ID": "ctx-1"})

    working = [line for line in log_lines() if line["message"] == "working"]
    assert [line["request_id"] for line in working] == ["ctx-1"]
    assert log_context.get() is None


def test_health_probes_are_logged_only_at_debug(client: TestClient, log_lines: LogLines) -> None:
    client.get("/readyz")
    client.get("/healthz")
    assert not [line for line in log_lines() if line["logger"] == "orders_api.access"]

    logging.getLogger().setLevel(logging.DEBUG)
    client.get("/healthz")

    access = [line for line in log_lines() if line["logger"] == "orders_api.access"]
    assert [(line["level"], line["path"]) for line in access] == [("DEBUG", "/healthz")]


def test_unhandled_error_is_a_json_500_with_request_id(
    app: FastAPI, client: TestClient, log_lines: LogLines
) -> None:
    def broken() -> None:
        raise RuntimeError("boom")

    app.add_api_route("/broken", broken)

    response = client.get("/broken", headers={"X-Request-ID": "err-1"})

    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error"}
    assert response.headers["X-Request-ID"] == "err-1"
    lines = log_lines()
    error = next(line for line in lines if line["message"] == "unhandled error")
    assert error["level"] == "ERROR"
    assert error["request_id"] == "err-1"
    assert "RuntimeError: boom" in error["exception"]
    access = next(line for line in lines if line["logger"] == "orders_api.access")
    assert access["status"] == 500

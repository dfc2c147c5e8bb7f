"""Shared fixtures: a clean environment, the app and its client, and JSON log capture."""

from __future__ import annotations

import io
import json
import logging
import os
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from orders_api.app import create_app
from orders_api.logs import configure_logging
from orders_api.settings import Settings
from tests.wiring import offline_settings

LogLines = Callable[[], list[dict[str, Any]]]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep APP_* variables from the developer's shell out of the tests."""
    for key in list(os.environ):
        if key.startswith("APP_"):
            monkeypatch.delenv(key)


@pytest.fixture
def closed_port() -> int:
    """A local TCP port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def settings(closed_port: int) -> Settings:
    """Settings for tests; every integration points at a closed port, so nothing real is touched."""
    return Settings(**offline_settings(closed_port))


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    """A fresh app."""
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A test client for `app`, with its lifespan running."""
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def log_lines() -> Iterator[LogLines]:
    """Log through the service's JSON setup (INFO); call the result to get the new lines, parsed.

    The handler that `configure_logging` puts on stdout is pointed at a buffer instead, because
    pytest swaps `sys.stdout` between test phases.
    """
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    configure_logging("test-service", "INFO")
    (handler,) = root.handlers
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    handler.setStream(buffer)

    def read() -> list[dict[str, Any]]:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return [json.loads(line) for line in text.splitlines()]

    yield read
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)

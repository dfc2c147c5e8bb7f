"""Test configuration: no X-Ray daemon, a Lambda context, and the handler's JSON logs."""

from __future__ import annotations

import io
import json
import logging
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from payment_events.invoke import LocalContext

# Set before the service modules are imported (the fixtures below import them lazily): Tracer
# reads POWERTOOLS_TRACE_DISABLED when created, so no test tries to reach an X-Ray daemon.
os.environ["POWERTOOLS_TRACE_DISABLED"] = "1"
os.environ["POWERTOOLS_LOG_LEVEL"] = "INFO"
os.environ["ENVIRONMENT"] = "test"

LogRecords = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def lambda_context() -> LocalContext:
    """A Lambda context like the one Lambda passes to the handler."""
    from payment_events.invoke import LocalContext

    return LocalContext()


@pytest.fixture
def logs() -> Iterator[LogRecords]:
    """Capture the handler's JSON log lines; call the fixture value to get them as dicts."""
    from payment_events.handler import logger

    log_handler = logger.registered_handler
    assert isinstance(log_handler, logging.StreamHandler)
    stream = io.StringIO()
    previous = log_handler.setStream(stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    log_handler.setStream(previous)

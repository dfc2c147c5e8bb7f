"""Graceful shutdown: the server drains on SIGTERM, and the real process exits cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable

import uvicorn

from orders_api.app import create_app
from orders_api.lifecycle import Lifecycle
from orders_api.main import GracefulServer, build_server
from orders_api.settings import Settings


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll `condition` until it holds or `timeout` seconds pass; return whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def make_server(grace_seconds: float) -> GracefulServer:
    """A server that is never started, to drive its signal handling directly."""
    lifecycle = Lifecycle()
    app = create_app(Settings(), lifecycle)
    return GracefulServer(uvicorn.Config(app), lifecycle, grace_seconds)


def test_sigterm_drains_for_the_grace_period_then_exits() -> None:
    server = make_server(grace_seconds=0.3)

    server.handle_exit(signal.SIGTERM, None)

    assert server.lifecycle.draining
    assert not server.should_exit
    assert wait_for(lambda: server.should_exit, timeout=5)


def test_second_signal_stops_at_once() -> None:
    server = make_server(grace_seconds=60)
    server.handle_exit(signal.SIGTERM, None)

    server.handle_exit(signal.SIGTERM, None)

    assert server.should_exit


def test_sigint_stops_without_draining() -> None:
    server = make_server(grace_seconds=60)

    server.handle_exit(signal.SIGINT, None)

    assert server.should_exit
    assert not server.lifecycle.draining


def test_build_server_applies_the_settings() -> None:
    settings = Settings(port=9999, shutdown_grace_seconds=3, shutdown_timeout_seconds=7)

    server = build_server(settings)

    assert server.config.host == "127.0.0.1"  # loopback outside a container
    assert server.config.port == 9999
    assert server.config.timeout_graceful_shutdown == 7
    assert server.config.access_log is False
    assert server.grace_seconds == 3


def _status(url: str) -> tuple[int, dict[str, str]] | None:
    """The status and JSON body `url` answers with, or None if nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - local http URL
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)
    except OSError:
        return None


def test_process_fails_readiness_on_sigterm_then_exits(closed_port: int) -> None:
    base = f"http://127.0.0.1:{closed_port}"
    # Generous waits: a busy CI machine can take many seconds to start a Python process, and
    # the draining window (the grace) must outlast the checks made inside it.
    env = {**os.environ, "APP_PORT": str(closed_port), "APP_SHUTDOWN_GRACE_SECONDS": "6"}
    process = subprocess.Popen(
        [sys.executable, "-m", "orders_api"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        healthy = (200, {"status": "ok"})
        assert wait_for(lambda: _status(f"{base}/healthz") == healthy, timeout=60)
        process.send_signal(signal.SIGTERM)
        draining = (503, {"status": "shutting down"})
        assert wait_for(lambda: _status(f"{base}/readyz") == draining, timeout=5)
        assert _status(f"{base}/healthz") == healthy
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()

    # uvicorn re-raises the SIGTERM it handled once it has shut down cleanly.
    assert process.returncode in (0, -signal.SIGTERM)
    messages = [json.loads(line)["message"] for line in output.splitlines()]
    assert "draining before shutdown" in messages

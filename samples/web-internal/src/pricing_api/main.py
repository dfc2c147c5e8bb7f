"""Process entry point: JSON logging and uvicorn with a load-balancer-friendly shutdown.

On SIGTERM (ECS stopping the task) the service first fails readiness for
`shutdown_grace_seconds` while still serving, so the load balancer stops sending new requests;
then uvicorn stops accepting connections and gives in-flight requests up to
`shutdown_timeout_seconds` to finish. A second signal, or Ctrl+C (SIGINT), stops at once.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

import uvicorn

from pricing_api.app import create_app
from pricing_api.lifecycle import Lifecycle
from pricing_api.logs import configure_logging
from pricing_api.settings import Settings

logger = logging.getLogger(__name__)


class GracefulServer(uvicorn.Server):
    """A uvicorn server that drains (fails readiness) for a grace period before stopping."""

    def __init__(self, config: uvicorn.Config, lifecycle: Lifecycle, grace_seconds: float) -> None:
        super().__init__(config)
        self.lifecycle = lifecycle
        self.grace_seconds = grace_seconds
        self._grace_over = threading.Event()

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        """Start draining on the first SIGTERM; on anything else, stop now."""
        if sig == signal.SIGTERM and not self.lifecycle.draining:
            self.lifecycle.start_draining()
            threading.Thread(
                target=self._exit_after_grace, args=(sig, frame), name="drain", daemon=True
            ).start()
            return
        self._grace_over.set()
        super().handle_exit(sig, frame)

    def _exit_after_grace(self, sig: int, frame: FrameType | None) -> None:
        """Wait out the grace period (or a second signal), then let uvicorn shut down."""
        logger.info("draining before shutdown", extra={"grace_seconds": self.grace_seconds})
        self._grace_over.wait(self.grace_seconds)
        super().handle_exit(sig, frame)


def build_server(settings: Settings) -> GracefulServer:
    """The configured server for `settings`, with uvicorn's own access log off (we log JSON)."""
    lifecycle = Lifecycle()
    config = uvicorn.Config(
        create_app(settings, lifecycle),
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=settings.shutdown_timeout_seconds,
    )
    return GracefulServer(config, lifecycle, settings.shutdown_grace_seconds)


def main() -> None:
    """Run the service until it is told to stop."""
    settings = Settings()
    configure_logging(settings.service_name, settings.log_level)
    build_server(settings).run()

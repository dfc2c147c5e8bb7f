"""The process lifecycle as the load balancer sees it: serving, or draining before exit."""

from __future__ import annotations

import threading


class Lifecycle:
    """Whether this process should still receive new traffic; flips once, on shutdown.

    Thread-safe: the signal handler and the drain timer change it while requests read it.
    """

    def __init__(self) -> None:
        self._draining = threading.Event()

    @property
    def draining(self) -> bool:
        """True once shutdown has begun; readiness then fails so the load balancer drains us."""
        return self._draining.is_set()

    def start_draining(self) -> None:
        """Mark the process as shutting down."""
        self._draining.set()

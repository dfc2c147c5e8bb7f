"""SIGINT, SIGTERM and SIGHUP stop scaffold the same way, and never in the middle of a write.

`install()` (the CLI calls it at start-up) turns each of the three signals into `Interrupted`,
a KeyboardInterrupt, so every `finally` and context manager runs: staging folders are removed
and the exit code is 128 + the signal's number. Inside `critical()` a signal only waits: the
block asks `pending()` between its steps (a transaction rolls back when it sees one), and the
signal is delivered when the last critical block ends. SIGKILL cannot be caught; what it
leaves behind is found and cleaned by the next run (`generator.render.staging`).
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

#: The signals that stop scaffold cleanly (SIGHUP does not exist on Windows).
HANDLED: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, SIGTERM or SIGHUP: scaffold stops, cleaning up after itself."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        """The signal's name, such as SIGTERM."""
        try:
            return signal.Signals(self.signum).name
        except ValueError:  # pragma: no cover - only the handled signals get here
            return f"signal {self.signum}"

    @property
    def exit_code(self) -> int:
        """The shell's convention: 128 + the signal's number (130 for Ctrl-C)."""
        return 128 + self.signum


_lock = threading.RLock()  # re-entrant: the handler runs in the main thread, maybe inside it
_depth = 0
_pending: list[int] = []
_installed = False


def _handler(signum: int, frame: FrameType | None) -> None:
    with _lock:
        if _depth > 0:
            _pending.append(signum)
            return
    raise Interrupted(signum)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def install() -> None:
    """Handle SIGINT, SIGTERM and SIGHUP as `Interrupted` for the rest of the process."""
    global _installed
    if not _in_main_thread():
        return
    for signum in HANDLED:
        signal.signal(signum, _handler)
    _installed = True


def pending() -> int | None:
    """The signal that arrived during the current critical block (stop at the next step)."""
    with _lock:
        return _pending[0] if _pending else None


@contextmanager
def critical() -> Iterator[None]:
    """Signals wait until the block ends; the block polls `pending()` to stop early.

    Works from any thread; handlers are installed for the block's duration when `install()`
    was not called and this is the main thread (a library caller's own handlers come back).
    """
    global _depth
    previous: dict[int, Any] = {}
    if not _installed and _in_main_thread():
        previous = {signum: signal.signal(signum, _handler) for signum in HANDLED}
    with _lock:
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            delivered = _pending[0] if _depth == 0 and _pending else None
            if _depth == 0:
                _pending.clear()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if delivered is not None:
            _deliver(delivered)


def _deliver(signum: int) -> None:
    """Stop as the signal would have, now that the critical block is over."""
    if not _in_main_thread() and _installed:
        os.kill(os.getpid(), signum)  # a worker thread (the MCP server's): the main one stops
    raise Interrupted(signum)

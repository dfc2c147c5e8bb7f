"""Stopping the job from outside: its timeout (SIGALRM) and ECS stopping the task (SIGTERM).

Both raise an exception inside the running job, at whatever line it is executing, so its
`finally` blocks and context managers still run. The exceptions derive from BaseException, like
KeyboardInterrupt, so a job's `except Exception` does not swallow them.

Signals are only delivered to the main thread, so the job must run there (it does: `cli.main`).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class JobInterrupted(BaseException):
    """The job was stopped before it finished."""


class JobTimeout(JobInterrupted):
    """The job ran longer than its timeout."""


class JobTerminated(JobInterrupted):
    """The process received SIGTERM: ECS is stopping the task."""


class Interrupts:
    """Turns SIGTERM and the timeout into exceptions while the job runs.

    Outside `job_window` (claiming the run, recording its outcome) a SIGTERM is only remembered
    in `terminate_requested`, so the bookkeeping in DynamoDB is never cut in half; the entrypoint
    checks the flag and exits once it is done.
    """

    def __init__(self) -> None:
        self.terminate_requested = False
        self._job_running = False

    @contextmanager
    def installed(self) -> Iterator[Interrupts]:
        """Install the SIGTERM and SIGALRM handlers; restore the previous ones on exit."""
        previous_term = signal.signal(signal.SIGTERM, self._on_sigterm)
        previous_alarm = signal.signal(signal.SIGALRM, self._on_alarm)
        try:
            yield self
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous_alarm)
            signal.signal(signal.SIGTERM, previous_term)

    @contextmanager
    def job_window(self, timeout_seconds: float) -> Iterator[None]:
        """Run the enclosed block under a timeout, interruptible by SIGTERM.

        Raises JobTerminated at once if a SIGTERM arrived before the block started.
        """
        if self.terminate_requested:
            raise JobTerminated("SIGTERM received before the job started")
        self._job_running = True
        signal.setitimer(signal.ITIMER_REAL, timeout_seconds)
        try:
            yield
        finally:
            self._job_running = False
            signal.setitimer(signal.ITIMER_REAL, 0)

    def _on_sigterm(self, signum: int, frame: FrameType | None) -> None:
        self.terminate_requested = True
        if self._job_running:
            raise JobTerminated("SIGTERM received: the task is being stopped")

    def _on_alarm(self, signum: int, frame: FrameType | None) -> None:
        if self._job_running:
            raise JobTimeout("the job ran past its timeout")

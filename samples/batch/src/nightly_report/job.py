"""The job's work. `run(context)` is the extension point: replace its body with your job.

Everything around `run` stays as it is: `cli.main` gives each attempt a run id, claims the
scheduled run in the idempotency table, calls `run` once under the timeout, records the outcome
and exits with a documented exit code.

What ships here is a small, deterministic stand-in so the whole path works end to end before the
real work exists; it is not business logic. It works out the reporting window this scheduled run
covers, in the schedule's time zone, and returns a summary of it. Most scheduled jobs need that
window (which data to process), so keep `report_window` if it fits.

Rules for the real `run`:

- Derive what to process from `context.scheduled_time`, never from the current time, so a
  retry of the same scheduled run processes the same data.
- Make the writes idempotent (overwrite by a deterministic key, upsert): an attempt that timed out
  or was stopped may have done part of the work before the next attempt starts.
- Raise an exception to fail the run. Do not catch JobTimeout or JobTerminated (see
  `interrupts.py`); they stop the job on time and on SIGTERM.
- Check `context.remaining_seconds()` before a long step rather than start what cannot finish.
- Return a small, JSON-serialisable dict: it is logged and stored with the COMPLETED record.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

logger = logging.getLogger(__name__)

#: How many calendar days before its scheduled date (in the schedule's time zone) a run covers.
REPORT_DAYS = 1


@dataclass(frozen=True)
class JobContext:
    """What `run` gets to know about the scheduled run it is doing."""

    run_id: str
    """This attempt's id (a uuid4); every log line carries it."""
    idempotency_key: str
    """The scheduled run's key; the same for every attempt at this run."""
    scheduled_time: datetime
    """When the run was scheduled, timezone-aware (the current time for a manual run)."""
    timezone: ZoneInfo
    """The schedule's time zone."""
    deadline: float
    """The `time.monotonic()` value at which the job times out."""

    def remaining_seconds(self) -> float:
        """Seconds left before the job times out (negative once it has)."""
        return self.deadline - time.monotonic()


def run(context: JobContext) -> dict[str, Any]:
    """Do the job for one scheduled run and return its summary. Replace this body.

    Called once per attempt, after the run was claimed; raising fails the run (exit code 1).
    """
    start, end = report_window(context.scheduled_time, context.timezone)
    logger.info("building report", extra={"window_start": start, "window_end": end})
    return {
        "report_date": start.date().isoformat(),
        "window_start": start.isoformat(),
        "window_end": end.isoformat(),
        "timezone": context.timezone.key,
        "window_seconds": int((end.astimezone(UTC) - start.astimezone(UTC)).total_seconds()),
    }


def report_window(scheduled_time: datetime, timezone: ZoneInfo) -> tuple[datetime, datetime]:
    """The interval `[start, end)` a run covers: the `REPORT_DAYS` before its scheduled date.

    Both ends are local midnight in `timezone`, so a window across a daylight-saving change is
    23 or 25 hours long, as the calendar day is.
    """
    scheduled_date = scheduled_time.astimezone(timezone).date()
    start_date = scheduled_date - timedelta(days=REPORT_DAYS)
    return (
        datetime.combine(start_date, datetime.min.time(), tzinfo=timezone),
        datetime.combine(scheduled_date, datetime.min.time(), tzinfo=timezone),
    )

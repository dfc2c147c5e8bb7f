"""The shipped job: a deterministic report window for the scheduled run, in the schedule's zone."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from nightly_report import job

UTC_ZONE = ZoneInfo("UTC")
BERLIN = ZoneInfo("Europe/Berlin")


def _context(scheduled_time: datetime, timezone: ZoneInfo = UTC_ZONE) -> job.JobContext:
    return job.JobContext(
        run_id="run-1",
        idempotency_key="key",
        scheduled_time=scheduled_time,
        timezone=timezone,
        deadline=time.monotonic() + 60,
    )


def test_the_same_scheduled_run_gives_the_same_summary() -> None:
    context = _context(datetime(2024, 5, 1, 2, 0, tzinfo=UTC), BERLIN)

    assert job.run(context) == job.run(context)


def test_remaining_seconds_counts_down_to_the_deadline() -> None:
    context = _context(datetime(2024, 5, 1, 2, 0, tzinfo=UTC))

    assert 0 < context.remaining_seconds() <= 60


def test_the_window_is_the_day_before_the_scheduled_date() -> None:
    summary = job.run(_context(datetime(2024, 5, 1, 2, 0, tzinfo=UTC)))

    assert summary == {
        "report_date": "2024-04-30",
        "window_start": "2024-04-30T00:00:00+00:00",
        "window_end": "2024-05-01T00:00:00+00:00",
        "timezone": "UTC",
        "window_seconds": 86400,
    }


def test_the_scheduled_date_is_taken_in_the_schedule_time_zone() -> None:
    # 23:30 UTC on 1 May is already 2 May in Berlin, so the report covers 1 May there.
    summary = job.run(_context(datetime(2024, 5, 1, 23, 30, tzinfo=UTC), BERLIN))

    assert summary["report_date"] == "2024-05-01"
    assert summary["window_start"] == "2024-05-01T00:00:00+02:00"
    assert summary["window_end"] == "2024-05-02T00:00:00+02:00"


def test_days_with_a_clock_change_are_23_or_25_hours_long() -> None:
    spring = job.run(_context(datetime(2024, 4, 1, 0, 0, tzinfo=UTC), BERLIN))
    autumn = job.run(_context(datetime(2024, 10, 28, 0, 0, tzinfo=UTC), BERLIN))

    assert (spring["report_date"], spring["window_seconds"]) == ("2024-03-31", 23 * 3600)
    assert (autumn["report_date"], autumn["window_seconds"]) == ("2024-10-27", 25 * 3600)

"""Scheduled times that do not exist: a cron schedule in a time zone with daylight saving time.

EventBridge Scheduler reads a cron expression in the schedule's time zone and skips a run whose
local time does not exist: on the day clocks spring forward (02:00 -> 03:00 in Europe/Berlin), a
`cron(0 2 * * ? *)` job does not run at all. (When clocks fall back it runs once.) The gaps come
from the IANA database through zoneinfo, for the current and the next year, so every zone and
rule change is covered, including half-hour shifts; nothing is hard-coded.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Final
from zoneinfo import ZoneInfo

_MONTHS: Final = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                  "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")  # fmt: skip
_DAYS: Final = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")


@dataclass(frozen=True)
class Gap:
    """Local wall-clock times [start, end) that do not exist on `day`."""

    day: date
    start: time
    end: time


def _number(token: str, names: tuple[str, ...]) -> int:
    upper = token.upper()
    return names.index(upper) + 1 if upper in names else int(token)


def _expand(field: str, low: int, high: int, names: tuple[str, ...] = ()) -> set[int]:
    """The values a cron field of plain numbers, names, ranges, lists and steps allows."""
    values: set[int] = set()
    for element in field.split(","):
        base, _, step = element.partition("/")
        if base == "*":
            first, last = low, high
        else:
            start, dash, end = base.partition("-")
            first = _number(start, names)
            last = _number(end, names) if dash else (high if step else first)
        values.update(range(first, last + 1, int(step) if step else 1))
    return values


def _plain(field: str) -> bool:
    return not any(c in field.upper() for c in "LW#?")


def _day_matches(day: date, day_of_month: str, day_of_week: str) -> bool:
    """Whether the cron's day fields select `day` (L, W and # forms are taken as matching)."""
    if day_of_month != "?":
        return not _plain(day_of_month) or day.day in _expand(day_of_month, 1, 31)
    if day_of_week == "?":
        return True
    weekday = (day.weekday() + 1) % 7 + 1  # SUN=1 ... SAT=7
    if "#" in day_of_week:
        wanted, _, nth = day_of_week.partition("#")
        return weekday == _number(wanted, _DAYS) and (day.day - 1) // 7 + 1 == int(nth)
    if day_of_week.upper().endswith("L") and len(day_of_week) > 1:
        last = calendar.monthrange(day.year, day.month)[1]
        return weekday == _number(day_of_week[:-1], _DAYS) and day.day + 7 > last
    return not _plain(day_of_week) or weekday in _expand(day_of_week, 1, 7, _DAYS)


@cache
def dst_gaps(zone: str, first_year: int, years: int = 2) -> tuple[Gap, ...]:
    """The spring-forward gaps of `zone` in `years` calendar years from `first_year`."""
    tz = ZoneInfo(zone)
    gaps = []
    day = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(first_year + years, 1, 1, tzinfo=UTC)
    while day < end:
        following = day + timedelta(days=1)
        before, after = day.astimezone(tz).utcoffset(), following.astimezone(tz).utcoffset()
        if before is not None and after is not None and after > before:
            instant = day
            while instant.astimezone(tz).utcoffset() == before:
                instant += timedelta(minutes=1)
            wall = (instant + before).replace(tzinfo=None)  # the last wall time before the jump
            gaps.append(Gap(wall.date(), wall.time(), (wall + (after - before)).time()))
        day = following
    return tuple(gaps)


def dst_gap_problem(schedule: str, zone: str, today: date | None = None) -> str | None:
    """Why a cron `schedule` read in `zone` would skip runs at DST changes, or None."""
    if not schedule.startswith("cron(") or zone == "UTC":
        return None
    minutes, hours, day_of_month, month, day_of_week, year = schedule[5:-1].split()
    on_minutes = _expand(minutes, 0, 59)
    on_hours = _expand(hours, 0, 23)
    today = today or datetime.now(UTC).date()
    for gap in (g for g in dst_gaps(zone, today.year) if g.day >= today):
        if gap.day.month not in _expand(month, 1, 12, _MONTHS):
            continue
        if year != "*" and gap.day.year not in _expand(year, 1970, 2199):
            continue
        if not _day_matches(gap.day, day_of_month, day_of_week):
            continue
        start = gap.start.hour * 60 + gap.start.minute
        end = gap.end.hour * 60 + gap.end.minute if gap.end > gap.start else 24 * 60
        skipped = [(h, m) for h in sorted(on_hours) for m in sorted(on_minutes)
                   if start <= h * 60 + m < end]  # fmt: skip
        if skipped:
            first = f"{skipped[0][0]:02d}:{skipped[0][1]:02d}"
            last = datetime.combine(gap.day, gap.end) - timedelta(minutes=1)
            span = f"{gap.start:%H:%M} to {last:%H:%M}"
            return (
                f"{schedule} in {zone} would run at {first}, a time that does not exist on "
                f"{gap.day.isoformat()} when clocks spring forward ({span} is skipped): "
                "EventBridge Scheduler does not run the job then. Use times outside "
                f"{span} in {zone}, schedule_timezone UTC, or a rate(...) expression"
            )
    return None

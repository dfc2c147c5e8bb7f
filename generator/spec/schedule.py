"""EventBridge Scheduler expressions: `rate(...)` and six-field `cron(...)`, validated.

The rules follow the Scheduler documentation: cron has the fields minutes, hours, day-of-month,
month, day-of-week and year; exactly one of day-of-month and day-of-week is `?`. Rates take a
positive whole number and minute(s), hour(s) or day(s), singular for 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Final

from pydantic import AfterValidator

_RATE_RE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_CRON_RE = re.compile(r"^cron\((.*)\)$")
_MONTHS: Final = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                  "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")  # fmt: skip
_DAYS: Final = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
_UNIT_SECONDS: Final = {"minute": 60, "hour": 3600, "day": 86400}
EXAMPLES: Final = "e.g. cron(0 2 * * ? *) or rate(1 day)"


@dataclass(frozen=True)
class _CronField:
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()
    extra: str = ""  # special tokens allowed besides numbers, ranges, lists, * and /


_CRON_FIELDS: Final = (
    _CronField("minutes", 0, 59),
    _CronField("hours", 0, 23),
    _CronField("day-of-month", 1, 31, extra="?LW"),
    _CronField("month", 1, 12, names=_MONTHS),
    _CronField("day-of-week", 1, 7, names=_DAYS, extra="?L#"),
    _CronField("year", 1970, 2199),
)


def _value(token: str, spec: _CronField) -> int:
    upper = token.upper()
    if upper in spec.names:
        return spec.names.index(upper) + 1
    if not token.isdigit():
        raise ValueError(f"{spec.name}: {token!r} is not a number")
    number = int(token)
    if not spec.low <= number <= spec.high:
        raise ValueError(f"{spec.name}: {number} is outside {spec.low}-{spec.high}")
    return number


def _check_element(element: str, spec: _CronField) -> None:
    base, _, step = element.partition("/")
    if step and (not step.isdigit() or int(step) == 0):
        raise ValueError(f"{spec.name}: step {step!r} must be a positive number")
    if base == "*":
        return
    if "L" in spec.extra and base.upper() in ("L", "LW"):
        return
    if "W" in spec.extra and base.upper().endswith("W"):
        _value(base[:-1], spec)
        return
    if "#" in spec.extra and "#" in base:
        day, _, nth = base.partition("#")
        _value(day, spec)
        if nth not in {"1", "2", "3", "4", "5"}:
            raise ValueError(f"{spec.name}: {base!r} needs a week number 1-5 after '#'")
        return
    if "L" in spec.extra and base.upper().endswith("L") and len(base) > 1:
        _value(base[:-1], spec)
        return
    low, dash, high = base.partition("-")
    first = _value(low, spec)
    if dash and _value(high, spec) < first:
        raise ValueError(f"{spec.name}: range {base!r} runs backwards")


def _check_cron(body: str) -> None:
    parts = body.split()
    if len(parts) != len(_CRON_FIELDS):
        raise ValueError(
            f"cron needs 6 fields (minutes hours day-of-month month day-of-week year), "
            f"got {len(parts)}"
        )
    for part, spec in zip(parts, _CRON_FIELDS, strict=True):
        if part == "?":
            if "?" not in spec.extra:
                raise ValueError(f"{spec.name}: '?' is only allowed in day-of-month/day-of-week")
            continue
        for element in part.split(","):
            _check_element(element, spec)
    if (parts[2] == "?") == (parts[4] == "?"):
        raise ValueError("exactly one of day-of-month and day-of-week must be '?'")


def check_schedule(value: str) -> str:
    """Validate an EventBridge Scheduler rate or cron expression for a recurring job."""
    rate = _RATE_RE.match(value)
    if rate:
        count, unit = int(rate.group(1)), rate.group(2)
        if count == 0:
            raise ValueError(f"{value!r}: the rate must be a positive number")
        if (count == 1) == unit.endswith("s"):
            form = "singular" if count == 1 else "plural"
            raise ValueError(f"{value!r}: use the {form} unit with {count} ({EXAMPLES})")
        return value
    cron = _CRON_RE.match(value)
    if not cron:
        raise ValueError(
            f"{value!r} is not a schedule expression; use cron(...) or rate(...) ({EXAMPLES})"
        )
    try:
        _check_cron(cron.group(1))
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a valid cron expression: {exc} ({EXAMPLES})") from None
    return value


def rate_seconds(value: str) -> int | None:
    """The interval of a `rate(...)` expression in seconds, or None for cron."""
    rate = _RATE_RE.match(value)
    if not rate:
        return None
    return int(rate.group(1)) * _UNIT_SECONDS[rate.group(2).rstrip("s")]


MONTH_SECONDS: Final = 31 * 86400

#: The same rule as `schedule_interval_seconds`, for Copier (tests/test_spec.py compares them).
INTERVAL_JINJA: Final = (
    "{% set s = schedule %}"
    "{% if s.startswith('rate(') %}{% set n, u = s[5:-1].split(' ') %}"
    "{{ n | int * {'minute': 60, 'minutes': 60, 'hour': 3600, 'hours': 3600, "
    "'day': 86400, 'days': 86400}[u] }}"
    "{% else %}{% set f = s[5:-1].split(' ') %}"
    "{% if f[2] not in ['*', '?'] or f[3] != '*' %}"
    + str(MONTH_SECONDS)
    + "{% elif f[4] not in ['*', '?'] %}604800"
    "{% elif f[1] == '*' %}3600{% else %}86400{% endif %}{% endif %}"
)


def schedule_interval_seconds(value: str) -> int:
    """The longest expected gap between two runs, for the "did not run" alarm.

    Exact for rate(); for cron a safe upper bound from the fields that restrict it: a day of
    month or a month gives 31 days, a day of week 7 days, an hour field 1 day, otherwise 1 hour.
    Erring long delays the alarm rather than paging between legitimate runs.
    """
    exact = rate_seconds(value)
    if exact is not None:
        return exact
    fields = value[5:-1].split(" ")
    if fields[2] not in ("*", "?") or fields[3] != "*":
        return MONTH_SECONDS
    if fields[4] not in ("*", "?"):
        return 7 * 86400
    return 3600 if fields[1] == "*" else 86400


Schedule = Annotated[str, AfterValidator(check_schedule)]

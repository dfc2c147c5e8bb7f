"""Schedules and time zones read from plain words, deterministically.

"every weekday at 6:30 in the morning" -> `cron(30 6 ? * MON-FRI *)`; "hourly" ->
`rate(1 hour)`; "on the first day of each month at midnight" -> `cron(0 0 1 * ? *)`;
"2am Berlin time" -> `Europe/Berlin`. No library turns English recurrences into EventBridge
Scheduler expressions (the natural-language date parsers on PyPI read one date, not a
recurrence, and the recurrence ones are unmaintained), so the phrases are read here, one
sentence at a time, and every expression is checked by the spec's own validator. Time zones
come from the IANA database (`zoneinfo`): any of its city names followed by "time", an IANA
name written out, or a common abbreviation ("CET", "PT", "UTC").

Each result is a `Fact` with the span of the words it came from; a phrase whose value cannot
be used (more often than once a minute) is a fact with a `problem`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final

from generator.llm.text import NUMBER, Fact, Span, fold, number, sentences, spanning

_DAYS: Final = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
_DAY_NAMES: Final = {
    "monday": "MON", "tuesday": "TUE", "wednesday": "WED", "thursday": "THU",
    "friday": "FRI", "saturday": "SAT", "sunday": "SUN",
}  # fmt: skip
_ORDINALS: Final = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": "L"}
_DAYPART_HOUR: Final = {"morning": 6, "afternoon": 14, "evening": 18, "night": 2}
DEFAULT_TIME: Final = (0, 2)  # the spec's default schedule runs at 02:00
_HOUR_WORDS: Final = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"  # "at six in the morning"
)

_I = re.IGNORECASE
_TIME_12 = re.compile(
    rf"\b(?P<h>\d{{1,2}}|{_HOUR_WORDS})(?:[:.](?P<m>[0-5]\d))?(?:\s+(?P<mw>thirty|fifteen|"
    r"forty-five))?\s*(?P<ap>a\.?\s?m\b\.?|p\.?\s?m\b\.?)",
    _I,
)
_TIME_24 = re.compile(r"\b(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?:\s*(?:h|hrs|o'clock)\b)?", _I)
_TIME_OCLOCK = re.compile(rf"\b(?P<h>\d{{1,2}}|{_HOUR_WORDS})\s*o'?clock\b", _I)
_TIME_HHMM = re.compile(r"\b(?P<h>[01]\d|2[0-3])(?P<m>[0-5]\d)\s*(?:h|hrs|hours)\b", _I)
_TIME_NOON = re.compile(r"\b(?P<word>noon|midday|midnight)\b", _I)
_TIME_PAST = re.compile(
    rf"\b(?P<q>half|quarter)\s+(?P<dir>past|to)\s+(?P<h>\d{{1,2}}|{_HOUR_WORDS})\b", _I
)
#: "at 6" on its own: a time only when a daypart or a frequency in the sentence says so.
_TIME_BARE = re.compile(rf"\bat\s+(?P<h>\d{{1,2}}|{_HOUR_WORDS})\b(?![:.]?\d|\s*%)", _I)
_DAYPART_AFTER = re.compile(r"^\s*(?:in the (morning|afternoon|evening)|at (night))\b", _I)
_DEADLINE_BEFORE = re.compile(r"\b(?:by|before|until|till|no later than)\s*$", _I)

_INTERVAL = re.compile(
    rf"\bevery\s+(?:(?P<other>other)\s+|(?P<n>{NUMBER})\s+)?(?P<half>half\s+(?:an\s+)?)?"
    r"(?P<unit>seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)\b",
    _I,
)
_INTERVAL_WORDS: Final = [
    (re.compile(r"\bhourly\b|\b(?:once\s+)?(?:an|each)\s+hour\b|\bhalf-hourly\b", _I), None),
    (re.compile(r"\btwice\s+(?:a|per)\s+day\b|\btwice\s+daily\b", _I), (12, "hours")),
    (re.compile(r"\bthree\s+times\s+(?:a|per)\s+day\b", _I), (8, "hours")),
    (re.compile(r"\bfour\s+times\s+(?:a|per)\s+day\b", _I), (6, "hours")),
    (re.compile(r"\b(?:fortnightly|bi-?weekly)\b", _I), (14, "days")),
]
_DAILY = re.compile(
    r"\b(?:daily|every\s*day|each\s+day|once\s+(?:a|per)\s+day|day\s+by\s+day)\b"
    r"|\b(?P<freq>nightly|(?:every|each)\s+(?P<part>night|morning|afternoon|evening))\b"
    r"|\b(?P<over>overnight)\b",
    _I,
)
_WEEKLY = re.compile(r"\b(?:weekly|every\s+week|each\s+week|once\s+(?:a|per)\s+week)\b", _I)
_MONTHLY = re.compile(r"\b(?:monthly|every\s+month|each\s+month|once\s+(?:a|per)\s+month)\b", _I)
_YEARLY = re.compile(r"\b(?:yearly|annually|every\s+year|each\s+year|once\s+a\s+year)\b", _I)
_DAYPART_WORD = re.compile(
    r"\b(?:in\s+the\s+)?(morning|afternoon|evening)s?\b|\bat\s+(night)\b", _I
)

_WEEKDAYS = re.compile(
    r"\b(?:(?:every|each|on)\s+)?(?:week\s?days?|business\s+days?|working\s+days?|workdays?)\b"
    r"|\bmon(?:day)?\s*(?:-|\u2013|to|through|thru)\s*fri(?:day)?\b",
    _I,
)
_WEEKENDS = re.compile(r"\b(?:(?:every|on|at)\s+)?(?:the\s+)?weekends?\b", _I)
_DAY_RANGE = re.compile(
    r"\b(?P<a>monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\s*"
    r"(?:-|\u2013|to|through|thru)\s*(?P<b>monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?"
    r"\b",
    _I,
)
_DAY = re.compile(r"\b(?P<d>monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b", _I)
_NTH_WEEKDAY = re.compile(
    r"\b(?:the\s+)?(?P<o>first|second|third|fourth|last)\s+(?P<d>monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)\s+of\s+(?:each|every|the)\s+month\b",
    _I,
)
_MONTH_DAY = re.compile(
    r"\b(?:on\s+)?the\s+(?P<o>first|last|(?P<n>\d{1,2})(?:st|nd|rd|th))(?:\s+day)?\s+of\s+"
    r"(?:each|every|the|a)\s+month\b"
    r"|\b(?P<edge>start|beginning|end)\s+of\s+(?:each|every|the)\s+month\b",
    _I,
)
_MONTH_DAY_SHORT = re.compile(r"\bon\s+the\s+(?P<n>\d{1,2})(?:st|nd|rd|th)\b", _I)
_HOUR_RANGE = re.compile(
    r"\b(?:from|between)\s+(?P<a>\S+(?:\s?[ap]\.?m\.?)?)\s+(?:to|and|until|till|-)\s+"
    r"(?P<b>\S+(?:\s?[ap]\.?m\.?)?)",
    _I,
)
_LITERAL = re.compile(r"\b(?:cron|rate)\([^()]{1,80}\)", _I)
_UNIX_CRON = re.compile(
    r"\bcron(?:\s+expression)?\s*[:=]?\s*[\"'`]?(?P<expr>(?:[\d*/,-]+\s+){4}[\d*/,A-Za-z-]+)", _I
)


@dataclass(frozen=True)
class _Time:
    hour: int
    minute: int
    span: Span


def _hour(token: str) -> int:
    return number(token) if not token.isdigit() else int(token)


def _times(text: str, sentence: Span) -> list[_Time]:
    """Clock times in one sentence ("2am", "6:30 in the morning", "midnight", "18:00")."""
    body = sentence.text
    found: list[_Time] = []
    taken: list[tuple[int, int]] = []

    def add(hour: int, minute: int, start: int, end: int) -> None:
        if any(a < end and start < b for a, b in taken) or not (0 <= hour < 24):
            return
        if _DEADLINE_BEFORE.search(body[:start]):
            return  # "ready by 7am" is a deadline, not a start time
        daypart = _DAYPART_AFTER.match(body[end:])
        if daypart:
            hour = _with_daypart(hour, daypart.group(1) or daypart.group(2))
            end += daypart.end()
        taken.append((start, end))
        found.append(_Time(hour, minute, _span(text, sentence, start, end)))

    for match in _TIME_12.finditer(body):
        hour = _hour(match.group("h"))
        minute = int(match.group("m") or 0) or {"thirty": 30, "fifteen": 15,
                                                  "forty-five": 45}.get(
            (match.group("mw") or "").lower(), 0
        )  # fmt: skip
        pm = match.group("ap").lower().startswith("p")
        if 1 <= hour <= 12:
            add(hour % 12 + (12 if pm else 0), minute, match.start(), match.end())
    for match in _TIME_24.finditer(body):
        add(int(match.group("h")), int(match.group("m")), match.start(), match.end())
    for match in _TIME_HHMM.finditer(body):
        add(int(match.group("h")), int(match.group("m")), match.start(), match.end())
    for match in _TIME_OCLOCK.finditer(body):
        add(_hour(match.group("h")), 0, match.start(), match.end())
    for match in _TIME_NOON.finditer(body):
        add(0 if match.group("word").lower() == "midnight" else 12, 0, match.start(), match.end())
    for match in _TIME_PAST.finditer(body):
        hour, past = _hour(match.group("h")), match.group("dir").lower() == "past"
        minute = 30 if match.group("q").lower() == "half" else (15 if past else 45)
        add(hour if past else (hour - 1) % 24, minute, match.start(), match.end())
    return found


def _bare_times(text: str, sentence: Span, daypart: str | None) -> list[_Time]:
    """ "at 6": a time only with a daypart in the sentence ("every evening at 7")."""
    found = []
    for match in _TIME_BARE.finditer(sentence.text):
        hour = _hour(match.group("h"))
        if 0 <= hour < 24:
            after = _DAYPART_AFTER.match(sentence.text[match.end() :])
            part = (after.group(1) or after.group(2)) if after else daypart
            if part is None:
                continue
            end = match.end() + (after.end() if after else 0)
            found.append(
                _Time(_with_daypart(hour, part), 0, _span(text, sentence, match.start(), end))
            )
    return found


def _with_daypart(hour: int, part: str) -> int:
    part = part.lower()
    if part in ("afternoon", "evening") and hour < 12:
        return hour + 12
    if part == "night" and 6 <= hour < 12:
        return hour + 12
    if part == "morning" and hour == 12:
        return 0
    return hour


def _span(text: str, sentence: Span, start: int, end: int) -> Span:
    return Span(
        sentence.start + start,
        sentence.start + end,
        text[sentence.start + start : sentence.start + end],
    )


def _match_span(text: str, sentence: Span, match: re.Match[str]) -> Span:
    return _span(text, sentence, match.start(), match.end())


@dataclass
class _Parts:
    """What one sentence says about when to run."""

    spans: list[Span]
    times: list[_Time]
    interval: tuple[int, str] | None = None
    too_often: bool = False
    days: str | None = None
    month_day: str | None = None
    daily: bool = False
    weekly: bool = False
    monthly: bool = False
    yearly: bool = False
    daypart: str | None = None
    hours: tuple[int, int] | None = None


def _interval(text: str, sentence: Span, parts: _Parts) -> None:
    for match in _INTERVAL.finditer(sentence.text):
        unit = match.group("unit").lower()
        count = 2 if match.group("other") else number(match.group("n")) if match.group("n") else 1
        if unit.startswith("s"):
            parts.too_often = True
        elif match.group("half") and unit.startswith("h"):
            parts.interval = (30, "minutes")
        elif unit.startswith("w"):
            parts.interval = (7 * count, "days")
        else:
            kind = (
                "minutes" if unit.startswith("m") else "hours" if unit.startswith("h") else "days"
            )
            parts.interval = (count, kind)
        parts.spans.append(_match_span(text, sentence, match))
        return
    for pattern, value in _INTERVAL_WORDS:
        found = pattern.search(sentence.text)
        if found:
            half = "half" in found.group(0).lower()
            parts.interval = value or ((30, "minutes") if half else (1, "hours"))
            parts.spans.append(_match_span(text, sentence, found))
            return


def _calendar(text: str, sentence: Span, parts: _Parts) -> None:
    body = sentence.text
    if found := _WEEKDAYS.search(body):
        parts.days = "MON-FRI"
        parts.spans.append(_match_span(text, sentence, found))
    elif found := _WEEKENDS.search(body):
        parts.days = "SAT,SUN"
        parts.spans.append(_match_span(text, sentence, found))
    elif found := _NTH_WEEKDAY.search(body):
        ordinal = _ORDINALS[found.group("o").lower()]
        day = _DAY_NAMES[found.group("d").lower()]
        parts.days = f"{day}L" if ordinal == "L" else f"{day}#{ordinal}"
        parts.spans.append(_match_span(text, sentence, found))
    elif found := _DAY_RANGE.search(body):
        parts.days = (
            f"{_DAY_NAMES[found.group('a').lower()]}-{_DAY_NAMES[found.group('b').lower()]}"
        )
        parts.spans.append(_match_span(text, sentence, found))
    else:
        days = []
        for match in _DAY.finditer(body):
            day = _DAY_NAMES[match.group("d").lower()]
            if day not in days:
                days.append(day)
                parts.spans.append(_match_span(text, sentence, match))
        if days:
            parts.days = ",".join(sorted(days, key=_DAYS.index))
    if parts.days is None:
        _month_day(text, sentence, parts)


def _month_day(text: str, sentence: Span, parts: _Parts) -> None:
    body = sentence.text
    if found := _MONTH_DAY.search(body):
        if found.group("edge"):
            parts.month_day = "L" if found.group("edge").lower() == "end" else "1"
        elif found.group("n"):
            parts.month_day = str(int(found.group("n")))
        else:
            parts.month_day = "1" if found.group("o").lower() == "first" else "L"
        parts.spans.append(_match_span(text, sentence, found))
    elif (found := _MONTH_DAY_SHORT.search(body)) and _MONTHLY.search(body):
        parts.month_day = str(int(found.group("n")))
        parts.spans.append(_match_span(text, sentence, found))


def _frequency(text: str, sentence: Span, parts: _Parts) -> None:
    body = sentence.text
    if found := _DAILY.search(body):
        parts.daily = True
        part = found.group("part") or (
            "night" if found.group("freq") or found.group("over") else None
        )
        parts.daypart = part.lower() if part else None
        parts.spans.append(_match_span(text, sentence, found))
    for flag, pattern in (("weekly", _WEEKLY), ("monthly", _MONTHLY), ("yearly", _YEARLY)):
        if found := pattern.search(body):
            setattr(parts, flag, True)
            parts.spans.append(_match_span(text, sentence, found))
    if parts.daypart is None and (found := _DAYPART_WORD.search(body)):
        parts.daypart = (found.group(1) or found.group(2)).lower()


def _hour_range(parts: _Parts) -> None:
    """ "from 9am to 5pm" / "between 08:00 and 18:00": two of the sentence's times."""
    if len(parts.times) < 2:
        return
    first, second = parts.times[0], parts.times[1]
    if first.hour < second.hour:
        parts.hours = (first.hour, second.hour)


def _parts(text: str, sentence: Span) -> _Parts:
    parts = _Parts(spans=[], times=_times(text, sentence))
    _interval(text, sentence, parts)
    _calendar(text, sentence, parts)
    _frequency(text, sentence, parts)
    if not parts.times and (parts.daypart or parts.days or parts.month_day):
        parts.times = _bare_times(text, sentence, parts.daypart)
    if parts.interval and _HOUR_RANGE.search(sentence.text):
        _hour_range(parts)
    parts.spans += [t.span for t in parts.times]
    return parts


def _at(parts: _Parts) -> tuple[str, str, str]:
    """Minute and hour fields from the sentence's times (or daypart), with a note."""
    if parts.times:
        minutes = {t.minute for t in parts.times}
        hours = sorted({t.hour for t in parts.times})
        if len(minutes) == 1:
            return str(minutes.pop()), ",".join(map(str, hours)), ""
        first = parts.times[0]
        return (
            str(first.minute),
            str(first.hour),
            f"several times given: {first.hour:02}:{first.minute:02} only",
        )
    if parts.daypart:
        hour = _DAYPART_HOUR[parts.daypart]
        return "0", str(hour), f"no time given: {hour:02}:00 for the {parts.daypart}"
    minute, hour = DEFAULT_TIME
    return str(minute), str(hour), f"no time given: {hour:02}:{minute:02}"


def _rate(count: int, unit: str) -> str:
    return f"rate({count} {unit.rstrip('s') if count == 1 else unit})"


def _expression(parts: _Parts) -> tuple[str, str] | None:
    """The EventBridge expression the parts describe, with a note; None when they say none."""
    dow = parts.days
    if parts.interval:
        count, unit = parts.interval
        if unit == "days" or not (dow or parts.hours):
            return _rate(count, unit), ""
        hours = f"{parts.hours[0]}-{parts.hours[1]}" if parts.hours else "*"
        minute = f"0/{count}" if unit == "minutes" else "0"
        if unit == "hours" and count > 1:
            hours = f"{hours}/{count}" if parts.hours else f"0/{count}"
        return f"cron({minute} {hours} {'?' if dow else '*'} * {dow or '?'} *)", ""
    if not (
        parts.times
        or parts.daily
        or dow
        or parts.month_day
        or parts.weekly
        or parts.monthly
        or parts.yearly
    ):
        return None
    if parts.daily and not (parts.times or parts.daypart or dow or parts.month_day):
        return "rate(1 day)", ""  # "once a day": no hour to invent
    minute, hour, note = _at(parts)
    if dow:
        return f"cron({minute} {hour} ? * {dow} *)", note
    if parts.month_day or parts.monthly:
        day = parts.month_day or "1"
        extra = "" if parts.month_day else "no day given: the 1st"
        return f"cron({minute} {hour} {day} * ? *)", "; ".join(n for n in (note, extra) if n)
    if parts.weekly:
        if not parts.times:
            return "rate(7 days)", ""
        return f"cron({minute} {hour} ? * MON *)", "no day given: Monday"
    if parts.yearly:
        return f"cron({minute} {hour} 1 1 ? *)", "; ".join(
            n for n in (note, "no date given: 1 January") if n
        )
    if not parts.daily:
        note = "; ".join(n for n in (note, "no frequency given: daily") if n)
    return f"cron({minute} {hour} * * ? *)", note


def _literal(text: str) -> list[Fact]:
    facts = []
    for match in _LITERAL.finditer(text):
        expression = match.group(0)
        expression = expression[:4].lower() + expression[4:]
        facts.append(Fact("schedule", expression, Span(match.start(), match.end(), match.group(0))))
    for match in _UNIX_CRON.finditer(text):
        converted = _from_unix_cron(match.group("expr").split())
        span = Span(match.start(), match.end(), match.group(0))
        if converted is None:
            facts.append(Fact("schedule", None, span, problem="not a five-field cron expression"))
        else:
            facts.append(Fact("schedule", converted, span, note="converted from Unix cron"))
    return facts


def _from_unix_cron(fields: list[str]) -> str | None:
    """A Unix cron (minute hour day month weekday) as an EventBridge expression."""
    if len(fields) != 5:
        return None
    minute, hour, day, month, weekday = fields
    if weekday in ("*", "?"):
        return f"cron({minute} {hour} {day} {month} ? *)"
    names = []
    for part in weekday.split(","):
        ends = part.split("-")
        if not all(e.isdigit() and int(e) <= 7 for e in ends):
            return None
        names.append("-".join(_DAYS[(int(e) - 1) % 7] for e in ends))  # 0 and 7 are Sunday
    return f"cron({minute} {hour} ? {month} {','.join(names)} *)"


def find_schedules(text: str) -> list[Fact]:
    """Every schedule the description states, one per sentence at most, with its words."""
    facts = _literal(text)
    if facts:
        return facts
    for sentence in sentences(text):
        parts = _parts(text, sentence)
        if not parts.spans:
            continue
        span = spanning(text, *parts.spans)
        if parts.too_often:
            facts.append(
                Fact(
                    "schedule",
                    None,
                    span,
                    problem="EventBridge Scheduler runs a job at most once a minute",
                )
            )
            continue
        found = _expression(parts)
        if found is not None:
            facts.append(Fact("schedule", found[0], span, note=found[1]))
    return facts


# --- time zones -----------------------------------------------------------------------------

_ABBREVIATIONS: Final = {
    "UTC": "UTC", "GMT": "UTC", "Z": "UTC", "ZULU": "UTC",
    "CET": "Europe/Berlin", "CEST": "Europe/Berlin", "MEZ": "Europe/Berlin",
    "WET": "Europe/Lisbon", "WEST": "Europe/Lisbon", "EET": "Europe/Helsinki",
    "EEST": "Europe/Helsinki", "BST": "Europe/London",
    "EST": "America/New_York", "EDT": "America/New_York", "ET": "America/New_York",
    "CST": "America/Chicago", "CDT": "America/Chicago", "CT": "America/Chicago",
    "MST": "America/Denver", "MDT": "America/Denver", "MT": "America/Denver",
    "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "PT": "America/Los_Angeles",
    "JST": "Asia/Tokyo", "KST": "Asia/Seoul", "IST": "Asia/Kolkata", "SGT": "Asia/Singapore",
    "HKT": "Asia/Hong_Kong", "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney",
    "NZST": "Pacific/Auckland", "NZDT": "Pacific/Auckland", "BRT": "America/Sao_Paulo",
}  # fmt: skip
#: Two-letter abbreviations are common words elsewhere: only right after a clock time.
_SHORT: Final = frozenset({"ET", "CT", "MT", "PT", "Z"})
#: Words before "time" that are not IANA city names.
_ZONE_WORDS: Final = {
    "pacific": "America/Los_Angeles", "us pacific": "America/Los_Angeles",
    "eastern": "America/New_York", "us eastern": "America/New_York",
    "us central": "America/Chicago", "mountain": "America/Denver",
    "central european": "Europe/Berlin", "western european": "Europe/Lisbon",
    "eastern european": "Europe/Helsinki", "uk": "Europe/London", "british": "Europe/London",
    "irish": "Europe/Dublin", "german": "Europe/Berlin", "french": "Europe/Paris",
    "spanish": "Europe/Madrid", "dutch": "Europe/Amsterdam", "italian": "Europe/Rome",
    "swiss": "Europe/Zurich", "japan": "Asia/Tokyo", "japanese": "Asia/Tokyo",
    "india": "Asia/Kolkata", "indian": "Asia/Kolkata", "korean": "Asia/Seoul",
    "brazil": "America/Sao_Paulo", "brazilian": "America/Sao_Paulo", "universal": "UTC",
    "coordinated universal": "UTC", "greenwich mean": "UTC", "zulu": "UTC",
    "nyc": "America/New_York", "boston": "America/New_York", "washington": "America/New_York",
    "miami": "America/New_York", "atlanta": "America/New_York", "austin": "America/Chicago",
    "dallas": "America/Chicago", "houston": "America/Chicago", "seattle": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles", "california": "America/Los_Angeles",
    "munich": "Europe/Berlin", "frankfurt": "Europe/Berlin", "hamburg": "Europe/Berlin",
    "barcelona": "Europe/Madrid", "milan": "Europe/Rome", "geneva": "Europe/Zurich",
    "mumbai": "Asia/Kolkata", "bangalore": "Asia/Kolkata", "bengaluru": "Asia/Kolkata",
    "delhi": "Asia/Kolkata", "new delhi": "Asia/Kolkata", "beijing": "Asia/Shanghai",
    "osaka": "Asia/Tokyo", "montreal": "America/Toronto",
}  # fmt: skip
_TIME_WORD = re.compile(r"\b(?:local\s+)?(?:time\s*zone|timezone|time)\b", _I)
_ZONE_INTRO = re.compile(r"\b(?:time\s*zone|timezone|tz)\s*(?:is|of|:|=)?\s*$", _I)
_IANA = re.compile(r"\b(?:[A-Z][A-Za-z_]+/){1,2}[A-Z][A-Za-z_+-]+\b|\bUTC\b")
_WORD = re.compile(r"[A-Za-zÀ-ÿ][\w'.-]*")
_ABBREVIATION = re.compile(r"\b[A-Z]{1,4}\b")


@cache
def _city_index() -> dict[str, str]:
    """IANA city names ("new york", "sao paulo") -> zone, the canonical zone for duplicates."""
    from zoneinfo import available_timezones

    regions = ("Africa", "America", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")
    index: dict[str, str] = {}
    for zone in sorted(available_timezones(), key=lambda z: (-z.count("/"), z)):
        if zone.split("/")[0] in regions:
            city = fold(zone.rsplit("/", 1)[1].replace("_", " "))
            index.setdefault(city, zone)
    index.update({"istanbul": "Europe/Istanbul", "nicosia": "Asia/Nicosia"})
    return {**index, **_ZONE_WORDS}


def _zone_before(text: str, end: int) -> tuple[str, int] | None:
    """The zone named by the one to three words ending at `end` ("New York" time)."""
    words = list(_WORD.finditer(text[max(0, end - 40) : end]))
    offset = max(0, end - 40)
    for count in (3, 2, 1):
        if len(words) < count:
            continue
        chosen = words[-count:]
        start = offset + chosen[0].start()
        if text[start:end].rstrip() != text[start : offset + chosen[-1].end()]:
            continue  # the last word must end right before "time"
        name = fold(" ".join(w.group(0) for w in chosen)).strip(".'")
        zone = _city_index().get(name)
        if zone:
            return zone, start
    return None


def _after_time(text: str, start: int) -> bool:
    """Whether a clock time ends right before `start` ("9am ET", "18:00 CET")."""
    before = text[max(0, start - 12) : start]
    return re.search(r"(?:\d|[ap]\.?m\.?|noon|midnight)\s*\(?$", before, _I) is not None


def find_timezones(text: str) -> list[Fact]:
    """Every time zone the description names, with its words."""
    from zoneinfo import available_timezones

    facts: list[Fact] = []

    def add(zone: str, start: int, end: int, note: str = "") -> None:
        if any(f.span.start < end and start < f.span.end for f in facts):
            return
        facts.append(Fact("schedule_timezone", zone, Span(start, end, text[start:end]), note))

    for match in _IANA.finditer(text):
        if match.group(0) in available_timezones() or match.group(0) == "UTC":
            add(match.group(0), match.start(), match.end())
    for match in _ABBREVIATION.finditer(text):
        zone = _ABBREVIATIONS.get(match.group(0))
        if zone and (match.group(0) not in _SHORT or _after_time(text, match.start())):
            note = "GMT has no daylight saving time: UTC" if match.group(0) == "GMT" else ""
            add(zone, match.start(), match.end(), note)
    for match in _TIME_WORD.finditer(text):
        found = _zone_before(text, match.start())
        if found:
            add(found[0], found[1], match.end())
            continue
        located = re.match(r"\s+in\s+", text[match.end() :])
        if located and (after := _zone_after(text, match.end() + located.end())):
            add(after[0], match.start(), after[1])
            continue
        intro = _ZONE_INTRO.search(text[: match.end()])
        if intro:
            after = _zone_after(text, match.end())
            if after:
                add(after[0], match.start(), after[1])
    for match in re.finditer(r"\bin\s+", text):
        if _after_time(text, match.start()):
            after = _zone_after(text, match.end())
            if after:
                add(after[0], match.start(), after[1])
    return sorted(facts, key=lambda f: f.span.start)


def _zone_after(text: str, start: int) -> tuple[str, int] | None:
    """The zone named by the one to three words starting at `start` ("in Tokyo")."""
    rest = text[start : start + 40]
    words = list(_WORD.finditer(rest))
    for count in (3, 2, 1):
        if len(words) < count:
            continue
        chosen = words[:count]
        name = fold(" ".join(w.group(0) for w in chosen)).strip(".'")
        zone = _city_index().get(name)
        if zone:
            return zone, start + chosen[-1].end()
    return None

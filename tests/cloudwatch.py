"""CloudWatch alarms, evaluated on synthetic metric data: does an alarm page, and when?

The alarms come from a Terraform plan (tests/tfplan.py), so what is evaluated is exactly what
Terraform would create: the metric queries, the metric-math expression, period, evaluation
periods, datapoints to alarm, threshold, comparison and missing-data treatment, and the rule of
a composite alarm.

Semantics follow the CloudWatch documentation ("Using metric math", "Alarm evaluation"):

- A metric's datapoint for a period aggregates the raw samples in that period with the query's
  statistic; a period without samples has no datapoint (missing).
- Arithmetic between two time series treats a missing value as 0; a division by zero drops the
  datapoint. Comparisons and AND/OR work point by point, missing values as 0.
- `FILL(ts, value)` fills every period of the evaluation range that has no datapoint.
- `IF(cond, a, b)` follows the documented table: a true condition with a missing `a` datapoint
  gives 0, a false one with a missing (or omitted) `b` drops the datapoint, and so does a
  missing condition.
- `EPOCH`, `MINUTE`, `HOUR`, `DATE`, `MONTH`, `YEAR`: a non-sparse series from each period's
  timestamp (UTC).
- An alarm evaluates the last `evaluation_periods` periods; missing datapoints count as
  breaching (`breaching`), not breaching (`notBreaching`), or are left out (`missing`, `ignore`);
  it is in ALARM when at least `datapoints_to_alarm` of them breach.

Anything else (an unknown function, an unsupported form) raises instead of guessing.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

Series = dict[int, float]
Value = float | Series
#: Raw samples per metric name: {timestamp (s): value}.
Samples = Mapping[str, Mapping[int, float]]

_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>&&|\|\||==|!=|<=|>=|[-+*/^()<>,\[\]]))"
)
_COMPARISON = {
    "GreaterThanThreshold": lambda v, t: v > t,
    "GreaterThanOrEqualToThreshold": lambda v, t: v >= t,
    "LessThanThreshold": lambda v, t: v < t,
    "LessThanOrEqualToThreshold": lambda v, t: v <= t,
}


def _tokens(text: str) -> list[str]:
    out, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            if text[pos:].strip() == "":
                break
            raise ValueError(f"cannot parse {text[pos:]!r} in {text!r}")
        out.append(match.group(match.lastgroup or "op"))
        pos = match.end()
    return out


# --------------------------------------------------------------------------------------------
# Values: scalars and time series
# --------------------------------------------------------------------------------------------


def _combine(a: Value, b: Value, op: Callable[[float, float], float | None]) -> Value:
    """Point-wise `op`; a missing value of one series is 0; None drops the point."""
    if isinstance(a, dict) and isinstance(b, dict):
        keys = sorted(set(a) | set(b))
        pairs = {k: op(a.get(k, 0.0), b.get(k, 0.0)) for k in keys}
    elif isinstance(a, dict):
        pairs = {k: op(v, float(b)) for k, v in a.items()}  # type: ignore[arg-type]
    elif isinstance(b, dict):
        pairs = {k: op(float(a), v) for k, v in b.items()}
    else:
        result = op(a, b)
        return math.nan if result is None else result
    return {k: v for k, v in pairs.items() if v is not None}


def _divide(x: float, y: float) -> float | None:
    return None if y == 0 else x / y


_BINARY: dict[str, Callable[[float, float], float | None]] = {
    "+": lambda x, y: x + y,
    "-": lambda x, y: x - y,
    "*": lambda x, y: x * y,
    "/": _divide,
    "^": lambda x, y: x**y,
    "<": lambda x, y: float(x < y),
    ">": lambda x, y: float(x > y),
    "<=": lambda x, y: float(x <= y),
    ">=": lambda x, y: float(x >= y),
    "==": lambda x, y: float(x == y),
    "!=": lambda x, y: float(x != y),
    "AND": lambda x, y: float(bool(x) and bool(y)),
    "OR": lambda x, y: float(bool(x) or bool(y)),
}
_LEVELS = (("OR",), ("AND",), ("<", ">", "<=", ">=", "==", "!="), ("+", "-"), ("*", "/"), ("^",))
_ALIASES = {"&&": "AND", "||": "OR"}


class _Expression:
    """Recursive descent over the tokens of one metric-math expression."""

    def __init__(self, text: str, env: Mapping[str, Series], grid: list[int]) -> None:
        self.tokens = [_ALIASES.get(t, t) for t in _tokens(text)]
        self.pos = 0
        self.env = env
        self.grid = grid
        self.text = text

    def _peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _take(self, expected: str | None = None) -> str:
        token = self._peek()
        if token is None or (expected is not None and token != expected):
            raise ValueError(f"expected {expected or 'more'} in {self.text!r}")
        self.pos += 1
        return token

    def parse(self) -> Value:
        value = self._level(0)
        if self._peek() is not None:
            raise ValueError(f"unexpected {self._peek()!r} in {self.text!r}")
        return value

    def _level(self, index: int) -> Value:
        if index == len(_LEVELS):
            return self._unary()
        value = self._level(index + 1)
        while self._peek() in _LEVELS[index]:
            op = self._take()
            right = self._level(index + 1) if op != "^" else self._level(index)
            value = _combine(value, right, _BINARY[op])
        return value

    def _unary(self) -> Value:
        if self._peek() == "-":
            self._take()
            return _combine(0.0, self._unary(), _BINARY["-"])
        return self._primary()

    def _primary(self) -> Value:
        token = self._take()
        if token == "(":
            value = self._level(0)
            self._take(")")
            return value
        if re.fullmatch(r"\d.*", token):
            return float(token)
        if self._peek() == "(":
            self._take("(")
            args = [] if self._peek() == ")" else [self._level(0)]
            while self._peek() == ",":
                self._take(",")
                args.append(self._level(0))
            self._take(")")
            return self._call(token, args)
        if token not in self.env:
            raise ValueError(f"unknown id {token!r} in {self.text!r}")
        return dict(self.env[token])

    def _call(self, name: str, args: list[Value]) -> Value:
        timestamp_parts = {
            "EPOCH": lambda t: float(t),
            "MINUTE": lambda t: float(datetime.fromtimestamp(t, UTC).minute),
            "HOUR": lambda t: float(datetime.fromtimestamp(t, UTC).hour),
            "DATE": lambda t: float(datetime.fromtimestamp(t, UTC).day),
            "MONTH": lambda t: float(datetime.fromtimestamp(t, UTC).month),
            "YEAR": lambda t: float(datetime.fromtimestamp(t, UTC).year),
        }
        if name in timestamp_parts:
            return {t: timestamp_parts[name](t) for t in self.grid}
        if name == "FILL":
            series, filler = args
            if not isinstance(series, dict) or isinstance(filler, dict):
                kinds = f"{type(series).__name__}, {type(filler).__name__}"
                raise ValueError(f"FILL({kinds}) is not supported here")
            return {t: series.get(t, float(filler)) for t in self.grid}
        if name == "IF":
            return _if(*args)
        if name in ("ABS", "CEIL", "FLOOR"):
            fn = {"ABS": abs, "CEIL": math.ceil, "FLOOR": math.floor}[name]
            (series,) = args
            if isinstance(series, dict):
                return {t: float(fn(v)) for t, v in series.items()}
            return float(fn(series))
        if name == "TIME_SERIES":
            return {t: float(args[0]) for t in self.grid}  # type: ignore[arg-type]
        raise ValueError(f"function {name} is not supported by this evaluator")


def _if(cond: Value, when_true: Value, when_false: Value | None = None) -> Value:
    if not isinstance(cond, dict):
        chosen = when_true if cond else when_false
        return {} if chosen is None else chosen
    out: Series = {}
    for t, c in cond.items():
        if c:
            out[t] = when_true.get(t, 0.0) if isinstance(when_true, dict) else float(when_true)
        elif isinstance(when_false, dict):
            if t in when_false:
                out[t] = when_false[t]
        elif when_false is not None:
            out[t] = float(when_false)
    return out


def evaluate(expression: str, env: Mapping[str, Series], grid: Iterable[int]) -> Value:
    """The value of a metric-math `expression` with metric ids bound to series over `grid`."""
    return _Expression(expression, env, sorted(grid)).parse()


# --------------------------------------------------------------------------------------------
# Alarms from a plan
# --------------------------------------------------------------------------------------------


_SORTED: dict[int, tuple[Mapping[int, float], list[int]]] = {}


def _window(samples: Mapping[int, float], start: int, end: int) -> list[float]:
    """The samples with start <= t < end (the sorted keys are cached per mapping)."""
    cached = _SORTED.get(id(samples))
    if cached is None or cached[0] is not samples or len(cached[1]) != len(samples):
        cached = (samples, sorted(samples))
        _SORTED[id(samples)] = cached
    keys = cached[1]
    return [samples[t] for t in keys[bisect_left(keys, start) : bisect_left(keys, end)]]


def _aggregate(samples: Mapping[int, float], start: int, period: int, stat: str) -> float | None:
    values = _window(samples, start, start + period)
    if not values:
        return None
    if stat == "Sum":
        return sum(values)
    if stat == "Minimum":
        return min(values)
    if stat == "Maximum":
        return max(values)
    if stat == "Average":
        return sum(values) / len(values)
    if stat == "SampleCount":
        return float(len(values))
    if re.fullmatch(r"p\d+(\.\d+)?", stat):
        ordered = sorted(values)
        rank = max(0, math.ceil(float(stat[1:]) / 100 * len(ordered)) - 1)
        return ordered[rank]
    raise ValueError(f"statistic {stat} is not supported by this evaluator")


@dataclass(frozen=True)
class MetricAlarm:
    """One `aws_cloudwatch_metric_alarm` as planned."""

    name: str
    comparison: str
    threshold: float
    evaluation_periods: int
    datapoints_to_alarm: int
    treat_missing_data: str
    queries: tuple[dict[str, Any], ...]
    notifies: bool

    @classmethod
    def from_plan(cls, after: Mapping[str, Any]) -> MetricAlarm:
        queries: tuple[dict[str, Any], ...]
        if after.get("metric_query"):
            queries = tuple(after["metric_query"])
        else:  # a single metric given at the top level
            queries = (
                {
                    "id": "m",
                    "return_data": True,
                    "expression": None,
                    "metric": [
                        {
                            "metric_name": after["metric_name"],
                            "stat": after.get("statistic") or after.get("extended_statistic"),
                            "period": after["period"],
                        }
                    ],
                },
            )
        return cls(
            name=after["alarm_name"],
            comparison=after["comparison_operator"],
            threshold=float(after["threshold"]),
            evaluation_periods=int(after["evaluation_periods"]),
            datapoints_to_alarm=int(
                after.get("datapoints_to_alarm") or after["evaluation_periods"]
            ),
            treat_missing_data=after.get("treat_missing_data") or "missing",
            queries=queries,
            notifies=bool(after.get("alarm_actions")),
        )

    @property
    def period(self) -> int:
        periods = {q["metric"][0]["period"] for q in self.queries if q.get("metric")}
        assert len(periods) == 1, f"{self.name}: metrics of different periods {periods}"
        return int(periods.pop())

    @property
    def expression(self) -> str | None:
        """The expression that returns the alarm's data (None for a plain metric)."""
        returned = [q for q in self.queries if q.get("return_data")]
        assert len(returned) == 1, f"{self.name}: {len(returned)} queries return data"
        return returned[0].get("expression") or None

    def datapoints(self, samples: Samples, at: int, count: int | None = None) -> list[float | None]:
        """The alarm's datapoints (oldest first) for the `count` periods ending at `at`.

        Windows slide with the evaluation: they end at the minute of `at`, not at a multiple
        of the period (GetMetricData aligns buckets to the start time, a whole minute).
        """
        period = self.period
        count = count or self.evaluation_periods
        end = at - at % 60
        grid = [end - period * i for i in range(count, 0, -1)]
        env: dict[str, Series] = {}
        for query in self.queries:
            if not query.get("metric"):
                continue
            metric = query["metric"][0]
            raw = samples.get(metric["metric_name"], {})
            series = {t: _aggregate(raw, t, period, metric["stat"]) for t in grid}
            env[query["id"]] = {t: v for t, v in series.items() if v is not None}
        expression = self.expression
        if expression is None:
            (only,) = env.values()
            result: Value = only
        else:
            result = evaluate(expression, env, grid)
        if not isinstance(result, dict):
            raise ValueError(f"{self.name}: the expression returns a scalar, not a time series")
        return [None if (v := result.get(t)) is None or math.isnan(v) else v for t in grid]

    def state(self, samples: Samples, at: int, previous: str = "INSUFFICIENT_DATA") -> str:
        """ALARM, OK or INSUFFICIENT_DATA at time `at` (seconds).

        As documented: CloudWatch retrieves more datapoints than the evaluation periods (the
        evaluation range; N + 2 here, as in the documentation's examples). With at least N
        existing datapoints the most recent N are evaluated and the missing-data setting is
        not used; with fewer, every existing one is evaluated and the rest are filled with the
        missing-data setting (`missing` leaves them out, `ignore` keeps the state when none
        exists).
        """
        n, m = self.evaluation_periods, self.datapoints_to_alarm
        breaches = _COMPARISON[self.comparison]
        existing = [v for v in self.datapoints(samples, at, n + 2) if v is not None]
        if len(existing) >= n:
            counted = [breaches(v, self.threshold) for v in existing[-n:]]
        else:
            counted = [breaches(v, self.threshold) for v in existing]
            fill = {"breaching": True, "notBreaching": False}.get(self.treat_missing_data)
            if fill is not None:
                counted += [fill] * (n - len(existing))
            elif not existing:
                return previous if self.treat_missing_data == "ignore" else "INSUFFICIENT_DATA"
            else:
                m = min(m, len(existing))
        return "ALARM" if sum(counted) >= m else "OK"


@dataclass(frozen=True)
class CompositeAlarm:
    """One `aws_cloudwatch_composite_alarm` as planned."""

    name: str
    rule: str
    notifies: bool

    @classmethod
    def from_plan(cls, after: Mapping[str, Any]) -> CompositeAlarm:
        return cls(after["alarm_name"], after["alarm_rule"], bool(after.get("alarm_actions")))

    def state(self, states: Mapping[str, str]) -> str:
        """ALARM or OK from the states of the alarms its rule names."""
        text = re.sub(
            r'(ALARM|OK|INSUFFICIENT_DATA)\("([^"]+)"\)',
            lambda m: " True " if states[m.group(2)] == m.group(1) else " False ",
            self.rule,
        )
        text = text.replace("TRUE", " True ").replace("FALSE", " False ")
        words = text.replace("(", " ( ").replace(")", " ) ").split()
        if any(w not in {"True", "False", "AND", "OR", "NOT", "(", ")"} for w in words):
            raise ValueError(f"{self.name}: cannot evaluate the rule {self.rule!r}")
        value, rest = _rule(words)
        if rest:
            raise ValueError(f"{self.name}: cannot evaluate the rule {self.rule!r}")
        return "ALARM" if value else "OK"


def _rule(words: list[str]) -> tuple[bool, list[str]]:
    """An alarm rule of True/False words: OR of ANDs of (NOT) terms; the value and the rest."""
    value, words = _rule_and(words)
    while words[:1] == ["OR"]:
        right, words = _rule_and(words[1:])
        value = value or right
    return value, words


def _rule_and(words: list[str]) -> tuple[bool, list[str]]:
    value, words = _rule_term(words)
    while words[:1] == ["AND"]:
        right, words = _rule_term(words[1:])
        value = value and right
    return value, words


def _rule_term(words: list[str]) -> tuple[bool, list[str]]:
    if words[:1] == ["NOT"]:
        value, rest = _rule_term(words[1:])
        return not value, rest
    if words[:1] == ["("]:
        value, rest = _rule(words[1:])
        if rest[:1] != [")"]:
            raise ValueError("unbalanced parentheses in an alarm rule")
        return value, rest[1:]
    if words[:1] in (["True"], ["False"]):
        return words[0] == "True", words[1:]
    raise ValueError(f"unexpected {words[:1]} in an alarm rule")


@dataclass(frozen=True)
class AlarmSet:
    """The metric and composite alarms of one plan, evaluated together."""

    metric: tuple[MetricAlarm, ...]
    composite: tuple[CompositeAlarm, ...]

    @classmethod
    def from_plan(cls, planned: Any) -> AlarmSet:
        metric_alarms = planned.of_type("aws_cloudwatch_metric_alarm").values()
        metric = tuple(MetricAlarm.from_plan(a) for a in metric_alarms)
        composite = tuple(
            CompositeAlarm.from_plan(a)
            for a in planned.of_type("aws_cloudwatch_composite_alarm").values()
        )
        return cls(metric, composite)

    def alarm(self, suffix: str) -> MetricAlarm:
        """The metric alarm whose name ends with `suffix`."""
        (found,) = [a for a in self.metric if a.name.endswith(suffix)]
        return found

    def states(self, samples: Samples, at: int) -> dict[str, str]:
        """Every alarm's state at time `at`."""
        states = {a.name: a.state(samples, at) for a in self.metric}
        states.update({c.name: c.state(states) for c in self.composite})
        return states

    def notifying(self, samples: Samples, at: int) -> set[str]:
        """Names of the alarms with actions that are in ALARM at time `at`."""
        states = self.states(samples, at)
        alarms: list[MetricAlarm | CompositeAlarm] = [*self.metric, *self.composite]
        return {a.name for a in alarms if a.notifies and states[a.name] == "ALARM"}

    def pages(self, samples: Samples, start: int, end: int, step: int = 60) -> dict[str, int]:
        """Each notifying alarm that went into ALARM in [start, end], with the first time."""
        first: dict[str, int] = {}
        for at in range(start, end + 1, step):
            for name in self.notifying(samples, at):
                first.setdefault(name, at)
        return first


def every(
    step: int, start: int, end: int, value: float | Callable[[int], float | None]
) -> dict[int, float]:
    """Raw samples every `step` seconds in [start, end): a constant or a function of time."""
    out: dict[int, float] = {}
    for t in range(start, end, step):
        v = value(t) if callable(value) else value
        if v is not None:
            out[t] = float(v)
    return out

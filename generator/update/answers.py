"""Changing a generated repository's answers: `scaffold update --data KEY=VALUE` (ADR 0011).

The recorded answers (`.copier-answers.yml`) with the new values applied are validated by the
service type's spec model, exactly as `scaffold new` validates them (every problem at once);
the update then renders the template with them and merges three-way, like a version update.
The name and the type cannot change: they name the repository, the package and every AWS
resource, so changing them is a new service, not an update.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from generator.errors import BadInputError
from generator.spec.answers import build_spec, parse_data_pairs
from generator.spec.registry import resolve_type

_FIXED = {
    "name": "the service name names the repository, the Python package and every AWS resource",
    "service_type": "the service type decides every file of the repository",
}


def changed_answers(
    recorded: Mapping[str, Any], pairs: Iterable[str]
) -> tuple[dict[str, Any], list[str]]:
    """The recorded answers with `pairs` (`KEY=VALUE`) applied and validated, and the names of
    the answers whose value changed (in the order given)."""
    parsed = parse_data_pairs(pairs)
    for key, _ in parsed:
        if key in _FIXED:
            raise BadInputError(
                f"--data {key}: an update cannot change it ({_FIXED[key]}); generate a new "
                "service with `scaffold new` instead. Nothing was changed"
            )
    model = resolve_type(str(recorded.get("service_type", ""))).model
    current = {k: v for k, v in recorded.items() if k not in _FIXED}
    spec = build_spec(model, str(recorded.get("name", "")), current, parsed)
    answers = spec.answers()
    given = dict.fromkeys(key for key, _ in parsed)
    changed = [key for key in given if answers.get(key) != recorded.get(key)]
    return answers, changed


def describe(answers: Mapping[str, Any], changed: Iterable[str]) -> str:
    """`database=postgres, internet_facing=false` for labels and messages."""
    return ", ".join(f"{key}={_text(answers.get(key))}" for key in changed)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ",".join(map(str, value))
    return str(value)

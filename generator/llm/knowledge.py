"""What a description may decide: the fields every type takes, and each type's evidence.

Each service type's plugin declares what descriptions say about it (`ServiceType.llm`, a
`generator.spec.plugin.LlmHints`): the words that say "this is that kind of service" (cues,
weighted), the spec fields a description may set with the finder that reads each and the
question the model is asked when two values are stated, and the suffix its derived names take.
This module adds the fields every type takes (`COMMON_FIELDS`) and iterates over the registry;
it names no type. Nothing else can be set from a description: sizing (CPU, memory, task
counts), GitHub organisation, cost center, tags, ports and paths are `--data` only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from generator.llm import facts
from generator.llm.text import Span, is_destination, negated
from generator.spec.plugin import LlmField, LlmHints
from generator.spec.registry import all_types, resolve_type

#: Fields every type takes from a description.
COMMON_FIELDS: Final[dict[str, LlmField]] = {
    "owner_team": LlmField(facts.find_owner_team, "Which team owns the service?"),
    "aws_region": LlmField(facts.find_aws_region, "Which AWS region does it run in?"),
    "environments": LlmField(facts.find_environments, "Which environments does it need?"),
    "slo_availability": LlmField(
        facts.find_slo, "What availability objective, in percent?", key=True
    ),
    "monthly_budget_usd": LlmField(facts.find_budget, "What monthly budget, in US dollars?"),
    "rto_minutes": LlmField(facts.find_rto, "How fast must it recover, in minutes?"),
    "rpo_minutes": LlmField(facts.find_rpo, "How many minutes of data may it lose?"),
}


def fields_for(service_type: str) -> dict[str, LlmField]:
    """The fields a description may set for `service_type`."""
    return {**COMMON_FIELDS, **resolve_type(service_type).llm.fields}


def all_fields() -> dict[str, LlmField]:
    """Every field any type takes from a description."""
    found = dict(COMMON_FIELDS)
    for service_type in all_types():
        found.update(service_type.llm.fields)
    return found


@dataclass(frozen=True)
class TypeEvidence:
    """How strongly the description points to each type, and the words that do."""

    scores: dict[str, int]
    spans: dict[str, list[Span]]

    def supported(self) -> list[str]:
        """The types some words point to, strongest first."""
        ranked = sorted(self.scores, key=lambda t: -self.scores[t])
        return [t for t in ranked if self.scores[t] > 0]

    def dominant(self) -> str | None:
        """The type the words clearly point to: at least twice the score of any other."""
        ranked = self.supported()
        if not ranked:
            return None
        first = ranked[0]
        second = self.scores[ranked[1]] if len(ranked) > 1 else 0
        return first if self.scores[first] >= 2 * second and self.scores[first] >= 2 else None


def _cue_words(text: str, hints: LlmHints) -> list[tuple[Span, int]]:
    """The type's cue words in `text` (not negated, not a destination when the type says so,
    not overlapping a stronger earlier cue), with their weights."""
    found: list[tuple[Span, int]] = []
    for pattern, weight in hints.cues:
        for match in re.finditer(pattern, text, re.IGNORECASE):
            span = Span(match.start(), match.end(), match.group(0))
            if negated(text, match.start()):
                continue
            if hints.ignore_destinations and is_destination(text, match.start()):
                continue  # "publishes to SNS": a producer, not a consumer
            if any(s.start < span.end and span.start < s.end for s, _ in found):
                continue
            found.append((span, weight))
    for field in hints.cue_fields:
        found += [(fact.span, 3) for fact in hints.fields[field].finder(text)]
    return found


def type_evidence(text: str) -> TypeEvidence:
    """Score each type by the (non-negated, non-overlapping) cue words in `text`."""
    scores, spans = {}, {}
    for service_type in all_types():
        found = _cue_words(text, service_type.llm)
        scores[service_type.name] = sum(weight for _, weight in found)
        spans[service_type.name] = [s for s, _ in sorted(found, key=lambda p: -p[1])]
    return TypeEvidence(scores, spans)

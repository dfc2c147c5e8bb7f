"""What a description may decide, per service type: the one place that knows it.

For each type: the words that say "this is that kind of service" (cues, weighted), the spec
fields a description may set and the finder that reads each, the suffix its derived names
take, and the few-shot examples of the type question. `COMMON_FIELDS` are the fields every
type takes from a description. Nothing else can be set from a description: sizing (CPU,
memory, task counts), GitHub organisation, cost center, tags, ports and paths are `--data`
only.

When service types become plugins, each plugin declares its `TypeKnowledge`; the pipeline in
`generator.llm.spec` only iterates over this table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from generator.llm import facts
from generator.llm.facts import Finder
from generator.llm.schedules import find_schedules, find_timezones
from generator.llm.text import Fact, Span, is_destination, negated

_I = re.IGNORECASE


@dataclass(frozen=True)
class Cue:
    """Words that point to a service type, and how strongly (1 hint, 2 likely, 3 clear)."""

    pattern: re.Pattern[str]
    weight: int


@dataclass(frozen=True)
class Question:
    """How to ask a model to choose between values the description states, for one field."""

    text: str
    labels: dict[object, str] = field(default_factory=dict)

    def label(self, value: object) -> str:
        """The option's label for the model: the value, or a word for it."""
        return self.labels.get(value, str(value))


@dataclass(frozen=True)
class TypeKnowledge:
    """One service type, as far as descriptions go."""

    service_type: str
    summary: str
    cues: tuple[Cue, ...]
    fields: dict[str, Finder]
    name_suffix: str
    schedule_is_a_cue: bool = False


def _cues(*pairs: tuple[str, int]) -> tuple[Cue, ...]:
    return tuple(Cue(re.compile(pattern, _I), weight) for pattern, weight in pairs)


WEB: Final = TypeKnowledge(
    service_type="web-service",
    summary="answers HTTP requests: an API, a website, a backend that apps or services call",
    cues=_cues(
        (r"\b(?:rest(?:ful)?|https?|graphql|grpc|json\s+api|openapi)\b", 3),
        (r"\b(?:web\s*site|web\s*app(?:lication)?|web\s+ui|front[\s-]?end|portal|dashboard)\b", 3),
        (r"\bend\s*points?\b|\bwebhooks?\b|\bload\s+balancer\b|\bbrowsers?\b", 3),
        (
            r"\bapis?\b|\bbackend\s+for\b|\bsign\s+(?:in|up)\s+(?:page|form)\b|\blog\s*in\s+page\b",
            2,
        ),
        (r"\b(?:serves?|serving)\b|\b(?:sign|log)s?\s+in\b|\brequests?\b|\bresponds?\b", 1),
        (
            r"\b(?:apps?|clients?|services|teams|users|customers)\s+(?:can\s+)?calls?\b|\bcalls?\s+it\b",
            2,
        ),
        (r"\blook\s+up\b|\bquer(?:y|ies)\b|\bcrud\b", 1),
    ),
    fields={
        "database": facts.find_database,
        "internet_facing": facts.find_internet_facing,
    },
    name_suffix="api",
)

BATCH: Final = TypeKnowledge(
    service_type="batch-service",
    summary="runs on a schedule (nightly, hourly, every Monday), does its work and stops",
    cues=_cues(
        (r"\bcron\b|\bscheduled\b|\bon\s+a\s+schedule\b|\bbatch(?:es)?\s+(?:job|run|process)", 3),
        (r"\bjobs?\b|\bbatch\b|\bschedules?\b|\bbackfills?\b", 2),
        (r"\bruns?\s+(?:once|at|every|each)\b|\bperiodic(?:ally)?\b|\bregularly\b", 2),
        (r"\b(?:report|export|cleanup|clean[\s-]up|archive|sync|refresh)(?:es|s)?\b", 1),
    ),
    fields={
        "schedule": find_schedules,
        "schedule_timezone": find_timezones,
        "timeout_minutes": facts.find_timeout,
    },
    name_suffix="job",
    schedule_is_a_cue=True,
)

EVENT: Final = TypeKnowledge(
    service_type="event-service",
    summary="reacts to each message or event from a queue, a topic or an event bus",
    cues=_cues(
        (
            r"\bsqs\b|\bsns\b|\bevent\s*bridge\b|\bevent\s+bus\b|\bkafka\b|\bkinesis\b|\bpub/?sub\b",
            3,
        ),
        (
            r"\bqueues?\b|\btopics?\b|\bconsumers?\b|\bconsumes?\b|\bsubscribes?\b|\bsubscription\b",
            3,
        ),
        (r"\bwhenever\b|\b(?:each|every)\s+time\b|\bas\s+soon\s+as\b|\blistens?\s+(?:to|for)\b", 2),
        (
            r"\breacts?\s+to\b|\btriggered\s+by\b|\bdrains?\b|\bfor\s+(?:each|every)\s+(?:new\s+)?"
            r"(?:message|event|record|order|upload|file)\b|\blambda\b",
            2,
        ),
        (r"\bevents?\b|\bmessages?\b|\bnotifications?\b|\bpublished\b|\bwhen\s+(?:a|an|new)\b", 1),
    ),
    fields={
        "source": facts.find_source,
        "batch_size": facts.find_batch_size,
        "max_concurrency": facts.find_max_concurrency,
    },
    name_suffix="consumer",
)

KNOWLEDGE: Final = {k.service_type: k for k in (WEB, BATCH, EVENT)}

#: Fields every type takes from a description.
COMMON_FIELDS: Final[dict[str, Finder]] = {
    "owner_team": facts.find_owner_team,
    "aws_region": facts.find_aws_region,
    "environments": facts.find_environments,
    "slo_availability": facts.find_slo,
    "monthly_budget_usd": facts.find_budget,
    "rto_minutes": facts.find_rto,
    "rpo_minutes": facts.find_rpo,
}

#: How the model is asked to choose when the description states two values for a field.
QUESTIONS: Final = {
    "database": Question(
        "Does the service keep its data in a PostgreSQL database?",
        {"postgres": "postgres", "none": "no database"},
    ),
    "internet_facing": Question(
        "Is the service reachable from the internet, or internal only?",
        {True: "public", False: "internal"},
    ),
    "schedule": Question("When does the job run?"),
    "schedule_timezone": Question("Which time zone is the schedule in?"),
    "timeout_minutes": Question("After how many minutes should the job stop?"),
    "source": Question(
        "Where do the events come from?",
        {"sqs": "an SQS queue", "sns": "an SNS topic", "eventbridge": "an EventBridge bus"},
    ),
    "batch_size": Question("How many messages does one invocation take?"),
    "max_concurrency": Question("How many invocations may run at once?"),
    "owner_team": Question("Which team owns the service?"),
    "aws_region": Question("Which AWS region does it run in?"),
    "environments": Question("Which environments does it need?"),
    "slo_availability": Question("What availability objective, in percent?"),
    "monthly_budget_usd": Question("What monthly budget, in US dollars?"),
    "rto_minutes": Question("How fast must it recover, in minutes?"),
    "rpo_minutes": Question("How many minutes of data may it lose?"),
}


def fields_for(service_type: str) -> dict[str, Finder]:
    """The fields a description may set for `service_type`, with their finders."""
    return {**COMMON_FIELDS, **KNOWLEDGE[service_type].fields}


def all_fields() -> dict[str, Finder]:
    """Every field any type takes from a description."""
    found = dict(COMMON_FIELDS)
    for knowledge in KNOWLEDGE.values():
        found.update(knowledge.fields)
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


def type_evidence(text: str, schedules: list[Fact] | None = None) -> TypeEvidence:
    """Score each type by the (non-negated, non-overlapping) cue words in `text`."""
    scores, spans = {}, {}
    for knowledge in KNOWLEDGE.values():
        found: list[tuple[Span, int]] = []
        for cue in knowledge.cues:
            for match in cue.pattern.finditer(text):
                span = Span(match.start(), match.end(), match.group(0))
                if negated(text, match.start()):
                    continue
                if knowledge.service_type == "event-service" and is_destination(
                    text, match.start()
                ):
                    continue  # "publishes to SNS": a producer, not a consumer
                if any(s.start < span.end and span.start < s.end for s, _ in found):
                    continue
                found.append((span, cue.weight))
        if knowledge.schedule_is_a_cue:
            for fact in schedules if schedules is not None else find_schedules(text):
                found.append((fact.span, 3))
        scores[knowledge.service_type] = sum(weight for _, weight in found)
        spans[knowledge.service_type] = [s for s, _ in sorted(found, key=lambda p: -p[1])]
    return TypeEvidence(scores, spans)

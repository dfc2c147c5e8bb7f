"""Field values read from a description by rules: each with the span of words that says it.

One finder per spec field, `finder(text) -> list[Fact]`. A finder reports what the words say,
not what a service should have: "no database" is a fact (`database: none`), silence is not.
Negations are read in scope ("not public", "without a database"). A value the spec cannot
take but the words clearly state ("MySQL", "every 30 seconds") is a fact with a `problem`, so
it is reported instead of silently dropped.

Which fields a service type takes, and so which finders run for it, is in
`generator.llm.knowledge`; schedules and time zones are read by `generator.llm.schedules`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from generator.llm.text import NUMBER, Fact, Span, is_destination, negated, negation_at, number

Finder = Callable[[str], list[Fact]]
_I = re.IGNORECASE


def _fact(field: str, value: object, match: re.Match[str], **extra: str) -> Fact:
    return Fact(field, value, Span(match.start(), match.end(), match.group(0)), **extra)


def _ranged(field: str, value: int, match: re.Match[str], low: int, high: int, unit: str) -> Fact:
    """A number read from the words; outside the spec's range it is a problem, not a value."""
    if low <= value <= high:
        return _fact(field, value, match)
    return _fact(field, None, match, problem=f"{value} {unit}: the range is {low}-{high}")


def _scan(text: str, field: str, rules: list[tuple[re.Pattern[str], object, object]]) -> list[Fact]:
    """Facts from (pattern, value, value when negated) rules; None skips that case.

    A negated match's span starts at the negation, so the span alone says the value.
    """
    facts: list[Fact] = []
    for pattern, value, negated_value in rules:
        for match in pattern.finditer(text):
            if any(f.span.start < match.end() and match.start() < f.span.end for f in facts):
                continue
            negation = negation_at(text, match.start())
            chosen = value if negation is None else negated_value
            if chosen is None:
                continue
            start = match.start() if negation is None else negation
            facts.append(Fact(field, chosen, Span(start, match.end(), text[start : match.end()])))
    return sorted(facts, key=lambda f: f.span.start)


# --- web: database and exposure -------------------------------------------------------------

_STATELESS = re.compile(r"\bstateless\b|\bno\s+(?:persistent\s+)?(?:storage|state)\b", _I)
_POSTGRES = re.compile(r"\b(?:postgres(?:ql)?|psql|rds|aurora(?:\s+postgres(?:ql)?)?)\b", _I)
_DATABASE = re.compile(
    r"\b(?:relational|sql)\s+(?:database|db)s?\b|\bdatabases?\b|\bdb\b|\bpersist(?:ence|s|ed)?\b",
    _I,
)
_OTHER_DATABASE = re.compile(
    r"\b(?P<db>mysql|mariadb|oracle(?:\s+db)?|sql\s+server|mongo(?:db)?|dynamo(?:db)?|"
    r"cassandra|redis)\b",
    _I,
)


def find_database(text: str) -> list[Fact]:
    """ "stores orders in PostgreSQL" -> postgres; "no database", "stateless" -> none."""
    facts = _scan(text, "database", [
        (_POSTGRES, "postgres", "none"),
        (_DATABASE, "postgres", "none"),
        (_STATELESS, "none", None),
    ])  # fmt: skip
    for match in _OTHER_DATABASE.finditer(text):
        if negated(text, match.start()):
            continue
        name = match.group("db")
        if name.lower().startswith(("dynamo", "redis", "mongo", "cassandra")):
            continue  # not a relational database: says nothing about RDS PostgreSQL
        facts.append(
            _fact(
                "database",
                None,
                match,
                problem=f"{name} is not offered: none or postgres (RDS PostgreSQL)",
            )
        )
    # "DynamoDB" or "Redis" next to "database" names another store: not postgres.
    return [f for f in facts if not _names_other_store(text, f)]


def _names_other_store(text: str, fact: Fact) -> bool:
    if fact.value != "postgres" or _POSTGRES.search(fact.span.text):
        return False
    window = text[max(0, fact.span.start - 30) : fact.span.end + 30]
    return _OTHER_DATABASE.search(window) is not None


_PUBLIC = re.compile(
    r"\bpublic(?:ly)?(?:[\s-]facing)?\b(?!\s+(?:holidays?|keys?|cloud|transport|sector|"
    r"records?|subnets?|ips?|buckets?|s3))"
    r"|\binternet[\s-]facing\b|\b(?:exposed|open|reachable|available)\s+(?:to|on|from)\s+the\s+"
    r"(?:internet|web|public)\b|\bfrom\s+the\s+internet\b|\bcustomer[\s-]facing\b"
    r"|\bexternal\s+(?:clients?|customers?|partners?|users?|callers?)\b",
    _I,
)
_INTERNAL = re.compile(
    r"\binternal(?:ly)?(?:[\s-]only)?\b(?!\s+(?:audit|tools?\s+team|team))"
    r"|\bprivate(?:ly)?\b(?!\s+(?:keys?|data|information))|\bintranet\b"
    r"|\b(?:inside|within|from)\s+(?:the|our)\s+(?:vpc|private\s+network|corporate\s+network|"
    r"network)\b|\bvpc[\s-]only\b|\bbehind\s+(?:the|our|a)\s+vpn\b|\bnot\s+exposed\b",
    _I,
)


def find_internet_facing(text: str) -> list[Fact]:
    """ "public API", "internet-facing" -> true; "internal only", "inside the VPC" -> false."""
    return _scan(text, "internet_facing", [(_PUBLIC, True, False), (_INTERNAL, False, True)])


# --- event: the source ----------------------------------------------------------------------

_DLQ = re.compile(r"\bdead[\s-]?letter\s+queues?\b|\bdlq\b", _I)
_SOURCES: Final = [
    (
        re.compile(
            r"\beventbridge\b|\bevent\s*bridge\b|\bevent\s+bus(?:es)?\b|\bcloudwatch\s+"
            r"events\b|\b(?:the|our|a)\s+bus\b",
            _I,
        ),
        "eventbridge",
    ),
    (re.compile(r"\bsns\s+topics?\b|\bsns\b|\btopics?\b|\bpub/?sub\b", _I), "sns"),
    (re.compile(r"\bsqs\b|\b(?:message\s+|work\s+)?queues?\b", _I), "sqs"),
]
_OTHER_SOURCE = re.compile(r"\b(?P<s>kafka|kinesis|rabbitmq|msk|pulsar|google\s+pub/sub)\b", _I)


def find_source(text: str) -> list[Fact]:
    """ "an SNS topic" -> sns; "the orders queue" -> sqs; "our EventBridge bus" -> eventbridge.

    SNS and EventBridge deliver through a queue in scaffold's design, so "a topic fanned into
    a queue" is sns: a queue named beside a topic or bus is not a source of its own. Where the
    service sends things ("publishes to SNS", "the dead-letter queue") is not its source.
    """
    facts: list[Fact] = []
    dead_letter = [m.span() for m in _DLQ.finditer(text)]
    for pattern, value in _SOURCES:
        for match in pattern.finditer(text):
            inside_dlq = any(a <= match.start() < b for a, b in dead_letter)
            if inside_dlq or negated(text, match.start()) or is_destination(text, match.start()):
                continue
            if any(f.span.start < match.end() and match.start() < f.span.end for f in facts):
                continue
            facts.append(_fact("source", value, match))
    if any(f.value != "sqs" for f in facts):
        facts = [f for f in facts if f.value != "sqs"]
    for match in _OTHER_SOURCE.finditer(text):
        facts.append(
            _fact(
                "source",
                None,
                match,
                problem=f"{match.group('s')} is not offered: sqs, sns or eventbridge",
            )
        )
    return sorted(facts, key=lambda f: f.span.start)


_BATCH_SIZE = re.compile(
    rf"\bbatch(?:es)?\s+(?:size\s+)?of\s+(?P<n>{NUMBER})\b|\bbatch\s+size\s*(?:is|:|=)?\s*"
    rf"(?P<m>{NUMBER})\b|\b(?P<k>{NUMBER})\s+(?:messages?|events?|records?|items?)\s+(?:at\s+a\s+"
    r"time|per\s+(?:batch|invocation|call))\b|\b(?P<one>one)\s+(?:at\s+a\s+time|by\s+one)\b",
    _I,
)


def _counts(
    text: str, pattern: re.Pattern[str], field: str, low: int, high: int, unit: str
) -> list[Fact]:
    """A count per match of `pattern` (its one matched named group), checked against a range."""
    facts = []
    for match in pattern.finditer(text):
        token = next(v for v in match.groupdict().values() if v)
        facts.append(_ranged(field, number(token), match, low, high, unit))
    return facts


def find_batch_size(text: str) -> list[Fact]:
    """ "in batches of 5", "one message at a time" -> batch_size (1-10)."""
    return _counts(text, _BATCH_SIZE, "batch_size", 1, 10, "per batch")


_CONCURRENCY = re.compile(
    rf"\b(?:at\s+most|up\s+to|no\s+more\s+than|max(?:imum)?(?:\s+of)?)\s+(?P<n>{NUMBER})\s+"
    r"(?:\w+\s+){0,2}?(?:at\s+once|concurrent(?:ly)?|in\s+parallel|at\s+the\s+same\s+time|"
    r"simultaneous(?:ly)?|parallel)\b"
    rf"|\b(?:max(?:imum)?\s+)?concurrency\s+(?:limit\s+)?(?:of\s+|is\s+|:\s*|=\s*)?"
    rf"(?P<m>{NUMBER})\b"
    rf"|\b(?P<k>{NUMBER})\s+(?:concurrent|parallel)\s+(?:invocations?|executions?|workers?|"
    r"consumers?|lambdas?)\b",
    _I,
)


def find_max_concurrency(text: str) -> list[Fact]:
    """ "at most 20 running at once", "concurrency of 50" -> max_concurrency (2-1000)."""
    return _counts(text, _CONCURRENCY, "max_concurrency", 2, 1000, "at once")


# --- batch: the timeout ---------------------------------------------------------------------

_DURATION = rf"(?P<n>{NUMBER}|half\s+an?)\s*(?P<u>minutes?|mins?|hours?|hrs?|h)\b"
_TIMEOUT: Final = [
    re.compile(pattern + _DURATION, _I)
    for pattern in (
        r"\btime(?:s|d)?\s*out\s+(?:after|of|at)?\s*",
        r"\btimeout\s+(?:of\s+|is\s+|:\s*|=\s*)?",
        r"\b(?:must|should|has\s+to|needs\s+to)\s+(?:finish|complete|be\s+done|end)\s+(?:with)?in\s+",
        r"\b(?:takes?|runs?\s+for)\s+(?:up\s+to|at\s+most|no\s+more\s+than)\s+",
        r"\b(?:stop|kill|abort)(?:s|ped)?\s+(?:it\s+)?after\s+",
    )
]


def find_timeout(text: str) -> list[Fact]:
    """ "must finish within 2 hours", "times out after 45 minutes" -> timeout_minutes."""
    facts = []
    for match in (m for pattern in _TIMEOUT for m in pattern.finditer(text)):
        facts.append(
            _ranged("timeout_minutes", _duration_minutes(match), match, 1, 1440, "minutes")
        )
    return facts


# --- every type: ownership, region, environments, SLO, budget, recovery ----------------------

_TEAM = r"(?P<team>[A-Za-z0-9][\w-]*(?:\s+[A-Za-z0-9][\w-]*){0,2}?)"
_OWNER = re.compile(
    rf"\b(?:owned|maintained|run|operated)\s+by\s+(?:the\s+)?(?:@[\w-]+/)?{_TEAM}\s+team\b"
    rf"|\b(?:owned|maintained)\s+by\s+(?:the\s+)?@[\w-]+/(?P<handle>[\w-]+)"
    rf"|\b(?:the\s+)?{_TEAM.replace('team>', 'team2>')}\s+team\s+(?:owns|maintains|runs)\b"
    rf"|\bowner(?:\s+team)?\s*(?:is|:|=)\s*(?:the\s+)?@?(?P<team3>[a-z0-9][\w-]*)",
    _I,
)


def find_owner_team(text: str) -> list[Fact]:
    """ "owned by the billing team", "the compliance team owns it" -> owner_team (a slug)."""
    facts = []
    for match in _OWNER.finditer(text):
        name = next(
            g
            for g in (
                match.group("team"),
                match.group("handle"),
                match.group("team2"),
                match.group("team3"),
            )
            if g
        )
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        facts.append(_fact("owner_team", slug, match))
    return facts


_REGION_CODE = re.compile(r"\b(?:us|eu|ap|ca|sa|me|af|il|mx)-[a-z]+-\d\b", _I)
_REGION_NAMES: Final = {
    "n. virginia": "us-east-1", "north virginia": "us-east-1", "virginia": "us-east-1",
    "ohio": "us-east-2", "oregon": "us-west-2", "n. california": "us-west-1",
    "ireland": "eu-west-1", "london": "eu-west-2", "paris": "eu-west-3",
    "frankfurt": "eu-central-1", "zurich": "eu-central-2", "stockholm": "eu-north-1",
    "milan": "eu-south-1", "spain": "eu-south-2", "tokyo": "ap-northeast-1",
    "seoul": "ap-northeast-2", "osaka": "ap-northeast-3", "singapore": "ap-southeast-1",
    "sydney": "ap-southeast-2", "jakarta": "ap-southeast-3", "melbourne": "ap-southeast-4",
    "mumbai": "ap-south-1", "hyderabad": "ap-south-2", "hong kong": "ap-east-1",
    "canada": "ca-central-1", "central canada": "ca-central-1", "sao paulo": "sa-east-1",
    "cape town": "af-south-1", "bahrain": "me-south-1", "uae": "me-central-1",
}  # fmt: skip
_REGION_NAME = re.compile(
    r"\b(?:aws\s+)?(?:the\s+)?(?P<name>" + "|".join(re.escape(n) for n in _REGION_NAMES)
    + r")\s+region\b|\bregion\s*(?:is|:|=)?\s*(?P<name2>"
    + "|".join(re.escape(n) for n in _REGION_NAMES) + r")\b",
    _I,
)  # fmt: skip


def find_aws_region(text: str) -> list[Fact]:
    """ "eu-central-1", "the Frankfurt region" -> aws_region."""
    from generator.spec.fields import AWS_REGIONS

    facts = []
    for match in _REGION_CODE.finditer(text):
        code = match.group(0).lower()
        problem = "" if code in AWS_REGIONS else f"{code} is not a commercial AWS region"
        facts.append(_fact("aws_region", code if not problem else None, match, problem=problem))
    for match in _REGION_NAME.finditer(text):
        name = (match.group("name") or match.group("name2")).lower()
        facts.append(_fact("aws_region", _REGION_NAMES[name], match))
    return facts


_ENV = r"(?:dev(?:elopment)?|staging|stage|prod(?:uction)?)"
_ENV_LIST = re.compile(
    rf"\b(?:only\s+(?:in\s+)?(?P<only>{_ENV}(?:\s*(?:,|and|&)\s*{_ENV})*)"
    rf"|(?P<list>{_ENV}(?:\s*(?:,|and|&)\s*{_ENV})*)\s+(?:only|environments?\s+only)"
    rf"|environments?\s*(?::|are|is)\s*(?P<named>{_ENV}(?:\s*(?:,|and|&)\s*{_ENV})*))\b",
    _I,
)
_ENV_WITHOUT = re.compile(
    rf"\b(?:no|without(?:\s+an?)?)\s+(?P<env>{_ENV})(?:\s+environment)?\b", _I
)


def _environments(words: str) -> list[str]:
    found = re.findall(_ENV, words, _I)
    names = {
        "dev": "dev",
        "development": "dev",
        "staging": "staging",
        "stage": "staging",
        "prod": "prod",
        "production": "prod",
    }
    chosen = {names[w.lower()] for w in found}
    return [e for e in ("dev", "staging", "prod") if e in chosen]


def find_environments(text: str) -> list[Fact]:
    """ "production only", "only dev and prod", "no staging" -> environments."""
    facts = []
    for match in _ENV_LIST.finditer(text):
        words = match.group("only") or match.group("list") or match.group("named")
        facts.append(_fact("environments", _environments(words), match))
    for match in _ENV_WITHOUT.finditer(text):
        left = [e for e in ("dev", "staging", "prod") if e not in _environments(match.group("env"))]
        facts.append(_fact("environments", left, match))
    return facts


_NINES: Final = {"two": 99.0, "three": 99.9, "four": 99.99, "3": 99.9, "4": 99.99, "2": 99.0}
_PERCENT = re.compile(
    r"\b(?P<v>\d{2}(?:\.\d{1,3})?)\s*(?:%|percent\b|per\s+cent\b)"
    r"(?:\s+(?:availability|uptime|available|of\s+the\s+time))?",
    _I,
)
_NINES_RE = re.compile(
    r"\b(?P<n>two|three|four|five|[2-5])(?P<half>\s+and\s+a\s+half)?\s+nines\b", _I
)
_SLO_CONTEXT = re.compile(
    r"\b(?:availab\w*|uptime|up\b|slo|sla|reliab\w*|nines|of\s+the\s+time|successful|success)",
    _I,
)


def find_slo(text: str) -> list[Fact]:
    """ "99.95% available", "an SLO of 99.9 percent", "three nines" -> slo_availability."""
    from generator.llm.text import sentence_of

    facts = []
    for match in _PERCENT.finditer(text):
        if not _SLO_CONTEXT.search(sentence_of(text, match.start()).text):
            continue  # "90% of requests under 200 ms" is latency, "20% cheaper" is cost
        facts.append(_slo_fact(float(match.group("v")), match))
    for match in _NINES_RE.finditer(text):
        count = match.group("n").lower()
        if count in ("five", "5"):
            facts.append(
                _fact(
                    "slo_availability",
                    None,
                    match,
                    problem="five nines (99.999 %) is above the 99.99 % the spec takes",
                )
            )
            continue
        value = _NINES[count] + (0.05 if match.group("half") and count in ("three", "3") else 0)
        facts.append(_slo_fact(round(value, 2), match))
    return facts


def _slo_fact(value: float, match: re.Match[str]) -> Fact:
    if 90.0 <= value <= 99.99:
        return _fact("slo_availability", value, match)
    return _fact(
        "slo_availability",
        None,
        match,
        problem=f"{value:g} % is outside the 90-99.99 % an SLO takes",
    )


_MONEY = re.compile(
    r"(?:\$|usd\s*|€|eur\s*)\s?(?P<a>\d[\d,]*(?:\.\d+)?)(?:\s?(?P<ak>k)\b)?"
    r"|\b(?P<b>\d[\d,]*(?:\.\d+)?)\s*(?P<bk>k)?\s*(?:usd|dollars|\$|eur|euros?|€)",
    _I,
)
_MONTHLY_MONEY = re.compile(r"\b(?:a|per|each|every|/)\s*month\b|\bmonthly\b|/\s*mo\b", _I)
_BUDGET_WORD = re.compile(r"\b(?:budget|cost|spend|bill)\w*", _I)


def find_budget(text: str) -> list[Fact]:
    """ "a budget of $500 a month", "costs under 300 USD monthly" -> monthly_budget_usd."""
    from generator.llm.text import sentence_of

    facts = []
    for match in _MONEY.finditer(text):
        sentence = sentence_of(text, match.start()).text
        if not (_MONTHLY_MONEY.search(sentence) and _BUDGET_WORD.search(sentence)):
            continue
        amount = float((match.group("a") or match.group("b")).replace(",", ""))
        amount *= 1000 if (match.group("ak") or match.group("bk")) else 1
        euros = "€" in match.group(0) or "eur" in match.group(0).lower()
        if euros:
            facts.append(
                _fact(
                    "monthly_budget_usd",
                    None,
                    match,
                    problem="the budget is in USD: give it in dollars",
                )
            )
        elif 1 <= amount <= 1_000_000:
            facts.append(_fact("monthly_budget_usd", int(amount), match))
    return facts


_RECOVERY_DURATION = rf"(?P<n>{NUMBER}|half\s+an?)\s*(?P<u>minutes?|mins?|hours?|hrs?|h|days?)\b"
_RTO: Final = [
    re.compile(pattern + _RECOVERY_DURATION, _I)
    for pattern in (
        r"\brto\s*(?:of|is|:|=|under|below)?\s*(?:at\s+most\s+|under\s+)?",
        r"\b(?:recover(?:ed|s)?|restored?|back\s+(?:up|online))\s+(?:with)?in\s+",
    )
]
_RPO: Final = [
    re.compile(r"\brpo\s*(?:of|is|:|=|under|below)?\s*(?:at\s+most\s+|under\s+)?"
               + _RECOVERY_DURATION, _I),
    re.compile(r"\blose\s+(?:at\s+most|no\s+more\s+than|up\s+to|only)\s+" + _RECOVERY_DURATION
               + r"\s+of\s+(?:data|writes|changes)", _I),
]  # fmt: skip
_NO_DATA_LOSS = re.compile(
    r"\b(?:no|zero)\s+data\s+loss\b|\b(?:must|can)\s*(?:not|n't)\s+lose\s+(?:any\s+)?(?:data|writes)\b"
    r"|\brpo\s*(?:of|is|:|=)?\s*(?:zero|0)\b(?!\s*(?:minutes?|hours?))",
    _I,
)


def _duration_minutes(match: re.Match[str]) -> int:
    amount = match.group("n").lower()
    count = 0.5 if amount.startswith("half") else number(amount)
    unit = match.group("u").lower()
    factor = 1440 if unit.startswith("d") else 60 if unit.startswith("h") else 1
    return int(count * factor)


def find_rto(text: str) -> list[Fact]:
    """ "an RTO of 30 minutes", "back online within 2 hours" -> rto_minutes."""
    facts = []
    for match in (m for pattern in _RTO for m in pattern.finditer(text)):
        facts.append(_ranged("rto_minutes", _duration_minutes(match), match, 5, 10080, "minutes"))
    return facts


def find_rpo(text: str) -> list[Fact]:
    """ "an RPO of 5 minutes", "no data loss" -> rpo_minutes."""
    facts = [_fact("rpo_minutes", 0, m) for m in _NO_DATA_LOSS.finditer(text)]
    for match in (m for pattern in _RPO for m in pattern.finditer(text)):
        facts.append(_ranged("rpo_minutes", _duration_minutes(match), match, 0, 10080, "minutes"))
    return facts


_NAMED = re.compile(
    r"\b(?:called|named|name\s+it|its\s+name\s+is|name\s*:)\s+[\"'`]?(?P<name>[A-Za-z][\w./-]*)",
    _I,
)


def find_name(text: str) -> list[Fact]:
    """ "called ledger-sync", "name it billing-api" -> name (checked by the spec later)."""
    return [_fact("name", m.group("name").rstrip(".").lower(), m) for m in _NAMED.finditer(text)]

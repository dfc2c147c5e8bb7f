"""Service names from the description's own words.

A name the description gives ("called ledger-sync") is used when it is a valid service name.
Otherwise the candidates are built from its noun phrases ("the sales report" -> `sales-report`,
`sales-report-job`) and, for jobs and consumers, its verb and object ("refresh the exchange
rates" -> `refresh-exchange-rates`); the model only chooses among them. Every candidate is a
valid service name made of the description's words (plus the type's suffix), so no name can
be a prompt's example, a path or anything the description did not say.
"""

from __future__ import annotations

import re
from typing import Final

from generator.llm.text import Span, sentences

MAX_CANDIDATES: Final = 4


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?:'s)?|[,;:()]")
_STOP: Final = _words(
    """
a an the this that these those it its it's they them their our we us you your my me i he she
his her of for to from in on at by with without into onto over under about after before
between through during and or but nor so then than as if when whenever while where which who
whom whose what each every all any some no not only also just more most less many much other
another same such very too there here is are was were be been being am do does did done has
have had having can could will would shall should may might must need needs needed new one two
three four five ten up down out off again once per via etc e g ie eg like small big simple
tiny main basic quick existing current various whole entire own default
"""
)
_TIME_WORDS: Final = _words(
    """
am pm night nights nightly day days daily week weeks weekly weekday weekdays weekend weekends
month months monthly year years yearly hour hours hourly minute minutes morning mornings
evening evenings afternoon afternoons midnight noon today yesterday tomorrow time times utc
gmt local monday mondays tuesday tuesdays wednesday wednesdays thursday thursdays friday
fridays saturday saturdays sunday sundays first last second third twice
"""
)
#: Words that say what kind of service it is: the suffix says that already.
_KIND_WORDS: Final = _words(
    """
api apis service services microservice app application backend endpoint endpoints http https
rest restful graphql grpc job jobs batch task tasks worker workers consumer consumers handler
lambda function queue queues topic topics bus sqs sns eventbridge event events message
messages database db postgres postgresql rds sql relational internal public private
internet-facing external scheduled schedule cron system tool server process script dynamodb
redis s3 mysql kafka kinesis sftp ftp aws cloud bucket buckets glacier storage data
"""
)
_VERBS: Final = _words(
    """
build builds building put puts send sends sending sent pull pulls pulling push pushes pushing
write writes writing read reads reading call calls calling use uses using keep keeps keeping
store stores storing stored look looks looking listen listens listening consume consumes
consuming process processes processing handle handles handling update updates updating refresh
refreshes refreshing archive archives archiving sign signs signing drain drains draining run
runs running serve serves serving return returns returning calculate calculates calculating
reconcile reconciles reconciling download downloads downloading upload uploads uploading fetch
fetches fetching sync syncs syncing export exports exporting import imports importing generate
generates generating create creates creating delete deletes deleting check checks checking
land lands arrive arrives get gets getting make makes making let lets show shows showing
receive receives receiving notify notifies notifying email emails emailing resize resizes
compute computes computing clean cleans cleaning purge purges purging publish publishes
published poll polls polling scan scans scanning index indexes indexing rebuild rebuilds
collect collects collecting move moves moving copy copies copying transform transforms convert
converts validate validates validating track tracks tracking place places placing manage
manages managing provide provides providing expose exposes exposing lets allow allows ship
ships shipping should want wants backed reachable available ready go goes lives live lets
react reacts rotate rotates recompute recomputes compact compacts close closes ignore ignores
subscribe subscribes register registers deliver delivers refund refunds extract extracts list
lists reply replies remind reminds render renders
"""
) - {
    # nouns as often as verbs ("the payroll export", "the search index"): a determiner after
    # them marks their verb use (see _mark_verbs)
    "email",
    "archive",
    "archives",
    "export",
    "exports",
    "import",
    "imports",
    "index",
    "indexes",
    "check",
    "checks",
    "sync",
    "syncs",
    "ship",
    "ships",
    "track",
    "tracks",
    "scan",
    "scans",
    "report",
    "reports",
}


_DETERMINERS: Final = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "its",
        "their",
        "our",
        "your",
        "my",
        "each",
        "every",
        "all",
        "any",
        "some",
    ]
)


def _tokens(span: Span, exclude: list[Span]) -> list[str]:
    """The words of one sentence; words inside `exclude` (a schedule, a team) become breaks."""
    words = []
    for match in _WORD.finditer(span.text):
        start, end = span.start + match.start(), span.start + match.end()
        if any(s.start < end and start < s.end for s in exclude):
            words.append(".")  # a break: never part of a phrase
            continue
        word = match.group(0).lower()
        if word in ",;:()":
            words.append(".")
            continue
        words.append(word[:-2] if word.endswith("'s") else word)
    return words


def _content(word: str) -> bool:
    return not (
        word in _STOP
        or word in _TIME_WORDS
        or word in _KIND_WORDS
        or word in _VERBS
        or len(word) < 3
        or word.isdigit()
        or word == "."
        or (len(word) > 4 and word.endswith("ed"))
    )


def _mark_verbs(words: list[str]) -> list[str]:
    """Words the list does not know but their place shows are verbs become breaks: a word
    right before a determiner ("rotate the", "reacts to the") is one."""
    marked = list(words)
    for index, word in enumerate(words[:-1]):
        following = words[index + 1]
        starts = index == 0 or words[index - 1] == "."
        placed = following in _DETERMINERS or (following == "to" and word.endswith("s") and starts)
        if placed and word not in _KIND_WORDS and word not in _STOP and word not in _VERBS:
            marked[index] = "."
    return marked


def _phrases(words: list[str]) -> list[list[str]]:
    """Runs of content words, objects before subjects ("look up store opening hours" before
    "the mobile app calls"): a run followed by a verb is the sentence's subject."""
    objects: list[list[str]] = []
    subjects: list[list[str]] = []
    current: list[str] = []
    for index, word in enumerate([*words, "."]):
        if _content(word):
            if word not in current:
                current.append(word)
            continue
        if current:
            following = next((w for w in words[index:] if w not in _KIND_WORDS), "")
            (subjects if following in _VERBS else objects).append(current)
            current = []
    return objects + subjects


def _verb_objects(words: list[str]) -> list[list[str]]:
    """A verb and the content words right after it ("refresh the exchange rates")."""
    found = []
    for index, word in enumerate(words):
        if word not in _VERBS or word.endswith(("ing", "ed", "s")):
            continue
        obj: list[str] = []
        for following in words[index + 1 : index + 6]:
            if following in _DETERMINERS and not obj:
                continue
            if not _content(following):
                break
            obj.append(following)
        if obj:
            found.append([word, *obj[-2:]])
    return found


def _valid(name: str) -> bool:
    from generator.spec.fields import _name_problem

    return _name_problem(name) is None


def name_candidates(text: str, service_type: str, exclude: list[Span] | None = None) -> list[str]:
    """Up to four valid names made of the description's words, the likeliest first.

    The type's hints give the suffix (`orders-api`) and whether a verb and its object make a
    name (`refresh-exchange-rates`). `exclude` are spans whose words must not name the service
    (a schedule, a time zone).
    """
    from generator.spec.registry import resolve_type

    kind = resolve_type(service_type)
    hints, suffix = kind.llm, kind.llm.name_suffix
    words: list[str] = []
    for span in sentences(text)[:2]:
        words += [*_mark_verbs(_tokens(span, exclude or [])), "."]
    candidates: list[str] = []

    def offer(parts: list[str]) -> None:
        name = "-".join(parts)
        if name not in candidates and _valid(name):
            candidates.append(name)

    phrases = [run[-2:] for run in _phrases(words)]
    actions = _verb_objects(words) if hints.verb_names else []
    for phrase in phrases[:1]:
        offer([*phrase, suffix])
        offer(phrase)
    for action in actions[:1]:
        offer(action)
    for phrase in phrases[1:3]:
        offer([*phrase, suffix])
        offer(phrase)
    if not candidates:  # no phrase: its longest plain word, else the type's alias
        plain = sorted(
            (
                w
                for w in words
                if w.isalpha()
                and len(w) > 3
                and w not in _STOP
                and w not in _KIND_WORDS
                and w not in _TIME_WORDS
            ),
            key=lambda w: -len(w),
        )
        for word in plain[:1]:
            offer([word, suffix])
        if not candidates:
            offer([kind.alias, suffix])
    return candidates[:MAX_CANDIDATES]

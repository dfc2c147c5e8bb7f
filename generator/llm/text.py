"""The description as text to read: cleaned once, split into sentences, searched with spans.

Everything that reads a description (the parsers, the grounding check, the user-facing
one-line description) works on the same cleaned text, so a span found by one is a span of the
text every other sees:

- control characters become spaces (a pasted tab or newline separates words, it never glues
  them), and whitespace runs fold to one space;
- secrets are redacted (the same patterns as the `secrets` verify check), so no parser can
  copy a key into a field and no span can quote one.

`Span` is what grounds a value: the exact slice of the cleaned text that says it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACES: Final = re.compile(r"\s+")
#: Characters the one-line description must not carry into Markdown, YAML and HTML.
_MARKUP: Final = re.compile(r"[<>`{}|\\]")
#: Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS: Final = ("a.m.", "p.m.", "e.g.", "i.e.", "etc.", "vs.", "approx.", "incl.")
_SENTENCE_END: Final = re.compile(r"[.!?](?=\s+|$)")
DESCRIPTION_MAX: Final = 200


@dataclass(frozen=True)
class Span:
    """A slice of the cleaned description: where it is and what it says."""

    start: int
    end: int
    text: str

    def within(self, other: Span) -> bool:
        """Whether this span lies inside `other`."""
        return other.start <= self.start and self.end <= other.end


def clean(description: str) -> str:
    """The description as every reader sees it: no control characters, no secrets."""
    from generator.llm.prompts import REDACTED
    from generator.verify.checks.secrets import PATTERNS

    text = unicodedata.normalize("NFKC", description)
    text = _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()
    for pattern in PATTERNS.values():
        text = pattern.sub(REDACTED, text)
    return text


def fold(text: str) -> str:
    """Lowercase without accents, for matching words ("São Paulo" -> "sao paulo")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def sentences(text: str) -> list[Span]:
    """The sentences of `text`, as spans ("a.m." or a "?" inside parentheses ends none)."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if any(text[:end].lower().endswith(a) for a in _ABBREVIATIONS):
            continue
        if text.count("(", start, end) > text.count(")", start, end):
            continue  # inside "cron(0 4 ? * SUN *)"
        if text[start:end].strip():
            spans.append(_stripped(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_stripped(text, start, len(text)))
    return spans


def _stripped(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, text[start:end])


def sentence_of(text: str, position: int) -> Span:
    """The sentence holding `position`."""
    for span in sentences(text):
        if span.start <= position < span.end:
            return span
    return Span(0, len(text), text)


def one_line(text: str, limit: int = DESCRIPTION_MAX) -> str:
    """The user's own words as the service's one-line description.

    The first sentence that carries no redacted secret (else the first), without markup
    characters; a sentence longer than `limit` is cut at the last clause or word boundary
    before it, so the line never ends mid-word.
    """
    from generator.llm.prompts import REDACTED

    found = sentences(text)
    if not found:
        return ""
    chosen = next((s for s in found if REDACTED not in s.text), found[0]).text
    line = _SPACES.sub(" ", _MARKUP.sub(" ", chosen)).strip()
    if len(line) <= limit:
        return line
    cut = line[: limit - 3]
    for boundary in (";", ",", " "):
        position = cut.rfind(boundary)
        if position > limit // 2:
            return cut[:position].rstrip(" ,;:") + "..."
    return cut.rstrip() + "..."


_NEGATIONS: Final = re.compile(
    r"\b(?:no|not|without|never|nor|neither|none|zero|don't|doesn't|isn't|won't|shouldn't|"
    r"mustn't|cannot|can't|needn't|dont|doesnt|isnt)\b(?:\s+\w+){0,3}\s*$"
)
_CLAUSE_BREAK: Final = re.compile(r"[.;:!?,()]|\bbut\b|\bhowever\b")


def negation_at(text: str, start: int) -> int | None:
    """Where the negation governing the words at `start` begins ("no database", "not public").

    It looks back at most four words, and not past a clause boundary (punctuation, "but").
    """
    before = text[:start]
    breaks = list(_CLAUSE_BREAK.finditer(before.lower()))
    offset = breaks[-1].end() if breaks else 0
    found = _NEGATIONS.search(before[offset:].lower())
    return offset + found.start() if found else None


def negated(text: str, start: int) -> bool:
    """Whether a negation governs the words starting at `start`."""
    return negation_at(text, start) is not None


_DESTINATION: Final = re.compile(
    r"\b(?:publish|publishes|send|sends|write|writes|put|puts|push|pushes|emit|emits|post|posts|"
    r"forward|forwards|enqueue|enqueues|drop|drops)\b(?:\s+[\w'-]+){0,4}?\s+(?:to|on|onto|into)"
    r"(?:\s+[\w'-]+){0,3}?\s*$",
    re.IGNORECASE,
)


def is_destination(text: str, start: int) -> bool:
    """Whether the words at `start` are where the service sends things ("publishes to SNS").

    Only active verbs count: "events published on a topic" is where they come from.
    """
    before = text[max(0, start - 60) : start]
    breaks = list(_CLAUSE_BREAK.finditer(before.lower()))
    clause = before[breaks[-1].end() :] if breaks else before
    return _DESTINATION.search(clause) is not None


NUMBER_WORDS: Final = {
    "a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty-five": 45, "forty": 40, "fifty": 50,
    "sixty": 60, "ninety": 90, "hundred": 100,
}  # fmt: skip
NUMBER: Final = r"(?:\d+(?:,\d{3})*|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"


def number(token: str) -> int:
    """An integer written in digits ("1,000") or as a word ("twenty")."""
    token = token.lower().replace(",", "")
    return int(token) if token.isdigit() else NUMBER_WORDS[token]


@dataclass(frozen=True)
class Fact:
    """A value a parser read in the description, with the words that say it.

    `problem` is set when the words are clear but the value cannot be used (a schedule more
    often than once a minute, a database scaffold does not offer): the field keeps its
    default and the problem is reported.
    """

    field: str
    value: object
    span: Span
    note: str = ""
    problem: str = ""


def spanning(text: str, *spans: Span) -> Span:
    """The smallest span of `text` covering every one of `spans`."""
    start, end = min(s.start for s in spans), max(s.end for s in spans)
    return Span(start, end, text[start:end])

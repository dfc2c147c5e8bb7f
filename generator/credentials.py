"""What a credential looks like: one list, for the `secrets` check, LLM prompts and answers.

`scaffold verify`'s secrets check, the redaction of a description before it is sent to a
model, the scan of the model's answers and the refusal of answers (`--data`, data files, MCP)
all use these patterns, so what one of them knows, all know.

Keys and tokens with a recognisable shape (AWS, GitHub, Slack, OpenAI, private keys) match by
shape. Passwords and generic tokens match by their name (`password: X`, `password is X`,
`DB_PASSWORD=X`, `api_key = "X"`, `Authorization: Bearer X`), and the value must look like a
secret: not a reference (`${{ secrets.X }}`, `var.db_password`, `self.token()`), not a single
lowercase word (`the password is rotated`), not a placeholder. Each finding spans the secret
itself, which `redact` replaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

REDACTED: Final = "[redacted secret]"

_NAMED_SEPARATOR = r"""["']?\s*(?:[:=]|:=|=>|\bis\b|\bwas\b)\s*["']?"""

PATTERNS: Final[dict[str, re.Pattern[str]]] = {
    "AWS access key id": re.compile(
        r"(?<![A-Z0-9])(?P<secret>(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})(?![A-Z0-9])"
    ),
    "AWS secret access key": re.compile(
        r"(?i)(?<![a-z0-9])(?:aws_?)?secret_?(?:access_?)?key"
        + _NAMED_SEPARATOR
        + r"(?P<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"
    ),
    "private key": re.compile(
        r"(?P<secret>-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
        r"(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|[\s\S]*))"
    ),
    "GitHub token": re.compile(
        r"(?<![A-Za-z0-9])(?P<secret>(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}"
        r"|github_pat_[A-Za-z0-9_]{82})(?![A-Za-z0-9])"
    ),
    "Slack token": re.compile(r"(?<![A-Za-z0-9])(?P<secret>xox[abprs]-[A-Za-z0-9-]{10,})"),
    "OpenAI API key": re.compile(
        r"(?<![A-Za-z0-9])(?P<secret>sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,})"
    ),
    "password": re.compile(
        r"(?i)(?<![a-z])(?:[a-z0-9]+_?)?(?:password|passwd|passphrase|pwd)"
        + _NAMED_SEPARATOR
        + r"""(?P<secret>[^\s"'`,;]{4,})"""
    ),
    "API key or token": re.compile(
        r"(?i)(?<![a-z:/])(?:[a-z0-9]+_)?(?:api_?key|apikey|access_?token|auth_?token|"
        r"client_?secret|private_?token|secret|token)"
        + r"""["']?\s*(?:[:=]|:=|=>|\bis\b)\s*["']?"""
        + r"(?P<secret>[A-Za-z0-9_\-./+=]{20,})"
    ),
    "bearer token": re.compile(r"(?i)(?<![a-z])bearer\s+(?P<secret>[A-Za-z0-9_\-./+=~]{20,})"),
}

_REFERENCE = re.compile(
    r"""^(?:[$%{<(\[*@&]|\\)  # ${VAR}, {{ x }}, <placeholder>, %s, (...), [...], *****
    |^[a-z_][a-z0-9_]*(?:\.[A-Za-z_][\w-]*)+(?:\(|\[|$)  # var.db_password, self.token(), a.b
    |^[A-Za-z_]\w*\(  # get_password(
    """,
    re.X,
)
_PLACEHOLDERS = frozenset(
    {"changeme", "change-me", "password", "passw0rd", "secret", "example", "redacted", "none",
     "null", "true", "false", "required", "optional", "xxxxxx", "yourpassword", "notused"}
)  # fmt: skip
_NAMED_KINDS = frozenset({"password", "API key or token", "bearer token"})


def _plausible(kind: str, value: str) -> bool:
    """Whether a value found by its name (password, token) looks like a real secret."""
    if _REFERENCE.search(value) or value.strip(".").lower() in _PLACEHOLDERS:
        return False
    if set(value) <= {"x", "X", "*", "."}:
        return False
    if kind == "password":  # not one plain lowercase word ("the password is rotated")
        return not re.fullmatch(r"[a-z]+", value)
    if kind == "bearer token":  # not a word: mixed case, or digits
        return bool(re.search(r"[0-9]", value) or re.search(r"[a-z].*[A-Z]|[A-Z].*[a-z]", value))
    # a token: letters and digits mixed, not an environment variable's NAME
    return bool(re.search(r"[0-9]", value) and re.search(r"[A-Za-z]", value)) and not (
        re.fullmatch(r"[A-Z0-9_]+", value)
    )


@dataclass(frozen=True)
class Finding:
    """A secret in a text: its kind and where the secret itself is."""

    kind: str
    start: int
    end: int


_TYPE_NAME = re.compile(r"[A-Za-z_][\w.]*(?:\[[\w., |\[\]]*\])?")
_ASSIGNED = re.compile(r"\s*(?:\|\s*[\w.]+\s*)*=(?!=)")


def _annotation(value: str, after: str) -> bool:
    """Whether `value` is a type in a declaration (`db_password: SecretStr = SecretStr("")`),
    not a value: a type name followed by ` = ...`."""
    return bool(_TYPE_NAME.fullmatch(value) and _ASSIGNED.match(after))


def find(text: str) -> list[Finding]:
    """Every secret in `text`, in order (overlaps merged into the first kind found)."""
    found: list[Finding] = []
    for kind, pattern in PATTERNS.items():
        for match in pattern.finditer(text):
            start, end = match.span("secret")
            if kind in _NAMED_KINDS and not _plausible(kind, match.group("secret")):
                continue
            if kind in _NAMED_KINDS and _annotation(match.group("secret"), text[end:]):
                continue
            if any(f.start < end and start < f.end for f in found):
                continue
            found.append(Finding(kind, start, end))
    return sorted(found, key=lambda f: f.start)


def kinds(text: str) -> list[str]:
    """The kinds of secret in `text` (empty when clean), each once, in PATTERNS order."""
    seen = {f.kind for f in find(text)}
    return [kind for kind in PATTERNS if kind in seen]


def redact(text: str, replacement: str = REDACTED) -> str:
    """`text` with every secret replaced."""
    for finding in reversed(find(text)):
        text = text[: finding.start] + replacement + text[finding.end :]
    return text


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string below `value` with where it is (iterative: any depth, any cycle)."""
    stack, seen = [(path, value)], set()
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, dict | list | tuple) and id(item) not in seen:
            seen.add(id(item))
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in reversed(list(pairs)):
                if isinstance(item, dict):
                    stack.append((f"{where}.{key}" if where else str(key), child))
                else:
                    stack.append((f"{where}[{key}]", child))


def in_values(values: Any, path: str = "") -> list[tuple[str, list[str]]]:
    """(where, kinds) for every string below `values` (answers: dicts, lists) that holds a
    secret."""
    return [(where, found) for where, text in _strings(values, path) if (found := kinds(text))]

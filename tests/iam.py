"""IAM policy evaluation for tests: may this principal do this action on this resource?

Implements the parts of the IAM evaluation logic the generated policies use: Allow and Deny
statements (an explicit Deny wins, no Allow means denied), Action / NotAction and Resource /
NotResource with `*` and `?` wildcards (actions case-insensitive), Principal for resource
policies, and the condition operators String(Not)Equals, String(Not)Like, Arn(Not)Equals,
Arn(Not)Like, Bool and Null, with `...IfExists`. A condition key missing from the request
makes a positive operator false and a negated one true, as IAM documents; several keys or
operators in one statement must all hold, several values of one key are ORed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


def _listed(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _wildcard(pattern: str, value: str, case: bool = True) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, 0 if case else re.IGNORECASE) is not None


@dataclass(frozen=True)
class Request:
    """One API call: who, what, on which resource, with which request context."""

    action: str
    resource: str = "*"
    context: Mapping[str, str | list[str]] = field(default_factory=dict)
    principal: str = ""


def _condition_holds(
    operator: str, key: str, wanted: list[str], context: Mapping[str, Any]
) -> bool:
    if_exists = operator.endswith("IfExists")
    base = operator.removesuffix("IfExists")
    present = key in context
    if base == "Null":
        return (not present) == (str(wanted[0]).lower() == "true")
    if not present:
        return if_exists or base.startswith(("StringNot", "ArnNot"))
    values = [str(v) for v in _listed(context[key])]
    negated = "Not" in base
    kind = base.replace("Not", "")
    if kind in ("StringEquals", "ArnEquals"):
        hit = any(v == w for v in values for w in wanted)
    elif kind in ("StringLike", "ArnLike"):
        hit = any(_wildcard(w, v) for v in values for w in wanted)
    elif kind == "Bool":
        hit = any(v.lower() == str(w).lower() for v in values for w in wanted)
    else:
        raise ValueError(f"condition operator {operator} is not supported by this evaluator")
    return not hit if negated else hit


def _matches(statement: Mapping[str, Any], request: Request) -> bool:
    if "Action" in statement:
        if not any(_wildcard(a, request.action, False) for a in _listed(statement["Action"])):
            return False
    elif any(_wildcard(a, request.action, False) for a in _listed(statement["NotAction"])):
        return False
    if "Resource" in statement:
        if not any(_wildcard(r, request.resource) for r in _listed(statement["Resource"])):
            return False
    elif "NotResource" in statement and any(
        _wildcard(r, request.resource) for r in _listed(statement["NotResource"])
    ):
        return False
    if "Principal" in statement and request.principal:
        principal = statement["Principal"]
        names = (
            ["*"]
            if principal == "*"
            else [p for values in principal.values() for p in _listed(values)]
        )
        if not any(_wildcard(p, request.principal) for p in names):
            return False
    for operator, keys in statement.get("Condition", {}).items():
        for key, wanted in keys.items():
            if not _condition_holds(
                operator, key, [str(w) for w in _listed(wanted)], request.context
            ):
                return False
    return True


def decide(policies: Iterable[Mapping[str, Any]], request: Request) -> str:
    """ "Allow", "Deny" (explicit) or "ImplicitDeny" for `request` under the combined policies."""
    allowed = False
    for policy in policies:
        for statement in _listed(policy.get("Statement", [])):
            if not _matches(statement, request):
                continue
            if statement.get("Effect") == "Deny":
                return "Deny"
            allowed = True
    return "Allow" if allowed else "ImplicitDeny"


def allows(policies: Iterable[Mapping[str, Any]], request: Request) -> bool:
    """True when the policies allow `request`."""
    return decide(list(policies), request) == "Allow"

"""The second plan after a rehearsed deploy: every difference must be one moto is known for.

Against AWS a plan right after an apply shows no changes. moto leaves out some attributes or
answers them differently, so the rehearsal's second plan is never empty: `ALLOWED` lists each
such difference, by resource type and attribute, with the reason. Any other difference fails
the rehearsal: it is drift the real deploy would show too (a perpetual diff in the modules, or
a value Terraform cannot keep).

`unknown_only` entries allow an attribute only when its new value is unknown until apply (a
policy document read again because something it refers to drifts), never a known new value.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict


class Allowed(BaseModel):
    """One difference moto is known for."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    resource_type: str
    attribute: str
    reason: str
    unknown_only: bool = False


class Drift(BaseModel):
    """One attribute of one resource the second plan would change."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    address: str
    attribute: str
    reason: str = ""


class DriftReport(BaseModel):
    """The second plan, sorted into allowed differences and the rest."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    allowed: list[Drift]
    unexpected: list[Drift]


_TAGS = "moto's Backup API does not return the tags it was given"
_SG_RULE = "moto drops the description of a security group rule that references a group"
_DEFERRED = "read again at apply (it refers to a resource whose drift above is allowed)"

ALLOWED: tuple[Allowed, ...] = (
    Allowed(
        resource_type="aws_kms_key",
        attribute="rotation_period_in_days",
        reason="moto does not keep the key rotation period (reads 0)",
    ),
    Allowed(resource_type="aws_backup_plan", attribute="tags", reason=_TAGS),
    Allowed(resource_type="aws_backup_plan", attribute="tags_all", reason=_TAGS),
    Allowed(resource_type="aws_backup_vault", attribute="tags", reason=_TAGS),
    Allowed(resource_type="aws_backup_vault", attribute="tags_all", reason=_TAGS),
    *(
        Allowed(
            resource_type="aws_db_instance",
            attribute=attribute,
            reason="moto does not keep Performance Insights settings",
        )
        for attribute in (
            "performance_insights_enabled",
            "performance_insights_kms_key_id",
            "performance_insights_retention_period",
        )
    ),
    Allowed(
        resource_type="aws_db_parameter_group",
        attribute="parameter",
        reason="moto does not return the parameters a group was given",
    ),
    Allowed(
        resource_type="aws_vpc_security_group_ingress_rule",
        attribute="description",
        reason=_SG_RULE,
    ),
    Allowed(
        resource_type="aws_vpc_security_group_egress_rule", attribute="description", reason=_SG_RULE
    ),
    *(
        Allowed(
            resource_type="aws_ecs_service",
            attribute=attribute,
            reason="moto does not keep this ECS service setting",
        )
        for attribute in (
            "availability_zone_rebalancing",
            "enable_ecs_managed_tags",
            "health_check_grace_period_seconds",
        )
    ),
    *(
        Allowed(
            resource_type="aws_lambda_function",
            attribute=attribute,
            reason="moto does not return this Lambda function setting",
        )
        for attribute in ("dead_letter_config", "image_config", "logging_config")
    ),
    Allowed(
        resource_type="aws_iam_role_policy", attribute="policy", reason=_DEFERRED, unknown_only=True
    ),
    Allowed(
        resource_type="aws_sqs_queue_policy",
        attribute="policy",
        reason=_DEFERRED,
        unknown_only=True,
    ),
    Allowed(
        resource_type="aws_sns_topic_policy",
        attribute="policy",
        reason=_DEFERRED,
        unknown_only=True,
    ),
)

_SAME_JSON = "the same JSON document, serialised differently by moto"


def _same_json(before: Any, after: Any) -> bool:
    if not (isinstance(before, str) and isinstance(after, str)):
        return False
    try:
        return bool(json.loads(before) == json.loads(after))
    except ValueError:
        return False


def _changed(change: dict[str, Any]) -> list[tuple[str, bool, Any, Any]]:
    """(attribute, unknown after apply, before, after) of each changed top-level attribute."""
    before = change.get("before") or {}
    after = change.get("after") or {}
    unknown = change.get("after_unknown") or {}
    names = sorted(set(before) | set(after) | {k for k, v in unknown.items() if v})
    return [
        (name, bool(unknown.get(name)), before.get(name), after.get(name))
        for name in names
        if unknown.get(name) or before.get(name) != after.get(name)
    ]


def classify(plan: dict[str, Any], allowed: tuple[Allowed, ...] = ALLOWED) -> DriftReport:
    """Sort the changes of a plan (`terraform show -json`) into allowed and unexpected."""
    rules = {(a.resource_type, a.attribute): a for a in allowed}
    ok: list[Drift] = []
    bad: list[Drift] = []
    for resource in plan.get("resource_changes", []):
        actions = resource["change"]["actions"]
        if resource.get("mode") == "data" or actions in (["no-op"], ["read"]):
            continue
        address = resource["address"]
        if actions != ["update"]:
            bad.append(Drift(address=address, attribute="*", reason="/".join(actions)))
            continue
        for name, unknown, before, after in _changed(resource["change"]):
            rule = rules.get((resource["type"], name))
            if rule is not None and (unknown or not rule.unknown_only):
                ok.append(Drift(address=address, attribute=name, reason=rule.reason))
            elif not unknown and _same_json(before, after):
                ok.append(Drift(address=address, attribute=name, reason=_SAME_JSON))
            else:
                detail = "known after apply" if unknown else f"{before!r} -> {after!r}"
                bad.append(Drift(address=address, attribute=name, reason=detail[:300]))
    return DriftReport(allowed=ok, unexpected=bad)

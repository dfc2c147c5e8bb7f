"""The answers in groups: how `scaffold new` asks them and how the Backstage form pages them."""

from __future__ import annotations

from typing import Final

from generator.spec.models import ServiceSpec

# These fields first, in this order; a type's own fields form a group of their own.
SERVICE_FIELDS: Final = ("description", "owner_team", "github_org", "system")
OPERATIONS_FIELDS: Final = (
    "aws_region",
    "environments",
    "vpc_cidrs",
    "cost_center",
    "multi_tenant",
    "tags",
    "slo_availability",
    "monthly_budget_usd",
    "rto_minutes",
    "rpo_minutes",
    "backup_copy_region",
)
SERVICE_TITLE: Final = "Service"
OPERATIONS_TITLE: Final = "AWS and operations"


def own_title(model: type[ServiceSpec]) -> str:
    """The title of a type's own group: "Web service settings"."""
    return f"{model.service_type.replace('-', ' ').capitalize()} settings"


def grouped(model: type[ServiceSpec], fields: list[str]) -> list[tuple[str, list[str]]]:
    """`fields` (in their order) under the group titles; empty groups are left out."""
    shared = (*SERVICE_FIELDS, *OPERATIONS_FIELDS)
    groups: list[tuple[str, list[str]]] = [
        (SERVICE_TITLE, [f for f in SERVICE_FIELDS if f in fields]),
        (OPERATIONS_TITLE, [f for f in OPERATIONS_FIELDS if f in fields]),
        (own_title(model), [f for f in fields if f not in shared]),
    ]
    return [(title, members) for title, members in groups if members]

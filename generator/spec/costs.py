"""What a stack costs while idle, per environment, and the budget that leaves room above it.

The idle floor is what the resources of an environment cost before any request, run or message:
NAT gateways and their public IPv4 addresses, the load balancer, the WAF web ACL, the minimum
number of Fargate tasks, the database, keys, the dashboard and alarms. Usage (data processed,
requests, log ingestion, Lambda and batch run time, storage growth) comes on top. The default
budget is twice the floor, rounded up to 10 USD: the 80 % forecast alert then fires only once
usage reaches 60 % of the floor, not on day one.

Prices are AWS list prices in USD for us-east-1 (730 hours a month); most regions cost up to
about a third more, which the headroom absorbs. `budgets_jinja()` is the same computation for
Copier (copier.yml's derived `budgets`); a test keeps the two in step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final

HOURS: Final = 730
#: USD per hour unless the name says otherwise.
PRICES: Final = {
    "nat_gateway": 0.045,
    "public_ipv4": 0.005,
    "alb": 0.0225,
    "fargate_vcpu": 0.04048,
    "fargate_gb": 0.004445,
    "rds_db.t4g.small": 0.032,
    "rds_db.t4g.medium": 0.065,
    "gp3_gb_month": 0.115,
    "waf_acl_month": 5.0,
    "waf_rule_month": 1.0,
    "kms_key_month": 1.0,
    "dashboard_month": 3.0,
    "alarm_metric_month": 0.10,
    "composite_alarm_month": 0.50,
    "secret_month": 0.40,
    "container_insights_month": 3.0,
}
WAF_RULES: Final = 5
DB_STORAGE_GB: Final = 20
HEADROOM: Final = 2
FORECAST_ALERT: Final = 0.8


@dataclass(frozen=True)
class Sizing:
    """What an environment runs (as the environment roots size it)."""

    az_count: int
    nat_gateways: int
    min_tasks: int
    db_instance_class: str
    db_multi_az: bool


def sizing(spec: Any, env: str) -> Sizing:
    """The environment's sizing: prod has 3 AZs and a NAT per AZ, others 2 AZs and one NAT."""
    prod = env == "prod"
    return Sizing(
        az_count=3 if prod else 2,
        nat_gateways=3 if prod else 1,
        min_tasks=getattr(spec, "min_tasks", 2) if prod else 2,
        db_instance_class="db.t4g.medium" if prod else "db.t4g.small",
        db_multi_az=env != "dev",
    )


def idle_items(spec: Any, env: str) -> dict[str, float]:
    """The environment's idle cost per item, in USD a month."""
    from generator.spec.registry import resolve_type

    size = sizing(spec, env)
    p = PRICES
    can = resolve_type(spec.service_type).capabilities
    items = {
        "NAT gateways": size.nat_gateways * (p["nat_gateway"] + p["public_ipv4"]) * HOURS,
        "KMS keys": p["kms_key_month"] * (2 if getattr(spec, "backup_copy_region", "") else 1),
        "dashboard and alarms": p["dashboard_month"]
        + can.alarm_metrics * p["alarm_metric_month"]
        + can.composite_alarms * p["composite_alarm_month"],
    }
    if can.runtime in ("ecs-service", "ecs-task"):
        items["Container Insights"] = p["container_insights_month"]
    if can.load_balancer:
        public_ips = size.az_count if getattr(spec, "internet_facing", False) else 0
        items["load balancer"] = (p["alb"] + public_ips * p["public_ipv4"]) * HOURS
        items["WAF"] = p["waf_acl_month"] + WAF_RULES * p["waf_rule_month"]
    if can.runtime == "ecs-service":
        task = spec.cpu / 1024 * p["fargate_vcpu"] + spec.memory_mb / 1024 * p["fargate_gb"]
        items["Fargate tasks"] = size.min_tasks * task * HOURS
    if getattr(spec, "database", "none") == "postgres":
        copies = 2 if size.db_multi_az else 1
        items["database"] = (
            copies
            * (p[f"rds_{size.db_instance_class}"] * HOURS + DB_STORAGE_GB * p["gp3_gb_month"])
            + p["secret_month"]
        )
    return items


def idle_floor(spec: Any, env: str) -> float:
    """The environment's idle cost in USD a month."""
    return sum(idle_items(spec, env).values())


def default_budget(spec: Any, env: str) -> int:
    """Twice the idle floor, rounded up to 10 USD."""
    return int(math.ceil(HEADROOM * idle_floor(spec, env) / 10) * 10)


def minimum_budget(spec: Any, env: str) -> int:
    """The smallest budget whose 80 % forecast alert does not fire on the idle floor alone."""
    return math.floor(idle_floor(spec, env) / FORECAST_ALERT) + 1


def budgets(spec: Any) -> dict[str, int]:
    """Each environment's monthly budget: the last one's (prod) from the spec when given."""
    given = getattr(spec, "monthly_budget_usd", 0)
    last = spec.environments[-1]
    return {
        env: given if (env == last and given) else default_budget(spec, env)
        for env in spec.environments
    }


def budgets_jinja() -> str:
    """The same computation as `budgets`, as a Jinja expression over the answers (copier.yml)."""
    p = PRICES
    nat = (p["nat_gateway"] + p["public_ipv4"]) * HOURS
    parts = [
        "{%- set ns = namespace(out=[]) -%}",
        "{%- for env in environments -%}",
        "{%- set prod = env == 'prod' -%}",
        "{%- set az = 3 if prod else 2 -%}",
        f"{{%- set f = (3 if prod else 1) * {nat!r} -%}}",
        "{%- set keys = 2 if backup_copy_region | default('') else 1 -%}",
        f"{{%- set f = f + {p['kms_key_month']!r} * keys -%}}",
        f"{{%- set f = f + {p['dashboard_month']!r} + capabilities.alarm_metrics * "
        f"{p['alarm_metric_month']!r} + capabilities.composite_alarms * "
        f"{p['composite_alarm_month']!r} -%}}",
        "{%- if capabilities.runtime in ['ecs-service', 'ecs-task'] -%}",
        f"{{%- set f = f + {p['container_insights_month']!r} -%}}",
        "{%- endif -%}",
        "{%- if capabilities.load_balancer -%}",
        f"{{%- set f = f + ({p['alb']!r} + (az if internet_facing else 0) * "
        f"{p['public_ipv4']!r}) * {HOURS} -%}}",
        f"{{%- set f = f + {p['waf_acl_month']!r} + {WAF_RULES} * {p['waf_rule_month']!r} -%}}",
        "{%- endif -%}",
        "{%- if capabilities.runtime == 'ecs-service' -%}",
        "{%- set tasks = min_tasks if prod else 2 -%}",
        f"{{%- set f = f + tasks * (cpu / 1024 * {p['fargate_vcpu']!r} + memory_mb / 1024 * "
        f"{p['fargate_gb']!r}) * {HOURS} -%}}",
        "{%- endif -%}",
        "{%- if (database | default('none')) == 'postgres' -%}",
        f"{{%- set hourly = {p['rds_db.t4g.medium']!r} if prod else {p['rds_db.t4g.small']!r} -%}}",
        f"{{%- set f = f + (1 if env == 'dev' else 2) * (hourly * {HOURS} + {DB_STORAGE_GB} * "
        f"{p['gp3_gb_month']!r}) + {p['secret_month']!r} -%}}",
        "{%- endif -%}",
        f"{{%- set default = ((({HEADROOM} * f) / 10) | round(0, 'ceil') * 10) | int -%}}",
        "{%- set last = env == environments[-1] -%}",
        "{%- set chosen = monthly_budget_usd if (last and monthly_budget_usd) else default -%}",
        "{%- set ns.out = ns.out + [(env, chosen)] -%}",
        "{%- endfor -%}",
        "{{ dict(ns.out) | tojson }}",
    ]
    return "".join(parts)

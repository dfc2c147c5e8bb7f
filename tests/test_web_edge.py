"""The web service's edge, as planned: who reaches the load balancer, and what WAF blocks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import generate, make_spec
from generator.infra import hcl
from tests.tfplan import Plan, plan

REPO = Path(__file__).resolve().parent.parent
MODULES = REPO / "terraform" / "modules"
CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-0000000000"
KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
WEB = {
    "name": "pricing-api",
    "environment": "prod",
    "vpc_id": "vpc-0123456789abcdef0",
    "vpc_cidr_block": "10.20.0.0/16",
    "public_subnet_ids": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
    "private_subnet_ids": ["subnet-0123456789abcdef2", "subnet-0123456789abcdef3"],
    "certificate_arn": CERTIFICATE,
    "kms_key_arn": KEY,
    "image_tag": "3f9c2e1",
}


def web_service(**variables: object) -> Plan:
    return plan(MODULES / "web-service", tree=MODULES, variables={**WEB, **variables})


def overrides(planned: Plan) -> dict[str, set[tuple[str, str]]]:
    """Rule group -> {(rule, action)} of its rule_action_override blocks."""
    (acl,) = planned.of_type("aws_wafv2_web_acl").values()
    found: dict[str, set[tuple[str, str]]] = {}
    for rule in acl["rule"]:
        group: dict[str, Any] = rule["statement"][0]["managed_rule_group_statement"]
        if not group:
            continue
        actions = found.setdefault(group[0]["name"], set())
        for override in group[0]["rule_action_override"]:
            (action,) = [k for k, v in override["action_to_use"][0].items() if v]
            actions.add((override["name"], action))
    return found


@pytest.fixture(scope="module")
def default_web() -> Plan:
    return web_service()


# --- item 9: WAF rules that would block legitimate API clients ---------------------------


def test_the_rules_that_block_api_clients_only_count_by_default(default_web: Plan) -> None:
    found = overrides(default_web)
    assert found["AWSManagedRulesAnonymousIpList"] == {("HostingProviderIPList", "count")}
    assert found["AWSManagedRulesCommonRuleSet"] == {("SizeRestrictions_BODY", "count")}
    assert found["AWSManagedRulesKnownBadInputsRuleSet"] == set()


def test_strict_waf_blocks_with_every_rule() -> None:
    strict = web_service(waf_common_rule_set_count_rules=[], waf_anonymous_ip_list_count_rules=[])
    assert all(actions == set() for actions in overrides(strict).values())


def test_the_spec_switch_reaches_the_module(tmp_path: Path) -> None:
    calls = {}
    for strict in (False, True):
        spec = make_spec("web", "pricing-api", data=[f"waf_strict={str(strict).lower()}"])
        repo = Path(generate(spec, tmp_path / str(strict)).destination)
        service = hcl.load_dir(repo / "infra" / "service")
        calls[strict] = hcl.blocks(service, "module")["web"]
        runbook = (repo / "docs" / "runbook.md").read_text(encoding="utf-8")
        assert "## WAF rules that count" in runbook
        assert f"set `waf_strict: {str(not strict).lower()}`" in runbook
    assert "waf_common_rule_set_count_rules" not in calls[False]  # the module's default: count
    assert calls[True]["waf_common_rule_set_count_rules"] == []
    assert calls[True]["waf_anonymous_ip_list_count_rules"] == []


# --- item 7: the internal load balancer admits its callers, from a VPC that can be peered ----


def ingress(planned: Plan) -> set[tuple[int, str]]:
    rules = planned.of_type("aws_vpc_security_group_ingress_rule")
    return {(r["from_port"], r["cidr_ipv4"]) for a, r in rules.items() if ".alb[" in a}


def test_an_internal_load_balancer_admits_exactly_its_callers() -> None:
    callers = ["10.40.0.0/16", "192.168.8.0/22"]
    internal = web_service(internet_facing=False, allowed_cidr_blocks=callers)
    assert ingress(internal) == {(port, c) for port in (80, 443) for c in callers}


def test_the_spec_requires_the_callers_of_an_internal_service() -> None:
    from generator.errors import InvalidAnswersError

    with pytest.raises(InvalidAnswersError, match="needs the ranges of its callers"):
        make_spec("web", "pricing-api", data=["internet_facing=false"])
    with pytest.raises(InvalidAnswersError, match="private routes only"):
        make_spec(
            "web", "pricing-api", data=["internet_facing=false", "allowed_cidrs=[8.8.8.0/24]"]
        )


def test_the_generated_stack_passes_the_vpc_range_and_the_callers(tmp_path: Path) -> None:
    spec = make_spec(
        "web",
        "pricing-api",
        data=[
            "internet_facing=false",
            "allowed_cidrs=[10.40.0.0/16]",
            "vpc_cidrs={dev: 10.50.0.0/20, staging: 10.50.16.0/20, prod: 10.50.32.0/20}",
        ],
    )
    infra = Path(generate(spec, tmp_path / "svc").destination) / "infra"
    for env, cidr in {
        "dev": "10.50.0.0/20",
        "staging": "10.50.16.0/20",
        "prod": "10.50.32.0/20",
    }.items():
        call = hcl.blocks(hcl.load_dir(infra / "envs" / env), "module")["service"]
        assert call["vpc_cidr"] == cidr
    service = hcl.load_dir(infra / "service")
    modules = hcl.blocks(service, "module")
    assert modules["network"]["cidr_block"] == "${var.vpc_cidr}"
    assert modules["web"]["allowed_cidr_blocks"] in (["10.40.0.0/16"], "10.40.0.0/16")


def test_the_smallest_vpc_range_still_holds_every_subnet() -> None:
    planned = plan(
        MODULES / "network",
        tree=MODULES,
        variables={"name": "pricing-api", "environment": "prod", "cidr_block": "10.50.32.0/20",
                   "az_count": 3, "kms_key_arn": KEY},
    )  # fmt: skip
    import ipaddress

    vpc = ipaddress.ip_network("10.50.32.0/20")
    subnets = [
        ipaddress.ip_network(s["cidr_block"]) for s in planned.of_type("aws_subnet").values()
    ]
    assert len(subnets) == 9 and all(s.subnet_of(vpc) for s in subnets)
    assert all(not a.overlaps(b) for i, a in enumerate(subnets) for b in subnets[i + 1 :])

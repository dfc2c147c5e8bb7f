"""Generated infra/: the platform's promises, asserted on parsed HCL, over the variant matrix.

Every variant (type x options that change resources) is generated once per test session; each
environment root is checked, and checkov runs once over all of them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from generator import generate, make_spec
from generator.infra import hcl
from generator.infra.checkov_scan import scan
from generator.infra.terraform import check_variables, unformatted, validate
from generator.spec.registry import terraform_modules

REPO = Path(__file__).resolve().parent.parent
VARIANTS: dict[str, tuple[str, list[str]]] = {
    "web-db-public": ("web", ["database=postgres"]),
    "web-nodb-public": ("web", []),
    "web-db-internal": (
        "web",
        ["database=postgres", "internet_facing=false", "allowed_cidrs=[10.40.0.0/16]"],
    ),
    "web-nodb-internal": (
        "web",
        ["internet_facing=false", "multi_tenant=true", "allowed_cidrs=[192.168.8.0/22]"],
    ),
    "batch-cron": ("batch", []),
    "batch-rate": ("batch", ["schedule=rate(15 minutes)", "tags={team: data}"]),
    "event-sqs": ("event", []),
    "event-sns": ("event", ["source=sns"]),
    "event-eventbridge": ("event", ["source=eventbridge", "function_timeout_seconds=120"]),
}
# AWS requires "*" as the resource for these actions (no resource-level permissions).
STAR_RESOURCE_ACTIONS = {
    "ecr:GetAuthorizationToken", "xray:PutTelemetryRecords", "xray:PutTraceSegments",
    "logs:DescribeLogGroups", "ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition",
    # ECS Exec's session channels (the web module's opt-in break-glass exec)
    "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
}  # fmt: skip


@pytest.fixture(scope="session")
def variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("variants")
    made = {}
    for key, (service_type, data) in VARIANTS.items():
        spec = make_spec(service_type, f"svc-{key}"[:24].rstrip("-"), data=data)
        made[key] = Path(generate(spec, out / key).destination) / "infra"
    return made


def tf_dirs(infra: Path) -> list[Path]:
    return sorted({p.parent for p in infra.rglob("*.tf")})


def all_parsed(infra: Path) -> dict[Path, dict[str, Any]]:
    return {folder: hcl.load_dir(folder) for folder in tf_dirs(infra)}


def module_call(env_dir: Path) -> dict[str, Any]:
    return hcl.blocks(hcl.load_dir(env_dir), "module")["service"]


@pytest.mark.parametrize("key", VARIANTS)
def test_layout_and_formatting(variants: dict[str, Path], key: str) -> None:
    infra = variants[key]
    envs = sorted(p.name for p in (infra / "envs").iterdir())
    assert envs == ["dev", "prod", "staging"]
    vendored = sorted(p.name for p in (infra / "modules").iterdir())
    service_type, data = VARIANTS[key]
    expected = terraform_modules(make_spec(service_type, "x-y-z", data=data))
    assert vendored == sorted(expected)
    for module in vendored:  # vendored byte for byte from the library
        for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf"):
            source = REPO / "terraform" / "modules" / module / name
            assert (infra / "modules" / module / name).read_bytes() == source.read_bytes()
    assert unformatted(infra) == []
    all_parsed(infra)  # every file parses


@pytest.mark.parametrize("key", VARIANTS)
def test_environment_sizing(variants: dict[str, Path], key: str) -> None:
    infra = variants[key]
    prod, dev = module_call(infra / "envs" / "prod"), module_call(infra / "envs" / "dev")
    assert (prod["az_count"], prod["nat_strategy"]) == (3, "one_per_az")
    assert (dev["az_count"], dev["nat_strategy"]) == (2, "single")
    assert prod["deletion_protection"] is True and dev["deletion_protection"] is False
    if "db_multi_az" in prod:
        assert prod["db_multi_az"] is True and prod["db_backup_retention_days"] >= 7
        assert dev["db_multi_az"] is False and dev["db_backup_retention_days"] >= 7
    if "min_tasks" in prod:
        assert prod["min_tasks"] >= 2 and dev["min_tasks"] >= 2


def test_network_module_gives_each_private_subnet_its_own_az_nat(
    variants: dict[str, Path],
) -> None:
    network = hcl.load_dir(variants["web-db-public"] / "modules" / "network")
    resources = hcl.resources(network)
    nat_count = network["locals"][0]["nat_count"]  # one NAT per AZ, one, or none
    assert "'one_per_az': '${var.az_count}'" in nat_count and "'single': 1" in nat_count
    assert resources[("aws_nat_gateway", "this")]["count"] == "${local.nat_count}"
    route = resources[("aws_route", "private_nat")]
    assert route["nat_gateway_id"] == (
        '${aws_nat_gateway.this[var.nat_strategy == "single" ? 0 : count.index].id}'
    )
    subnets = [body for (rtype, _), body in resources.items() if rtype == "aws_subnet"]
    assert len(subnets) == 3 and all(b.get("map_public_ip_on_launch") is False for b in subnets)


@pytest.mark.parametrize("key", VARIANTS)
def test_every_env_tags_every_resource(variants: dict[str, Path], key: str) -> None:
    for env_dir in (variants[key] / "envs").iterdir():
        provider = hcl.load_dir(env_dir)["provider"][0]["aws"]
        tags = provider["default_tags"][0]["tags"][0]
        assert {"service", "owner", "environment", "cost-center"} <= set(tags)
        assert tags["environment"] == env_dir.name
        if "multi_tenant=true" in VARIANTS[key][1]:
            assert tags["tenant"] == "${var.tenant}"


def _locals(parsed: dict[str, Any]) -> dict[str, Any]:
    return {k: v for block in parsed.get("locals", []) for k, v in block.items()}


def _resources(parsed: dict[Path, dict[str, Any]], rtype: str) -> list[tuple[Path, str, Any]]:
    return [
        (folder, name, body)
        for folder, p in parsed.items()
        for (kind, name), body in hcl.resources(p).items()
        if kind == rtype
    ]


@pytest.mark.parametrize("key", VARIANTS)
def test_log_groups_alarms_queues(variants: dict[str, Path], key: str) -> None:
    parsed = all_parsed(variants[key])
    groups = _resources(parsed, "aws_cloudwatch_log_group")
    assert groups
    for folder, name, body in groups:
        assert body.get("retention_in_days") and body.get("kms_key_id"), f"{folder}: {name}"
    alarms = _resources(parsed, "aws_cloudwatch_metric_alarm")
    alarms += _resources(parsed, "aws_cloudwatch_composite_alarm")
    assert alarms
    for folder, _name, body in alarms:
        description = str(body["alarm_description"])
        via_local = re.fullmatch(r"\$\{local\.(\w+)\[each\.key\]\}", description)
        if via_local:  # descriptions built per alarm key in a locals map
            description = str(_locals(parsed[folder])[via_local.group(1)])
        assert re.search(r"Runbook: (\$\{var\.runbook_url\}|%s)#alarm-", description), description
    for folder, name, body in _resources(parsed, "aws_sqs_queue"):
        if "dlq" not in name:
            assert "redrive_policy" in body, f"queue {name} in {folder} has no DLQ"


@pytest.mark.parametrize("key", ["event-sqs", "event-eventbridge"])
def test_visibility_timeout_is_six_times_the_function_timeout(
    variants: dict[str, Path], key: str
) -> None:
    consumer = hcl.blocks(hcl.load_dir(variants[key] / "service"), "module")["consumer"]
    assert consumer["visibility_timeout_seconds"] >= 6 * consumer["function_timeout_seconds"]


# The CI deploy role (terraform apply) and the boundary of the roles it creates grant whole
# services, deliberately (ADR 0005, ADR 0010), only in ci-oidc and only scoped: the deploy role
# to the stack's own resources (by name, by its service and environment tags, creates with those
# tags; tests/test_least_privilege.py evaluates the rendered policy), the boundary to a region.
def _conditions(statement: dict) -> list[dict]:
    conditions = statement.get("condition") or []
    return [conditions] if isinstance(conditions, dict) else conditions


def _condition_keys(statement: dict) -> set[str]:
    return {str(c.get("variable")) for c in _conditions(statement)}


CI_SERVICE_STATEMENTS = {
    ("apply", "StackResourcesByName"): lambda s: s.get("resources") == "${local.named_resources}",
    ("apply", "StackResourcesByTag"): lambda s: {
        "aws:ResourceTag/service", "aws:ResourceTag/environment"
    } <= _condition_keys(s),
    ("apply", "CreateWithStackTags"): lambda s: {
        "aws:RequestTag/service", "aws:RequestTag/environment", "aws:RequestedRegion"
    } <= _condition_keys(s),
    ("apply", "ActionsWithoutResourceLevelPermissions"): lambda s: "aws:RequestedRegion"
    in _condition_keys(s),
    ("apply", "StackBudgets"): lambda s: "budget/${local.prefix}-*" in str(s.get("resources")),
    ("workload_boundary", "StackServicesInRegion"): lambda s: "aws:RequestedRegion"
    in _condition_keys(s),
}  # fmt: skip


def _region_bound_ci_statement(folder: Path, name: str, statement: dict) -> bool:
    scoped = CI_SERVICE_STATEMENTS.get((name, statement.get("sid")))
    return folder.name == "ci-oidc" and scoped is not None and bool(scoped(statement))


@pytest.mark.parametrize("key", VARIANTS)
def test_iam_least_privilege(variants: dict[str, Path], key: str) -> None:
    for folder, parsed in all_parsed(variants[key]).items():
        for block in parsed.get("data", []):
            for name, body in block.get("aws_iam_policy_document", {}).items():
                for statement in body.get("statement", []):
                    if statement.get("effect") == "Deny":
                        continue  # e.g. deny sqs:* without TLS: a wildcard only narrows
                    if _region_bound_ci_statement(folder, name, statement):
                        continue
                    actions = statement.get("actions") or []
                    actions = [actions] if isinstance(actions, str) else actions
                    assert not [a for a in actions if a == "*" or a.endswith(":*")], (
                        f"{folder.name}/{name} grants wildcard actions"
                    )
                    resources = statement.get("resources")
                    if resources == "*" or resources == ["*"]:
                        assert set(actions) <= STAR_RESOURCE_ACTIONS, (
                            f"{folder.name}/{name}: '*' resource for {actions}"
                        )


def test_checkov_passes_every_variant_in_one_run(variants: dict[str, Path]) -> None:
    report = scan(list(variants.values()))
    assert report.passed > 1000
    assert report.failed == [], "\n".join(
        f"{f.check_id} {f.resource} {f.file}" for f in report.failed
    )
    assert all(f.skip_reason for f in report.skipped)


def test_checkov_catches_encryption_removed(variants: dict[str, Path], tmp_path: Path) -> None:
    import shutil

    broken = tmp_path / "infra"
    shutil.copytree(variants["event-sqs"], broken)
    consumer = broken / "modules" / "event-consumer" / "main.tf"
    text = consumer.read_text()
    consumer.write_text(re.sub(r"\n\s*kms_master_key_id\s*=.*", "", text))
    report = scan([broken])
    assert "CKV_AWS_27" in {f.check_id for f in report.failed}


BAD_VARIABLES = [
    ("network", {"name": "Orders", "environment": "dev", "kms_key_arn": "x"}, "name"),
    (
        "network",
        {"name": "orders", "environment": "dev", "kms_key_arn": "x", "nat_strategy": "two"},
        "nat_strategy",
    ),
    (
        "database",
        {
            "name": "orders",
            "environment": "qa",
            "vpc_id": "v",
            "database_subnet_group_name": "g",
            "kms_key_arn": "k",
        },
        "environment",
    ),
    (
        "database",
        {
            "name": "orders",
            "environment": "prod",
            "vpc_id": "v",
            "database_subnet_group_name": "g",
            "kms_key_arn": "k",
            "backup_retention_period": "3",
        },
        "backup_retention_period",
    ),
    (
        "event-consumer",
        {
            "name": "orders",
            "environment": "prod",
            "vpc_id": "v",
            "private_subnet_ids": '["a","b"]',
            "kms_key_arn": "k",
            "image_tag": "t",
            "function_timeout_seconds": "60",
            "visibility_timeout_seconds": "100",
        },
        "visibility_timeout_seconds",
    ),
    (
        "web-service",
        {
            "name": "orders",
            "environment": "prod",
            "vpc_id": "v",
            "vpc_cidr_block": "10.0.0.0/16",
            "private_subnet_ids": '["a","b"]',
            "public_subnet_ids": '["c","d"]',
            "kms_key_arn": "k",
            "image_tag": "t",
            "certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
            "min_tasks": "1",
        },
        "min_tasks",
    ),
]


@pytest.mark.parametrize(
    ("module", "values", "field"), BAD_VARIABLES, ids=lambda v: v if isinstance(v, str) else ""
)
def test_bad_variable_values_fail_validation_with_a_message(
    module: str, values: dict[str, str], field: str
) -> None:
    result = check_variables(REPO / "terraform" / "modules" / module, values)
    assert result.status == "failed"
    assert "Invalid value for variable" in result.detail
    assert field in result.detail


def test_good_variable_values_pass_validation() -> None:
    key = "arn:aws:kms:eu-west-1:123456789012:key/0b4c1f1e-58a3-4d6e-9c1a-2f3e4d5c6b7a"
    result = check_variables(
        REPO / "terraform" / "modules" / "network",
        {"name": "orders-api", "environment": "prod", "kms_key_arn": key},
    )
    assert result.status == "passed", result.detail


SAMPLE_ENVS = sorted((REPO / "samples").glob("*/infra/envs/*"))


@pytest.mark.slow
@pytest.mark.parametrize(
    "env_dir", SAMPLE_ENVS, ids=lambda p: f"{p.parent.parent.parent.name}/{p.name}"
)
def test_terraform_validate_every_sample_environment(env_dir: Path) -> None:
    result = validate(env_dir, tree=env_dir.parent.parent)
    if result.status == "skipped":
        pytest.skip(result.detail)  # reported as skipped, never as passed
    assert result.status == "passed", result.detail

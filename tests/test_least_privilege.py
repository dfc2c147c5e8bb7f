"""No CI job can do more than its job: the rendered trust and deploy policies, evaluated.

The policies come from an offline plan of the ci-oidc module (tests/tfplan.py, the real AWS
provider rendering the documents) and are evaluated by tests/iam.py for concrete requests:
which OIDC subject may assume which role, and what the deploy role of one environment may do to
another environment's resources in the same account.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.iam import Request, allows, decide
from tests.tfplan import ACCOUNT, REGION, Plan, plan

REPO = Path(__file__).resolve().parent.parent
MODULES = REPO / "terraform" / "modules"
# Every service any generated stack lists (web with a database, batch, event).
SERVICES = [
    "application-autoscaling", "backup", "cloudwatch", "dynamodb", "ec2", "ecr", "ecs",
    "elasticloadbalancing", "events", "kms", "lambda", "logs", "rds", "s3", "scheduler", "sns",
    "sqs", "wafv2",
]  # fmt: skip
# Verbs that delete, stop, detach or change what exists.
DESTRUCTIVE = re.compile(
    r":(Delete|Terminate|Remove|Detach|Disassociate|Deregister|Revoke|Disable|Stop|Schedule"
    r"|Modify|Update|Reboot|Restore|Untag|Cancel|Purge|Reset|Replace|Put|Set)",
    re.IGNORECASE,
)
# Destructive actions AWS only authorizes on "*" (no resource-level permissions), each allowed
# in the stack's region only, with why the stack needs it.
UNSCOPED_DESTRUCTIVE = {
    "ecs:DeregisterTaskDefinition": "replacing the task definition on every deploy",
    "logs:DeleteLogDelivery": "the WAF's log delivery to CloudWatch Logs",
    "logs:UpdateLogDelivery": "the WAF's log delivery to CloudWatch Logs",
    "logs:PutResourcePolicy": "the log delivery's resource policy",
}


def ci_oidc(environment: str) -> Plan:
    return plan(
        MODULES / "ci-oidc",
        tree=MODULES,
        variables={
            "name": "orders-api",
            "environment": environment,
            "github_org": "acme",
            "repository": "orders-api",
            "state_bucket": "acme-terraform-state",
            "state_key": f"orders-api/{environment}/terraform.tfstate",
            "terraform_services": SERVICES,
        },
    )


@pytest.fixture(scope="module")
def dev() -> Plan:
    return ci_oidc("dev")


def trust(planned: Plan, role: str) -> dict[str, Any]:
    return planned.policy("aws_iam_role", f".{role}", "assume_role_policy")


def deploy_policies(planned: Plan) -> list[dict[str, Any]]:
    return [planned.policy("aws_iam_policy", ".apply")]


def token(sub: str) -> Request:
    return Request(
        "sts:AssumeRoleWithWebIdentity",
        principal=f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com",
        context={
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": sub,
        },
    )


def subjects(policy: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for statement in policy["Statement"]:
        value = statement["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"]
        found.update([value] if isinstance(value, str) else value)
    return found


# --- item 5: who may assume which role ----------------------------------------------------


def test_the_plan_and_deploy_roles_trust_disjoint_subjects(dev: Plan) -> None:
    plan_subjects, deploy_subjects = subjects(trust(dev, "plan")), subjects(trust(dev, "deploy"))
    assert plan_subjects.isdisjoint(deploy_subjects)
    assert deploy_subjects == {"repo:acme/orders-api:environment:dev"}
    assert plan_subjects == {
        "repo:acme/orders-api:environment:dev-plan",
        "repo:acme/orders-api:ref:refs/heads/main",
    }


@pytest.mark.parametrize(
    ("sub", "plan_role", "deploy_role"),
    [
        ("repo:acme/orders-api:environment:dev-plan", True, False),  # a pull request's plan
        ("repo:acme/orders-api:pull_request", False, False),  # any other pull request job
        ("repo:acme/orders-api:ref:refs/heads/main", True, False),  # the weekly report
        ("repo:acme/orders-api:environment:dev", False, True),  # the deploy job on main
        ("repo:acme/orders-api:environment:prod-plan", False, False),  # another environment
        ("repo:evil/orders-api:environment:dev", False, False),  # another repository
    ],
)
def test_a_token_assumes_only_the_role_of_its_job(
    dev: Plan, sub: str, plan_role: bool, deploy_role: bool
) -> None:
    assert allows([trust(dev, "plan")], token(sub)) is plan_role
    assert allows([trust(dev, "deploy")], token(sub)) is deploy_role


# --- item 6: what the deploy role may change ----------------------------------------------


def test_no_destructive_action_is_granted_on_every_resource(dev: Plan) -> None:
    (policy,) = deploy_policies(dev)
    for statement in policy["Statement"]:
        if statement["Effect"] != "Allow":
            continue
        actions = (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
        resources = statement.get("Resource", [])
        resources = resources if isinstance(resources, list) else [resources]
        destructive = [a for a in actions if a.endswith(":*") or DESTRUCTIVE.search(a)]
        if not destructive:
            continue
        sid = statement.get("Sid")
        if "*" in resources:
            if sid == "CreateWithStackTags":  # creating verbs only, with the stack's tags
                assert not [a for a in actions if DESTRUCTIVE.search(a) and ":Put" not in a]
                continue
            assert set(destructive) <= set(UNSCOPED_DESTRUCTIVE), (sid, destructive)
            continue
        for resource in resources:
            named = (
                "orders-api-dev" in resource
                or ":::acme-terraform-state/orders-api/dev/" in resource
            )
            tags = statement.get("Condition", {}).get("StringEquals", {})
            tagged = tags.get("aws:ResourceTag/service") == "orders-api" and (
                tags.get("aws:ResourceTag/environment") == "dev"
            )
            function_scoped = "lambda:FunctionArn" in statement.get("Condition", {}).get(
                "ArnLike", {}
            )
            assert named or tagged or function_scoped, (sid, resource)


def resource_tags(service: str, environment: str) -> dict[str, str]:
    return {"aws:ResourceTag/service": service, "aws:ResourceTag/environment": environment}


ARN = f"arn:aws:{{}}:{REGION}:{ACCOUNT}"


@pytest.mark.parametrize(
    ("action", "resource", "tags_of"),
    [
        ("rds:DeleteDBInstance", ARN.format("rds") + ":db:orders-api-{env}", "{env}"),
        ("rds:ModifyDBInstance", ARN.format("rds") + ":db:orders-api-{env}", "{env}"),
        ("kms:ScheduleKeyDeletion", ARN.format("kms") + ":key/1234abcd-{env}", "{env}"),
        ("kms:PutKeyPolicy", ARN.format("kms") + ":key/1234abcd-{env}", "{env}"),
        ("ec2:DeleteVpc", ARN.format("ec2") + ":vpc/vpc-0{env}", "{env}"),
        ("s3:DeleteBucket", "arn:aws:s3:::orders-api-{env}-alb-logs-123456789012", "{env}"),
        ("sqs:DeleteQueue", ARN.format("sqs") + ":orders-api-{env}", "{env}"),
        ("logs:DeleteLogGroup", ARN.format("logs") + ":log-group:/ecs/orders-api-{env}", "{env}"),
        (
            "backup:DeleteBackupVault",
            ARN.format("backup") + ":backup-vault:orders-api-{env}",
            "{env}",
        ),
        (
            "dynamodb:DeleteTable",
            ARN.format("dynamodb") + ":table/orders-api-{env}-idempotency",
            "{env}",
        ),
    ],
)
def test_dev_can_change_its_own_resources_but_not_prods(
    dev: Plan, action: str, resource: str, tags_of: str
) -> None:
    policies = deploy_policies(dev)
    for env, expected in (("dev", True), ("prod", False), ("staging", False)):
        request = Request(
            action,
            resource.format(env=env),
            {**resource_tags("orders-api", tags_of.format(env=env)), "aws:RequestedRegion": REGION},
        )
        assert allows(policies, request) is expected, (action, env)


def test_another_services_resources_are_out_of_reach(dev: Plan) -> None:
    policies = deploy_policies(dev)
    for action, resource in (
        ("rds:DeleteDBInstance", ARN.format("rds") + ":db:billing-dev"),
        ("ec2:TerminateInstances", ARN.format("ec2") + ":instance/i-0123"),
        ("kms:ScheduleKeyDeletion", ARN.format("kms") + ":key/9999"),
    ):
        context = {**resource_tags("billing", "dev"), "aws:RequestedRegion": REGION}
        assert not allows(policies, Request(action, resource, context)), action


def test_new_resources_only_with_the_stacks_tags(dev: Plan) -> None:
    policies = deploy_policies(dev)
    create = Request(
        "ec2:CreateVpc",
        ARN.format("ec2") + ":vpc/*",
        {"aws:RequestTag/service": "orders-api", "aws:RequestTag/environment": "dev",
         "aws:RequestedRegion": REGION},
    )  # fmt: skip
    assert allows(policies, create)
    as_prod = Request(
        create.action,
        create.resource,
        {**create.context, "aws:RequestTag/environment": "prod"},
    )
    assert not allows(policies, as_prod)


def test_another_environments_resource_cannot_be_claimed_by_re_tagging(dev: Plan) -> None:
    # With request tags saying dev, tagging prod's VPC would make it dev's to delete.
    retag = Request(
        "ec2:CreateTags",
        ARN.format("ec2") + ":vpc/vpc-0prod",
        {
            **resource_tags("orders-api", "prod"),
            "aws:RequestTag/service": "orders-api",
            "aws:RequestTag/environment": "dev",
            "aws:RequestedRegion": REGION,
        },
    )
    assert decide(deploy_policies(dev), retag) == "Deny"


def test_recovery_points_and_the_vault_lock_stay(dev: Plan) -> None:
    policies = deploy_policies(dev)
    vault = ARN.format("backup") + ":backup-vault:orders-api-dev"
    for action in ("backup:DeleteRecoveryPoint", "backup:DeleteBackupVaultLockConfiguration"):
        context = {**resource_tags("orders-api", "dev"), "aws:RequestedRegion": REGION}
        assert decide(policies, Request(action, vault, context)) == "Deny", action


# --- item 8: producers in other accounts can encrypt what they send -------------------------

PRODUCER = "arn:aws:iam::210987654321:role/payments-producer"


def key_policy(producers: list[str]) -> dict[str, Any]:
    planned = plan(
        MODULES / "kms",
        tree=MODULES,
        variables={
            "name": "payment-events",
            "environment": "prod",
            "producer_principal_arns": producers,
        },
    )
    return planned.policy("aws_kms_key", ".this")


def send_through(service: str, context_key: str, arn: str, action: str) -> Request:
    return Request(
        action,
        f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd",
        {"kms:ViaService": f"{service}.{REGION}.amazonaws.com", context_key: arn},
        principal=PRODUCER,
    )


def test_a_cross_account_producer_can_use_the_key_to_send() -> None:
    policy = key_policy([PRODUCER])
    queue = f"arn:aws:sqs:{REGION}:{ACCOUNT}:payment-events-prod"
    topic = f"arn:aws:sns:{REGION}:{ACCOUNT}:payment-events-prod"
    for action in ("kms:GenerateDataKey", "kms:Decrypt"):
        assert allows(
            [policy], send_through("sqs", "kms:EncryptionContext:aws:sqs:arn", queue, action)
        )
        assert allows(
            [policy], send_through("sns", "kms:EncryptionContext:aws:sns:topicArn", topic, action)
        )
    # ... only through SQS or SNS, only for this service's queues, never to administer the key.
    other_queue = f"arn:aws:sqs:{REGION}:{ACCOUNT}:billing-prod"
    assert not allows(
        [policy],
        send_through(
            "sqs", "kms:EncryptionContext:aws:sqs:arn", other_queue, "kms:GenerateDataKey"
        ),
    )
    assert not allows(
        [policy], Request("kms:Decrypt", "*", {"kms:ViaService": f"s3.{REGION}.amazonaws.com"},
                          principal=PRODUCER)
    )  # fmt: skip
    assert not allows([policy], Request("kms:ScheduleKeyDeletion", "*", principal=PRODUCER))


def test_without_producers_the_key_policy_names_no_other_account() -> None:
    policy = key_policy([])
    assert "210987654321" not in str(policy)
    queue = f"arn:aws:sqs:{REGION}:{ACCOUNT}:payment-events-prod"
    request = send_through("sqs", "kms:EncryptionContext:aws:sqs:arn", queue, "kms:GenerateDataKey")
    assert not allows([policy], request)


def test_the_spec_gives_producers_to_the_queue_and_the_key(tmp_path: Path) -> None:
    from generator import generate, make_spec
    from generator.infra import hcl

    spec = make_spec("event", "payment-events", data=[f'producer_principal_arns=["{PRODUCER}"]'])
    service = Path(generate(spec, tmp_path / "svc").destination) / "infra" / "service"
    parsed = hcl.load_dir(service)
    modules = hcl.blocks(parsed, "module")
    producers = "${local.producer_principal_arns}"
    assert modules["kms"]["producer_principal_arns"] == producers
    assert modules["consumer"]["producer_principal_arns"] == producers
    (local_values,) = [b for b in parsed["locals"] if "producer_principal_arns" in b]
    assert local_values["producer_principal_arns"] in ([PRODUCER], PRODUCER)  # unwrapped

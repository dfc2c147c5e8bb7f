"""A whole generated environment, planned offline: what the modules add up to in one stack.

One prod environment of a web service with a database and a backup copy region, rendered from
the templates now and planned with tests/tfplan.py (the real provider renders every policy).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator import generate, make_spec
from tests.iam import Request, allows
from tests.tfplan import ACCOUNT, Plan, plan

CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-0000000000"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = make_spec(
        "web",
        "orders-api",
        data=["database=postgres", "backup_copy_region=eu-central-1",
              "vpc_cidrs={prod: 10.60.0.0/16}"],
    )  # fmt: skip
    return Path(generate(spec, tmp_path_factory.mktemp("stack") / "orders-api").destination)


@pytest.fixture(scope="module")
def prod(repo: Path) -> Plan:
    infra = repo / "infra"
    return plan(
        infra / "envs" / "prod",
        tree=infra,
        variables={"image_tag": "3f9c2e1", "certificate_arn": CERTIFICATE},
    )


def inline_policies(planned: Plan, role_suffix: str) -> list[dict[str, Any]]:
    return [
        json.loads(p["policy"])
        for address, p in planned.of_type("aws_iam_role_policy").items()
        if role_suffix in address
    ]


# --- item 10: the service logs in to a restored database -----------------------------------


def test_the_app_may_connect_to_a_restored_instance_as_its_user(prod: Plan) -> None:
    policies = inline_policies(prod, "module.web.aws_iam_role_policy.task")
    assert policies, "the task role has its database policy"
    restored = f"arn:aws:rds-db:eu-west-1:{ACCOUNT}:dbuser:db-RESTOREDABCDEFGHIJKLMNOP/orders_api"
    assert allows(policies, Request("rds-db:connect", restored))
    master = f"arn:aws:rds-db:eu-west-1:{ACCOUNT}:dbuser:db-RESTOREDABCDEFGHIJKLMNOP/dbadmin"
    assert not allows(policies, Request("rds-db:connect", master))
    other_region = f"arn:aws:rds-db:us-east-1:{ACCOUNT}:dbuser:db-X/orders_api"
    assert not allows(policies, Request("rds-db:connect", other_region))


def test_the_restore_procedure_re_points_terraform_before_the_next_deploy(repo: Path) -> None:
    dr = (repo / "docs" / "dr.md").read_text(encoding="utf-8")
    steps = [
        "--enable-iam-database-authentication",
        "--new-db-instance-identifier",
        "terraform state rm module.service.module.database.aws_db_instance.this",
        'terraform import module.service.module.database.aws_db_instance.this "$SERVICE"',
    ]
    positions = [dr.index(step) for step in steps]
    assert positions == sorted(positions)


# --- item 11: backups outside the region, locked in prod -----------------------------------


def test_every_recovery_point_is_copied_to_a_locked_vault_in_another_region(prod: Plan) -> None:
    (backup_plan,) = prod.of_type("aws_backup_plan").values()
    for rule in backup_plan["rule"]:
        (copy,) = rule["copy_action"]
        assert copy["lifecycle"][0]["delete_after"] == rule["lifecycle"][0]["delete_after"]
    vaults = prod.of_type("aws_backup_vault")
    assert {v["name"] for v in vaults.values()} == {"orders-api-prod", "orders-api-prod-copy"}
    locks = prod.of_type("aws_backup_vault_lock_configuration")
    assert len(locks) == 2 and all(lock["min_retention_days"] == 7 for lock in locks.values())
    keys = prod.of_type("aws_kms_key")
    assert len(keys) == 2, "the copy vault has its own key"
    copy_vault = [a for a in vaults if "backup_copy_vault" in a]
    assert copy_vault and prod.changes[copy_vault[0]]["provider_name"].endswith("hashicorp/aws")


def test_the_deploy_role_may_manage_the_copy_vault_in_its_region(prod: Plan) -> None:
    (apply,) = [json.loads(p["policy"]) for a, p in prod.of_type("aws_iam_policy").items()
                if a.endswith("ci_oidc.aws_iam_policy.apply")]  # fmt: skip
    vault = f"arn:aws:backup:eu-central-1:{ACCOUNT}:backup-vault:orders-api-prod-copy"
    assert allows([apply], Request("backup:PutBackupVaultAccessPolicy", vault))
    other = f"arn:aws:backup:eu-central-1:{ACCOUNT}:backup-vault:billing-prod-copy"
    assert not allows([apply], Request("backup:DeleteBackupVault", other))


# --- items 4 and 7, in the stack -----------------------------------------------------------


def test_the_network_and_the_budget_are_the_environments(prod: Plan) -> None:
    (vpc,) = prod.of_type("aws_vpc").values()
    assert vpc["cidr_block"] == "10.60.0.0/16"
    (budget,) = prod.of_type("aws_budgets_budget").values()
    assert budget["cost_filter"][0]["values"] == ["user:stack$orders-api-prod"] or any(
        f["values"] == ["user:stack$orders-api-prod"] for f in budget["cost_filter"]
    )
    assert float(budget["limit_amount"]) >= 0.8**-1 * 300

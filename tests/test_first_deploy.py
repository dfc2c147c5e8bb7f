"""The first deploy, planned offline (issue 13): what each phase of scripts/deploy.py would create.

Each sample's environment root is planned with `terraform test` as the deploy script plans
it: the registry phase (its targeted apply), the migration phase (web with PostgreSQL), then
everything. The emulator rehearsal (tests/test_rehearsal.py) applies them; these plans show
what moto cannot: the exact resources of a phase, the policies' state bucket, the AWS Backup
rule next to the RDS retention.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from phase_plans import ACCOUNT, planned, plans

from generator import generate
from generator.samples import load_samples
from generator.spec.answers import build_spec
from generator.spec.registry import resolve_type

REPO = Path(__file__).resolve().parent.parent
SAMPLES = load_samples(REPO / "samples")
#: What runs the image, per type: none may exist before the image is pushed.
CONSUMERS = {"aws_ecs_service", "aws_lambda_function", "aws_scheduler_schedule"}
ECR_MODULE = {"web-service": "web", "batch-service": "job", "event-service": "consumer"}


def _render(sample: str, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    definition = SAMPLES[sample]
    spec = build_spec(resolve_type(definition.type).model, definition.name, definition.answers)
    repo = Path(generate(spec, tmp_path / definition.name).destination)
    return repo, spec.template_data()


def _runs(script: str) -> dict[str, list[str]]:
    """The Terraform targets of scripts/deploy.py's phases (what their applies create)."""
    registry = re.search(r'^REGISTRY_TARGET = "([^"]+)"', script, flags=re.M)
    migration = re.search(
        r"^MIGRATION_TARGETS: tuple\[str, \.\.\.\] = \((.*?)\)", script, flags=re.M | re.S
    )
    assert registry and migration, "scripts/deploy.py names the targets of its phases"
    return {
        "registry": [registry.group(1)],
        "migration": re.findall(r'"([^"]+)"', migration.group(1)),
    }


def _tftest(targets: dict[str, list[str]], answers: dict[str, Any]) -> str:
    variables = ['image_tag = "0123456789abcdef"']
    if answers["service_type"] == "web-service":
        variables.append(
            f'certificate_arn = "arn:aws:acm:{answers["aws_region"]}:{ACCOUNT}:certificate/abc-123"'
        )
    runs = ["variables {\n  " + "\n  ".join(variables) + "\n}\n"]
    for name, target in targets.items():
        if target:
            runs.append(
                f'run "{name}" {{\n  command = plan\n\n  plan_options {{\n'
                f"    target = [{', '.join(target)}]\n  }}\n}}\n"
            )
    runs.append('run "everything" {\n  command = plan\n}\n')
    return "\n".join(runs)


@pytest.fixture(scope="module")
def first_deploy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict, dict]]:
    """sample => ({run: plan}, answers), for the first environment of each sample."""
    out = {}
    for sample in ("web-postgres", "web-internal", "batch", "event-sns"):
        repo, answers = _render(sample, tmp_path_factory.mktemp(sample))
        targets = _runs((repo / "scripts" / "deploy.py").read_text(encoding="utf-8"))
        environment = answers["environments"][0]
        runs = plans(repo / "infra", environment, answers["aws_region"], _tftest(targets, answers))
        out[sample] = (runs, answers)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("sample", ["web-postgres", "web-internal", "batch", "event-sns"])
def test_the_registry_phase_creates_no_image_consumer(first_deploy: dict, sample: str) -> None:
    runs, answers = first_deploy[sample]
    registry = planned(runs["registry"])
    types = {address.rsplit(".", 2)[-2] for address in registry}
    # the repository and the key it is encrypted with: nothing else
    assert types == {"aws_ecr_repository", "aws_ecr_lifecycle_policy", "aws_kms_key"}
    assert not types & CONSUMERS
    (repository,) = [v for a, v in registry.items() if a.endswith("aws_ecr_repository.this")]
    assert repository["name"] == f"{answers['name']}-{answers['environments'][0]}"
    # ... and everything else creates them, once the image is in the repository
    everything = planned(runs["everything"])
    assert {a.rsplit(".", 2)[-2] for a in everything} & CONSUMERS


@pytest.mark.slow
def test_the_migration_phase_prepares_the_database_and_task_before_the_service(
    first_deploy: dict,
) -> None:
    runs, answers = first_deploy["web-postgres"]
    migration = planned(runs["migration"])
    assert "module.service.module.database.aws_db_instance.this" in migration
    assert "module.service.module.network.aws_nat_gateway.this[0]" in migration, "the task's egress"
    # its container (command, secrets): the web-service module's tests/migration.tftest.hcl
    task = migration["module.service.module.web.aws_ecs_task_definition.migration[0]"]
    assert task["family"] == f"{answers['name']}-{answers['environments'][0]}-migrate"
    assert "module.service.module.web.aws_ecs_service.this" not in migration
    assert not {a.rsplit(".", 2)[-2] for a in migration} & CONSUMERS


@pytest.mark.slow
@pytest.mark.parametrize("sample", ["web-postgres", "batch", "event-sns"])
def test_no_stack_creates_the_account_s_oidc_provider(first_deploy: dict, sample: str) -> None:
    runs, _ = first_deploy[sample]
    everything = planned(runs["everything"])
    assert not [a for a in everything if "aws_iam_openid_connect_provider" in a]
    roles = {
        a: v
        for a, v in everything.items()
        if a.endswith(("aws_iam_role.deploy", "aws_iam_role.plan"))
    }
    for role in roles.values():
        principal = json.loads(role["assume_role_policy"])["Statement"][0]["Principal"]
        assert principal == {
            "Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"
        }


@pytest.mark.slow
@pytest.mark.parametrize("sample", ["web-postgres", "batch", "event-sns"])
def test_the_ci_roles_use_the_state_bucket_of_the_account_and_region(
    first_deploy: dict, sample: str
) -> None:
    runs, answers = first_deploy[sample]
    everything = planned(runs["everything"])
    bucket = f"tfstate-{ACCOUNT}-{answers['aws_region']}"
    key = f"{answers['name']}/{answers['environments'][0]}/terraform.tfstate"
    apply = everything["module.service.module.ci_oidc.aws_iam_policy.apply"]["policy"]
    assert f"arn:aws:s3:::{bucket}/{key}" in apply
    assert "terraform-state" not in apply


@pytest.mark.slow
def test_rds_and_aws_backup_keep_one_retention(first_deploy: dict) -> None:
    runs, _ = first_deploy["web-postgres"]
    everything = planned(runs["everything"])
    database = everything["module.service.module.database.aws_db_instance.this"]
    plan = everything["module.service.module.backup.aws_backup_plan.this"]
    daily = next(r for r in plan["rule"] if r["rule_name"] == "daily")
    assert daily["enable_continuous_backup"] is True
    assert database["backup_retention_period"] == daily["lifecycle"][0]["delete_after"] == 7

"""The files a rehearsal adds to its copy of a repository: nothing generated is changed.

Terraform merges `*_override.tf` files into the configuration of their folder, so:

- the environment root gets a provider override that sends every AWS call to moto (fake
  credentials, path-style S3, few retries: a call moto cannot answer fails in seconds instead of
  retrying for minutes) and a backend override that keeps the state in the state bucket the
  bootstrap made in moto;
- each module holding a resource moto cannot emulate gets an override that leaves that resource
  out (`count = 0` or an empty `for_each`), with what refers to it. `NOT_EMULATED` lists them
  with the reason; the rehearsal reports them, and the plan-level tests cover them instead.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from generator.infra import hcl

OVERRIDE_FILE = "rehearsal_override.tf"

#: The AWS provider's endpoint names of every service the module library uses. Anything else
#: goes to moto too, through AWS_ENDPOINT_URL, which the rehearsal sets for every process.
SERVICES = (
    "acm", "applicationautoscaling", "backup", "budgets", "ce", "cloudwatch", "dynamodb", "ec2",
    "ecr", "ecs", "elbv2", "events", "iam", "kms", "lambda", "logs", "rds", "s3", "scheduler",
    "secretsmanager", "sns", "sqs", "ssm", "sts", "wafv2",
)  # fmt: skip


class NotEmulated(BaseModel):
    """A resource moto cannot emulate, left out of the rehearsal by an override."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    module: str
    resource: str
    reason: str
    override: str


NOT_EMULATED: tuple[NotEmulated, ...] = (
    NotEmulated(
        module="budget",
        resource="aws_budgets_budget.this",
        reason="moto has no DescribeSubscribersForNotification: the provider's read gets HTTP 500",
        override="""resource "aws_budgets_budget" "this" {
  count = 0
}

output "budget_name" {
  value = null
}

output "budget_id" {
  value = null
}

output "budget_arn" {
  value = null
}
""",
    ),
    NotEmulated(
        module="backup",
        resource="aws_backup_selection.this",
        reason="moto has no CreateBackupSelection (HTTP 500)",
        override="""resource "aws_backup_selection" "this" {
  count = 0
}

output "selection_id" {
  value = null
}
""",
    ),
    NotEmulated(
        module="event-consumer",
        resource="aws_sqs_queue_redrive_allow_policy.dlq",
        reason="moto does not return RedriveAllowPolicy: the provider waits for it until timeout",
        override="""resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  count = 0
}
""",
    ),
    NotEmulated(
        module="observability",
        resource="aws_cloudwatch_composite_alarm.slo_burn",
        reason="moto has no PutCompositeAlarm (HTTP 500)",
        override="""resource "aws_cloudwatch_composite_alarm" "slo_burn" {
  for_each = {}
}

output "alarms" {
  value = {
    for k, a in local.alarm_catalog : k => {
      name     = try(local.notifying_alarms[k].name, "${local.prefix}-${k}")
      anchor   = a.anchor
      severity = a.severity
    }
  }
}
""",
    ),
    NotEmulated(
        module="web-service",
        resource="aws_appautoscaling_target.this, aws_appautoscaling_policy.*",
        reason="moto has no tagging for Application Auto Scaling (HTTP 500 on the tags)",
        override="""resource "aws_appautoscaling_target" "this" {
  count = 0
}
"""
        + "".join(
            f"""
resource "aws_appautoscaling_policy" "{name}" {{
  count              = 0
  service_namespace  = "ecs"
  resource_id        = "service/not-emulated/not-emulated"
  scalable_dimension = "ecs:service:DesiredCount"
}}
"""
            for name in ("cpu", "memory", "requests")
        ),
    ),
)


def provider_override(region: str, url: str) -> str:
    """The environment root's provider override: every endpoint at moto."""
    endpoints = "\n".join(f'    {service:<22} = "{url}"' for service in SERVICES)
    return f"""# Written by scaffold's deploy rehearsal into its own copy of the repository.
provider "aws" {{
  region                      = "{region}"
  access_key                  = "rehearsal"
  secret_key                  = "rehearsal"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  skip_requesting_account_id  = false
  s3_use_path_style           = true
  max_retries                 = 2

  endpoints {{
{endpoints}
  }}
}}
"""


def backend_override(root: Path, url: str) -> str:
    """The root's S3 backend, kept (key, region, locking) and pointed at moto.

    A backend block in an override file replaces the original one whole, so its settings are
    copied; the bucket still comes from `terraform init -backend-config`, as without moto.
    """
    terraform = hcl.load(root / "versions.tf")["terraform"][0]
    backend = terraform["backend"][0]["s3"]
    kept = {k: backend[k] for k in ("key", "region", "encrypt", "use_lockfile") if k in backend}
    settings = "\n".join(f"    {key} = {_literal(value)}" for key, value in kept.items())
    return f"""terraform {{
  backend "s3" {{
{settings}
    endpoints = {{
      s3  = "{url}"
      sts = "{url}"
      iam = "{url}"
    }}
    use_path_style              = true
    access_key                  = "rehearsal"
    secret_key                  = "rehearsal"
    skip_credentials_validation = true
    skip_metadata_api_check     = true
    skip_region_validation      = true
    skip_requesting_account_id  = true
  }}
}}
"""


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"'


def write(repo: Path, environment: str, region: str, url: str) -> list[NotEmulated]:
    """Write the overrides into `repo` (a copy); the resources left out, with their reasons."""
    infra = repo / "infra"
    root = infra / "envs" / environment
    (root / OVERRIDE_FILE).write_text(
        provider_override(region, url) + "\n" + backend_override(root, url), encoding="utf-8"
    )
    left_out = []
    for item in NOT_EMULATED:
        module = infra / "modules" / item.module
        if module.is_dir():
            (module / OVERRIDE_FILE).write_text(item.override, encoding="utf-8")
            left_out.append(item)
    return left_out

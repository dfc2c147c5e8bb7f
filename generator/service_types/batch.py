"""batch-service: a scheduled job; EventBridge Scheduler runs an ECS task on Fargate."""

from __future__ import annotations

from generator.spec.models import BatchServiceSpec
from generator.spec.plugin import Capabilities, ServiceType

TYPE = ServiceType(
    name="batch-service",
    alias="batch",
    model=BatchServiceSpec,
    template_dir="batch",
    summary="Scheduled job: EventBridge Scheduler runs an ECS task on Fargate.",
    creates=(
        "job entrypoint with run id, idempotency key per scheduled run, timeout, exit codes",
        "tests (pytest, moto), Dockerfile (non-root), Makefile, pre-commit, ruff",
        "infra/ for EventBridge Scheduler -> ECS RunTask with retries and a DLQ",
    ),
    terraform_modules=(
        "kms",
        "network",
        "ecr",
        "batch-job",
        "observability",
        "budget",
        "backup",
        "ci-oidc",
    ),
    capabilities=Capabilities(
        runtime="ecs-task",
        scheduled=True,
        root_module="job",
        catalog_type="batch",
        alarm_metrics=4,
        noun="scheduled batch job",
        image_consumer="the schedule's task",
        verb_names=True,
    ),
    lock_variants=(("batch", {}),),
)

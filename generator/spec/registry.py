"""The service types scaffold knows: names, aliases, spec models and what each creates."""

from __future__ import annotations

from dataclasses import dataclass

from generator.errors import UnknownServiceTypeError
from generator.spec.models import BatchServiceSpec, EventServiceSpec, ServiceSpec, WebServiceSpec


@dataclass(frozen=True)
class ServiceType:
    """One service type: its canonical name, short alias, spec model and template folder."""

    name: str
    alias: str
    model: type[ServiceSpec]
    template_dir: str
    summary: str
    creates: tuple[str, ...]
    terraform_modules: tuple[str, ...]


SERVICE_TYPES: tuple[ServiceType, ...] = (
    ServiceType(
        name="web-service",
        alias="web",
        model=WebServiceSpec,
        template_dir="web",
        summary="HTTP API behind an Application Load Balancer on ECS Fargate, optional PostgreSQL.",
        creates=(
            "FastAPI app with /healthz and /readyz, JSON logs with request ids, graceful shutdown",
            "tests (pytest), Dockerfile (non-root), Makefile, pre-commit, ruff",
            "infra/ for ALB + ECS Fargate (+ RDS PostgreSQL when database=postgres)",
        ),
        terraform_modules=(
            "kms",
            "network",
            "ecr",
            "web-service",
            "observability",
            "budget",
            "ci-oidc",
        ),
    ),
    ServiceType(
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
    ),
    ServiceType(
        name="event-service",
        alias="event",
        model=EventServiceSpec,
        template_dir="event",
        summary="Event consumer: SQS, SNS -> SQS or EventBridge -> SQS, with a DLQ, into Lambda.",
        creates=(
            "Lambda handler with aws-lambda-powertools batch processing and partial failures",
            "pydantic event model, tests (pytest, moto), Dockerfile, Makefile, pre-commit, ruff",
            "infra/ for the queue, DLQ with redrive and the Lambda event source mapping",
        ),
        terraform_modules=(
            "kms",
            "network",
            "ecr",
            "event-consumer",
            "observability",
            "budget",
            "ci-oidc",
        ),
    ),
)


#: Modules added when a web service has a database: the instance and its AWS Backup plan.
DATABASE_MODULES = ("database", "backup")
#: The module added when backups are copied to another region: the copy vault there.
BACKUP_COPY_MODULE = "backup-vault"


def terraform_modules(spec: ServiceSpec) -> list[str]:
    """The library modules a service's infra/ vendors, for its type and options."""
    modules = list(resolve_type(spec.service_type).terraform_modules)
    if getattr(spec, "database", "none") == "postgres":
        modules += [m for m in DATABASE_MODULES if m not in modules]
    if getattr(spec, "backup_copy_region", ""):
        modules.append(BACKUP_COPY_MODULE)
    return modules


def resolve_type(name: str) -> ServiceType:
    """Find a service type by its name or alias; raise a clear error naming what is allowed."""
    for service_type in SERVICE_TYPES:
        if name in (service_type.name, service_type.alias):
            return service_type
    allowed = ", ".join(f"{t.name} ({t.alias})" for t in SERVICE_TYPES)
    raise UnknownServiceTypeError(f"unknown service type {name!r}. Allowed: {allowed}")

"""web-service: an HTTP API behind an Application Load Balancer on ECS Fargate."""

from __future__ import annotations

from generator.spec.models import WebServiceSpec
from generator.spec.plugin import Capabilities, ServiceType

TYPE = ServiceType(
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
    capabilities=Capabilities(
        runtime="ecs-service",
        load_balancer=True,
        database_option=True,
        root_module="web",
        catalog_type="web",
        alarm_metrics=38,
        composite_alarms=3,
        noun="web service",
        image_consumer="the ECS service",
    ),
    lock_variants=(("web-postgres", {"database": "postgres"}), ("web", {})),
)

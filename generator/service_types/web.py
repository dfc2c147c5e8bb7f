"""web-service: an HTTP API behind an Application Load Balancer on ECS Fargate."""

from __future__ import annotations

from generator.spec.models import ServiceSpec, WebServiceSpec
from generator.spec.plugin import Capabilities, LlmField, LlmHints, ServiceType, finder


def _summary(spec: ServiceSpec) -> str:
    database = getattr(spec, "database", "none") == "postgres"
    return "an HTTP API on ECS Fargate behind an Application Load Balancer" + (
        ", with RDS PostgreSQL" if database else ""
    )


LLM = LlmHints(
    description="answers HTTP requests (an API, a website, a backend that apps or other "
    "services call)",
    examples=(
        "A REST API where customers check the status of their parcels.",
        "An internal dashboard that shows warehouse stock levels.",
    ),
    cues=(
        (r"\b(?:rest(?:ful)?|https?|graphql|grpc|json\s+api|openapi)\b", 3),
        (r"\b(?:web\s*site|web\s*app(?:lication)?|web\s+ui|front[\s-]?end|portal|dashboard)\b", 3),
        (r"\bend\s*points?\b|\bwebhooks?\b|\bload\s+balancer\b|\bbrowsers?\b", 3),
        (
            r"\bapis?\b|\bbackend\s+for\b|\bsign\s+(?:in|up)\s+(?:page|form)\b|\blog\s*in\s+page\b",
            2,
        ),
        (r"\b(?:serves?|serving)\b|\b(?:sign|log)s?\s+in\b|\brequests?\b|\bresponds?\b", 1),
        (
            r"\b(?:apps?|clients?|services|teams|users|customers)\s+(?:can\s+)?calls?\b|\bcalls?\s+it\b",
            2,
        ),
        (r"\blook\s+up\b|\bquer(?:y|ies)\b|\bcrud\b", 1),
    ),
    fields={
        "database": LlmField(
            finder("generator.llm.facts:find_database"),
            "Does the service keep its data in a PostgreSQL database?",
            {"postgres": "postgres", "none": "no database"},
            key=True,
        ),
        "internet_facing": LlmField(
            finder("generator.llm.facts:find_internet_facing"),
            "Is the service reachable from the internet, or internal only?",
            {True: "public", False: "internal"},
            key=True,
        ),
    },
    name_suffix="api",
    summary=_summary,
)

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
    llm=LLM,
)

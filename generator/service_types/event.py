"""event-service: a Lambda consumer of SQS, SNS -> SQS or EventBridge -> SQS, with a DLQ."""

from __future__ import annotations

from generator.spec.models import EventServiceSpec
from generator.spec.plugin import Capabilities, ServiceType

TYPE = ServiceType(
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
    capabilities=Capabilities(
        runtime="lambda",
        root_module="consumer",
        image_extra="image",
        catalog_type="event-driven",
        alarm_metrics=5,
        noun="event consumer",
        image_consumer="the Lambda function",
        verb_names=True,
    ),
    omit_shared=("src/{{package}}/logs.py.jinja",),  # aws-lambda-powertools logs instead
    lock_variants=(("event", {}),),
)

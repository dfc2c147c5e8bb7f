"""event-service: a Lambda consumer of SQS, SNS -> SQS or EventBridge -> SQS, with a DLQ."""

from __future__ import annotations

from generator.spec.models import EventServiceSpec, ServiceSpec
from generator.spec.plugin import Capabilities, LlmField, LlmHints, ServiceType, finder


def _summary(spec: ServiceSpec) -> str:
    source = getattr(spec, "source", None)
    return f"a Lambda function consuming an SQS queue fed by {source}, with a dead-letter queue"


LLM = LlmHints(
    description="reacts to each message or event from a queue, a topic or an event bus",
    examples=(
        "For each message on the invoices queue, render a PDF and email it.",
        "Whenever a file lands in the uploads bucket, scan it for viruses.",
    ),
    cues=(
        (
            r"\bsqs\b|\bsns\b|\bevent\s*bridge\b|\bevent\s+bus\b|\bkafka\b|\bkinesis\b|\bpub/?sub\b",
            3,
        ),
        (
            r"\bqueues?\b|\btopics?\b|\bconsumers?\b|\bconsumes?\b|\bsubscribes?\b|\bsubscription\b",
            3,
        ),
        (r"\bwhenever\b|\b(?:each|every)\s+time\b|\bas\s+soon\s+as\b|\blistens?\s+(?:to|for)\b", 2),
        (
            r"\breacts?\s+to\b|\btriggered\s+by\b|\bdrains?\b|\bfor\s+(?:each|every)\s+(?:new\s+)?"
            r"(?:message|event|record|order|upload|file)\b|\blambda\b",
            2,
        ),
        (r"\bevents?\b|\bmessages?\b|\bnotifications?\b|\bpublished\b|\bwhen\s+(?:a|an|new)\b", 1),
    ),
    fields={
        "source": LlmField(
            finder("generator.llm.facts:find_source"),
            "Where do the events come from?",
            {"sqs": "an SQS queue", "sns": "an SNS topic", "eventbridge": "an EventBridge bus"},
            key=True,
        ),
        "batch_size": LlmField(
            finder("generator.llm.facts:find_batch_size"),
            "How many messages does one invocation take?",
        ),
        "max_concurrency": LlmField(
            finder("generator.llm.facts:find_max_concurrency"),
            "How many invocations may run at once?",
        ),
    },
    name_suffix="consumer",
    summary=_summary,
    verb_names=True,
    ignore_destinations=True,
)

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
    ),
    omit_shared=("src/{{package}}/logs.py.jinja",),  # aws-lambda-powertools logs instead
    lock_variants=(("event", {}),),
    llm=LLM,
)

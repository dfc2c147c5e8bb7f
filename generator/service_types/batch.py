"""batch-service: a scheduled job; EventBridge Scheduler runs an ECS task on Fargate."""

from __future__ import annotations

from generator.spec.models import BatchServiceSpec, ServiceSpec
from generator.spec.plugin import Capabilities, LlmField, LlmHints, ServiceType, finder


def _summary(spec: ServiceSpec) -> str:
    schedule, timezone = getattr(spec, "schedule", None), getattr(spec, "schedule_timezone", None)
    return (
        f"a job EventBridge Scheduler starts on {schedule} ({timezone}) as an ECS Fargate task, "
        "with a DynamoDB idempotency table"
    )


LLM = LlmHints(
    description="runs on a schedule (nightly, hourly, every Monday), does its work and stops",
    examples=(
        "Every Sunday at 3am, delete the expired sessions.",
        "Recalculate the loyalty points of every member once a day.",
    ),
    cues=(
        (r"\bcron\b|\bscheduled\b|\bon\s+a\s+schedule\b|\bbatch(?:es)?\s+(?:job|run|process)", 3),
        (r"\bjobs?\b|\bbatch\b|\bschedules?\b|\bbackfills?\b", 2),
        (r"\bruns?\s+(?:once|at|every|each)\b|\bperiodic(?:ally)?\b|\bregularly\b", 2),
        (r"\b(?:report|export|cleanup|clean[\s-]up|archive|sync|refresh)(?:es|s)?\b", 1),
    ),
    fields={
        "schedule": LlmField(
            finder("generator.llm.schedules:find_schedules"), "When does the job run?", key=True
        ),
        "schedule_timezone": LlmField(
            finder("generator.llm.schedules:find_timezones"),
            "Which time zone is the schedule in?",
            key=True,
        ),
        "timeout_minutes": LlmField(
            finder("generator.llm.facts:find_timeout"),
            "After how many minutes should the job stop?",
        ),
    },
    name_suffix="job",
    summary=_summary,
    verb_names=True,
    cue_fields=("schedule",),
)

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
    ),
    lock_variants=(("batch", {}),),
    llm=LLM,
)

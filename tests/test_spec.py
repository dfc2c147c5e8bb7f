"""The spec models: every rule accepts what AWS accepts and names what is wrong otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import make_spec, spec_schema
from generator.errors import DataFileError, InvalidAnswersError, UnknownServiceTypeError
from generator.spec.answers import questions
from generator.spec.models import BatchServiceSpec, EventServiceSpec, WebServiceSpec
from generator.spec.schedule import check_schedule, rate_seconds


def problems(service_type: str, name: str = "orders-api", **answers: str) -> dict[str, str]:
    with pytest.raises(InvalidAnswersError) as caught:
        make_spec(service_type, name, data=[f"{k}={v}" for k, v in answers.items()])
    return {p.field: p.problem for p in caught.value.problems}


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "empty"),
        ("Orders", "uppercase"),
        ("orders api", "whitespace"),
        ("1orders", "starts with a digit"),
        ("a" * 25, "25 characters long"),
        ("orders/api", "path"),
        ("..", "path"),
        ("../etc", "path"),
        ("orders;rm", "shell metacharacters"),
        ("orders$(id)", "shell metacharacters"),
        ("ordérs", "non-ASCII"),
        ("ab", "shorter than 3"),
        ("orders-", "wrong place"),
        ("orders--api", "wrong place"),
        ("abc", "shadow"),
        ("json", "shadow"),
        ("fastapi", "shadow"),
    ],
)
def test_bad_names_are_refused_with_the_reason(name: str, reason: str) -> None:
    found = problems("web", name)
    assert reason in found["name"]
    assert "Allowed:" in found["name"]


@pytest.mark.parametrize("name", ["abd", "orders-api", "a1-b2-c3", "x" * 24])
def test_good_names_are_accepted(name: str) -> None:
    assert make_spec("web", name).name == name


def test_types_resolve_by_name_and_alias() -> None:
    assert make_spec("batch", "job-one").service_type == "batch-service"
    assert make_spec("event-service", "ev-one").service_type == "event-service"


def test_unknown_type_names_the_allowed_ones() -> None:
    with pytest.raises(UnknownServiceTypeError, match="web-service \\(web\\)"):
        make_spec("cron-job", "orders-api")


def test_unknown_key_is_refused_with_a_suggestion() -> None:
    found = problems("event", memory_md="512")
    assert "did you mean 'memory_mb'" in found["memory_md"]


def test_name_cannot_be_given_as_data() -> None:
    with pytest.raises(InvalidAnswersError, match="NAME argument"):
        make_spec("web", "orders-api", data=["name=other"])


def test_wrong_type_and_range_are_reported_together() -> None:
    found = problems("web", port="http", min_tasks="1", database="mysql")
    assert set(found) == {"port", "min_tasks", "database"}
    assert "is not a whole number" in found["port"]
    assert "greater than or equal to 2" in found["min_tasks"]
    assert "'none' or 'postgres'" in found["database"]


@pytest.mark.parametrize(
    ("cpu", "memory", "ok"),
    [
        (256, 512, True),
        (256, 4096, False),
        (512, 4096, True),
        (1024, 1024, False),
        (4096, 30720, True),
        (8192, 20480, True),
        (8192, 18432, False),
        (16384, 122880, True),
    ],
)
def test_fargate_cpu_memory_pairs(cpu: int, memory: int, ok: bool) -> None:
    data = [f"cpu={cpu}", f"memory_mb={memory}"]
    if ok:
        assert make_spec("web", "orders-api", data=data).memory_mb == memory  # type: ignore[attr-defined]
    else:
        with pytest.raises(InvalidAnswersError, match=f"not a Fargate memory size for cpu={cpu}"):
            make_spec("web", "orders-api", data=data)


def test_max_tasks_below_min_is_refused() -> None:
    assert "below min_tasks" in problems("web", min_tasks="4", max_tasks="3")["max_tasks"]


@pytest.mark.parametrize(
    "expr",
    [
        "cron(0 2 * * ? *)",
        "cron(15 10 ? * MON-FRI *)",
        "cron(0/15 * * * ? *)",
        "cron(0 8 L * ? *)",
        "cron(0 9 ? * 6#3 2030)",
        "cron(0 0 1,15 JAN-JUN ? *)",
        "cron(0 12 15W * ? *)",
        "rate(1 day)",
        "rate(15 minutes)",
        "rate(2 hours)",
    ],
)
def test_valid_schedules(expr: str) -> None:
    assert check_schedule(expr) == expr


@pytest.mark.parametrize(
    ("expr", "reason"),
    [
        ("cron(0 2 * * *)", "6 fields"),
        ("cron(0 2 * * * *)", "exactly one of"),
        ("cron(0 2 ? * ? *)", "exactly one of"),
        ("cron(60 2 * * ? *)", "outside 0-59"),
        ("cron(0 24 * * ? *)", "outside 0-23"),
        ("cron(0 2 * 13 ? *)", "outside 1-12"),
        ("cron(0 2 ? * FOO *)", "not a number"),
        ("cron(0 2 5-1 * ? *)", "backwards"),
        ("cron(0/0 2 * * ? *)", "positive"),
        ("rate(1 days)", "singular"),
        ("rate(5 minute)", "plural"),
        ("rate(0 minutes)", "positive"),
        ("every day", "not a schedule expression"),
        ("at(2030-01-01T00:00:00)", "not a schedule"),
    ],
)
def test_invalid_schedules(expr: str, reason: str) -> None:
    assert reason in problems("batch", schedule=expr)["schedule"]


def test_rate_seconds() -> None:
    assert rate_seconds("rate(15 minutes)") == 900
    assert rate_seconds("rate(1 day)") == 86400
    assert rate_seconds("cron(0 2 * * ? *)") is None


def test_region_environments_tags_timezone() -> None:
    assert "not an AWS region" in problems("web", aws_region="mars-1")["aws_region"]
    assert "unknown environment" in problems("web", environments="dev,qa")["environments"]
    assert "set by scaffold" in problems("web", tags="{service: x}")["tags"]
    assert "IANA" in problems("batch", schedule_timezone="Mars/Olympus")["schedule_timezone"]
    spec = make_spec("web", "orders-api", data=["environments=prod,dev"])
    assert spec.environments == ["dev", "prod"]


def test_data_file_answers_and_data_override(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text("source: sns\nmemory_mb: 1024\nbatch_size: 5\n")
    spec = make_spec("event", "payment-events", data_file=answers, data=["memory_mb=512"])
    assert isinstance(spec, EventServiceSpec)
    assert (spec.source, spec.memory_mb, spec.batch_size) == ("sns", 512, 5)
    assert spec.derived()["visibility_timeout_seconds"] == 6 * spec.function_timeout_seconds


def test_a_copier_answers_file_is_valid_input(tmp_path: Path) -> None:
    answers = tmp_path / ".copier-answers.yml"
    answers.write_text("_src_path: ../templates\nservice_type: event-service\nsource: sqs\n")
    assert make_spec("event", "payment-events", data_file=answers).source == "sqs"  # type: ignore[attr-defined]
    answers.write_text("service_type: web-service\n")
    with pytest.raises(InvalidAnswersError, match="does not match"):
        make_spec("event", "payment-events", data_file=answers)


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "does not exist"), ("a: [1, 2", "not valid YAML"), ("- a\n- b\n", "must be a mapping")],
)
def test_bad_data_files(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "answers.yml"
    if content is not None:
        path.write_text(content)
    with pytest.raises(DataFileError, match=message):
        make_spec("web", "orders-api", data_file=path)


def test_questions_come_from_the_model_in_field_order() -> None:
    for model in (WebServiceSpec, BatchServiceSpec, EventServiceSpec):
        asked = [q.field for q in questions(model)]
        assert asked == list(model.model_fields)
    web = {q.field: q for q in questions(WebServiceSpec)}
    assert web["database"].choices == ("none", "postgres")
    assert web["name"].required and not web["port"].required


def test_schema_is_the_model_schema() -> None:
    schema = spec_schema("batch")
    assert schema["title"] == "batch-service"
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["name"]
    assert "schedule" in schema["properties"]
    assert schema["properties"]["name"]["maxLength"] == 24


def test_slug_answers_say_what_is_allowed() -> None:
    found = problems("web", owner_team="Bad_Team", github_org="-x")
    assert (
        "not a GitHub slug" in found["owner_team"] and "e.g. platform-team" in found["owner_team"]
    )
    assert "not a GitHub slug" in found["github_org"]


@pytest.mark.parametrize(
    ("schedule", "zone", "skipped"),
    [
        ("cron(0 2 * * ? *)", "Europe/Berlin", "02:00 to 02:59"),
        ("cron(30 1-3 * * ? *)", "Europe/Berlin", "02:00 to 02:59"),
        ("cron(0 2 * * ? *)", "America/New_York", "02:00 to 02:59"),
        ("cron(0 2 ? * SUN *)", "Europe/Berlin", "02:00 to 02:59"),  # the change is a Sunday
        ("cron(0/15 * * * ? *)", "Europe/London", "01:00 to 01:59"),
        ("cron(0 2 * * ? *)", "Australia/Lord_Howe", "02:00 to 02:29"),  # a 30-minute shift
    ],
)
def test_a_cron_time_that_clocks_skip_is_refused(schedule: str, zone: str, skipped: str) -> None:
    # EventBridge Scheduler skips a run whose local time does not exist (spring forward).
    problem = problems("batch", schedule=schedule, schedule_timezone=zone)["schedule_timezone"]
    assert f"({skipped} is skipped)" in problem and "schedule_timezone UTC" in problem


@pytest.mark.parametrize(
    ("schedule", "zone"),
    [
        ("cron(0 3 * * ? *)", "Europe/Berlin"),  # 03:00 exists on both change days
        ("cron(0 2 ? * MON *)", "Europe/Berlin"),  # clocks change on Sundays
        ("cron(0 2 * * ? *)", "Asia/Tokyo"),  # no daylight saving time
        ("cron(45 2 * * ? *)", "Australia/Lord_Howe"),  # after the half-hour gap
        ("cron(0 2 * * ? *)", "UTC"),
        ("rate(1 day)", "Europe/Berlin"),  # a rate counts elapsed time
    ],
)
def test_cron_times_that_always_exist_are_accepted(schedule: str, zone: str) -> None:
    spec = make_spec("batch", "a-job", data=[f"schedule={schedule}", f"schedule_timezone={zone}"])
    assert (spec.schedule, spec.schedule_timezone) == (schedule, zone)


def test_dst_gaps_come_from_the_time_zone_database() -> None:
    from datetime import date, time

    from generator.spec.dst import Gap, dst_gaps

    assert Gap(date(2027, 3, 28), time(2, 0), time(3, 0)) in dst_gaps("Europe/Berlin", 2027)
    assert Gap(date(2027, 3, 14), time(2, 0), time(3, 0)) in dst_gaps("America/New_York", 2027)
    assert dst_gaps("Asia/Tokyo", 2027) == ()


@pytest.mark.parametrize("name", ["orders-prod", "orders-dev-api", "a-staging"])
def test_a_name_with_an_environment_part_is_refused(name: str) -> None:
    # The deploy role is scoped by <name>-<environment>: these would overlap another service.
    assert "environment name as a part" in problems("web", name=name)["name"]


def test_a_name_starting_with_an_environment_word_is_fine() -> None:
    assert make_spec("web", "prod-catalog").name == "prod-catalog"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("{prod: 10.10.0.0/16}", "overlap"),  # the default of dev
        ("{prod: 10.1.0.0/24}", "is a /24"),
        ("{prod: 10.0.0.0/12}", "is a /12"),
        ("{prod: 8.8.0.0/16}", "not a private range"),
        ("{prod: 172.17.0.0/16}", "172.17.0.0/16"),
        ("{prod: 10.1.0.1/16}", "host bits"),
        ("{qa: 10.1.0.0/16}", "unknown environment"),
    ],
)
def test_vpc_ranges_are_private_sized_for_the_subnets_and_apart(value: str, reason: str) -> None:
    assert reason in problems("web", vpc_cidrs=value)["vpc_cidrs"]


def test_vpc_ranges_default_per_environment_and_merge_what_is_given() -> None:
    spec = make_spec("batch", "a-job", data=["environments=staging,prod",
                                              "vpc_cidrs={prod: 10.1.0.0/16}"])  # fmt: skip
    assert spec.vpc_cidrs == {"staging": "10.20.0.0/16", "prod": "10.1.0.0/16"}
    assert make_spec("event", "a-consumer").vpc_cidrs == {
        "dev": "10.10.0.0/16", "staging": "10.20.0.0/16", "prod": "10.30.0.0/16"
    }  # fmt: skip


@pytest.mark.parametrize(
    "schedule",
    [
        "rate(5 minutes)",
        "rate(1 hour)",
        "rate(3 days)",
        "cron(0 2 * * ? *)",
        "cron(15 * * * ? *)",
        "cron(0 9 ? * MON-FRI *)",
        "cron(30 4 ? * SUN *)",
        "cron(0 6 15 * ? *)",
        "cron(0 0 L * ? *)",
        "cron(0 12 1 JAN ? *)",
    ],
)
def test_copier_derives_the_same_schedule_interval_as_python(schedule: str) -> None:
    """copier.yml's Jinja for plain `copier copy` and the Python rule agree (one source: the
    Jinja is generated beside the Python in generator/spec/schedule.py)."""
    import jinja2

    from generator.spec.schedule import INTERVAL_JINJA

    spec = make_spec("batch", "nightly-report", data=[f"schedule={schedule}"])
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    jinja = int(env.from_string(INTERVAL_JINJA).render(schedule=schedule))
    assert jinja == spec.derived()["schedule_interval_seconds"]

"""Alarms that page when they should and stay quiet when healthy, on what Terraform would create.

Each test plans a module of the library offline (tests/tfplan.py), reads the alarms from the
plan and evaluates them on synthetic metric data (tests/cloudwatch.py), the way CloudWatch
documents metric math and alarm evaluation.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from tests.cloudwatch import AlarmSet, evaluate, every
from tests.tfplan import Plan, plan

REPO = Path(__file__).resolve().parent.parent
MODULES = REPO / "terraform" / "modules"
KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
RUNBOOK = "https://github.com/acme/orders-api/blob/main/docs/runbook.md"
T0 = 1_772_409_600  # 2026-03-02T00:00:00Z, a Monday
MINUTE, HOUR, DAY = 60, 3600, 86400


def observability(**variables: object) -> Plan:
    base = {
        "name": "orders-api",
        "environment": "prod",
        "kms_key_arn": KEY,
        "runbook_url": RUNBOOK,
    }
    return plan(MODULES / "observability", tree=MODULES, variables={**base, **variables})


@pytest.fixture(scope="module")
def web() -> AlarmSet:
    planned = observability(
        service_type="web",
        alb_arn_suffix="app/orders-api-prod/50dc6c495c0c9188",
        target_group_arn_suffix="targetgroup/orders-api-prod/943f017f100becff",
    )
    return AlarmSet.from_plan(planned)


def alb(
    requests: float | None,
    elb_5xx: float = 0,
    target_5xx: float = 0,
    elb_502: float = 0,
    start: int = T0,
    end: int = T0 + 4 * DAY,
) -> dict[str, dict[int, float]]:
    """ALB metrics per minute. ALB publishes a metric only for minutes it has a value, and
    RequestCount only counts requests for which it could choose a target."""
    found: dict[str, dict[int, float]] = {}
    for metric, value in (
        ("RequestCount", requests),
        ("HTTPCode_ELB_5XX_Count", elb_5xx),
        ("HTTPCode_Target_5XX_Count", target_5xx),
        ("HTTPCode_ELB_502_Count", elb_502),
        ("HTTPCode_ELB_503_Count", elb_5xx - elb_502),
    ):
        if value:
            found[metric] = every(MINUTE, start, end, value)
    return found


def merge(*parts: dict[str, dict[int, float]]) -> dict[str, dict[int, float]]:
    merged: dict[str, dict[int, float]] = {}
    for part in parts:
        for metric, samples in part.items():
            merged.setdefault(metric, {}).update(samples)
    return merged


HEALTHY = alb(requests=1000)


def test_healthy_traffic_never_pages(web: AlarmSet) -> None:
    assert web.pages(HEALTHY, T0 + 3 * DAY, T0 + 3 * DAY + 2 * HOUR, step=5 * MINUTE) == {}


def test_no_traffic_at_all_never_pages(web: AlarmSet) -> None:
    assert web.pages({}, T0 + 3 * DAY, T0 + 3 * DAY + HOUR, step=5 * MINUTE) == {}


def test_a_total_outage_with_no_registered_target_pages(web: AlarmSet) -> None:
    # Every request gets a 503 from the load balancer itself: no target to choose, so
    # RequestCount is not published at all, only HTTPCode_ELB_5XX_Count (and ELB 503).
    outage_start = T0 + 3 * DAY
    outage = alb(requests=None, elb_5xx=1000, start=outage_start, end=T0 + 4 * DAY)
    data = merge(alb(requests=1000, end=outage_start), outage)
    pages = web.pages(data, outage_start, outage_start + HOUR, step=MINUTE)
    fast = "orders-api-prod-slo-burn-fast"
    assert fast in pages, f"a total outage must page the fast burn alert; paged: {pages}"
    assert pages[fast] - outage_start <= 10 * MINUTE
    assert "orders-api-prod-5xx-errors" in pages


def test_every_request_failing_at_its_target_pages(web: AlarmSet) -> None:
    # 502 from the load balancer after choosing a target: counted in RequestCount too.
    outage_start = T0 + 3 * DAY
    outage = alb(requests=1000, elb_5xx=1000, elb_502=1000, start=outage_start)
    data = merge(alb(requests=1000, end=outage_start), outage)
    pages = web.pages(data, outage_start, outage_start + 30 * MINUTE, step=MINUTE)
    assert "orders-api-prod-slo-burn-fast" in pages


@pytest.mark.parametrize(("error_percent", "pages_fast"), [(2.0, True), (1.0, False)])
def test_a_partial_burn_pages_at_the_fast_burn_rate_only(
    web: AlarmSet, error_percent: float, pages_fast: bool
) -> None:
    # 99.9 % SLO: the fast burn is 14.4 x 0.1 % = 1.44 % of requests failing.
    start = T0 + 3 * DAY
    burning = alb(requests=1000, target_5xx=10 * error_percent, start=start)
    data = merge(alb(requests=1000, end=start), burning)
    pages = web.pages(data, start, start + 2 * HOUR, step=5 * MINUTE)
    assert ("orders-api-prod-slo-burn-fast" in pages) is pages_fast, pages


def test_the_error_ratio_of_every_window_counts_rejected_requests(web: AlarmSet) -> None:
    # The expression Terraform renders, on one window: 600 requests with a target, 400 the
    # load balancer rejected (503) and 100 of the 600 failing at the target (502).
    window = web.alarm("slo-burn-fast-5m")
    ids = {q["metric"][0]["metric_name"]: q["id"] for q in window.queries if q.get("metric")}
    series = {
        "RequestCount": 600.0,
        "HTTPCode_ELB_5XX_Count": 500.0,
        "HTTPCode_ELB_502_Count": 100.0,
        "HTTPCode_ELB_503_Count": 400.0,
        "HTTPCode_Target_5XX_Count": 0.0,
    }
    env = {i: ({T0: series[m]} if m in series else {}) for m, i in ids.items()}
    assert window.expression is not None
    ratio = evaluate(window.expression, env, [T0])
    assert ratio == {T0: pytest.approx(500 / 1000)}


# --- batch: the job-did-not-run heartbeat ------------------------------------------------

ARMED = "2026-03-02T00:00:00Z"  # T0: the environment is created at midnight UTC


def batch(interval: int = DAY, timeout: int = 45, retries: int = 2) -> AlarmSet:
    planned = observability(
        name="nightly-report",
        service_type="batch",
        log_group_name="/ecs/nightly-report-prod",
        schedule_interval_seconds=interval,
        timeout_minutes=timeout,
        retries=retries,
        dlq_name="nightly-report-prod-schedule-dlq",
        heartbeat_armed_at=ARMED,
    )
    return AlarmSet.from_plan(planned)


@pytest.fixture(scope="module")
def daily() -> AlarmSet:
    return batch()


def runs(*finished: int) -> dict[str, dict[int, float]]:
    """JobRunSucceeded = 1 in the minute each run finished (the metric filter's datapoint)."""
    return {"JobRunSucceeded": {t - t % MINUTE: 1.0 for t in finished}}


def at(day: int, hour: int, minute: int = 0) -> int:
    return T0 + day * DAY + hour * HOUR + minute * MINUTE


HEARTBEAT = "nightly-report-prod-job-did-not-run"


def test_the_heartbeat_window_covers_an_interval_every_attempt_and_a_margin(
    daily: AlarmSet,
) -> None:
    alarm = daily.alarm("job-did-not-run")
    window = alarm.period * alarm.evaluation_periods
    assert window >= DAY + 3 * 45 * MINUTE + 15 * MINUTE  # 1 day + 3 attempts + margin
    assert alarm.period * alarm.evaluation_periods <= 7 * DAY and window < DAY + 4 * HOUR


def test_a_new_environment_does_not_page_before_its_first_run(daily: AlarmSet) -> None:
    # Created at 00:00, the first run is at 02:00 and finishes at 02:20.
    data = runs(at(0, 2, 20), at(1, 2, 20))
    assert HEARTBEAT not in daily.pages(data, at(0, 0, 1), at(1, 12), step=10 * MINUTE)


def test_a_run_finishing_later_than_yesterdays_does_not_page(daily: AlarmSet) -> None:
    # 02:05 yesterday; today the run starts late, is retried twice and finishes at 04:10.
    data = runs(at(0, 2, 5), at(1, 4, 10), at(2, 2, 5))
    assert HEARTBEAT not in daily.pages(data, at(0, 0, 1), at(2, 12), step=10 * MINUTE)


def test_a_missed_run_pages_once_the_window_has_passed(daily: AlarmSet) -> None:
    # Runs on days 0 and 1, none on day 2: page after the last success plus the window.
    data = runs(at(0, 2, 5), at(1, 2, 5))
    pages = daily.pages(data, at(1, 12), at(3, 12), step=10 * MINUTE)
    alarm = daily.alarm("job-did-not-run")
    window = alarm.period * alarm.evaluation_periods
    assert HEARTBEAT in pages
    assert at(1, 2, 5) + window <= pages[HEARTBEAT] <= at(1, 2, 5) + window + alarm.period + HOUR


def test_a_job_that_never_succeeds_pages_one_window_after_creation(daily: AlarmSet) -> None:
    pages = daily.pages({}, at(0, 0, 1), at(2, 0), step=10 * MINUTE)
    alarm = daily.alarm("job-did-not-run")
    assert T0 + alarm.period * alarm.evaluation_periods <= pages[HEARTBEAT] <= at(1, 4)


def test_a_frequent_job_gets_a_short_heartbeat() -> None:
    every_15_minutes = batch(interval=15 * MINUTE, timeout=5, retries=0)
    alarm = every_15_minutes.alarm("job-did-not-run")
    assert alarm.period == MINUTE and alarm.period * alarm.evaluation_periods == 35 * MINUTE
    data = runs(*range(at(0, 0, 10), at(0, 6), 15 * MINUTE))
    assert HEARTBEAT not in every_15_minutes.pages(data, at(0, 0, 1), at(0, 6), step=5 * MINUTE)
    assert HEARTBEAT in every_15_minutes.pages(data, at(0, 6), at(0, 7), step=5 * MINUTE)


# --- web with a database: free storage ----------------------------------------------------

GIB = 1073741824


@pytest.fixture(scope="module")
def with_database() -> AlarmSet:
    planned = observability(
        service_type="web",
        alb_arn_suffix="app/orders-api-prod/50dc6c495c0c9188",
        target_group_arn_suffix="targetgroup/orders-api-prod/943f017f100becff",
        db_instance_id="orders-api-prod",
        db_allocated_storage_gib=20,
    )
    return AlarmSet.from_plan(planned)


def free_storage(points: list[tuple[int, float]]) -> dict[str, dict[int, float]]:
    """FreeStorageSpace every minute, linear between (time, GiB) points."""
    samples: dict[int, float] = {}
    for (t0, v0), (t1, v1) in pairwise(points):
        for t in range(t0, t1, MINUTE):
            samples[t] = (v0 + (v1 - v0) * (t - t0) / (t1 - t0)) * GIB
    return {"FreeStorageSpace": samples}


STORAGE = "orders-api-prod-db-free-storage"


def test_normal_storage_growth_does_not_page(with_database: AlarmSet) -> None:
    # 20 GiB allocated fills up; under 10 % free (2 GiB) autoscaling grows the volume, which
    # can take a while (5 minutes low, up to 6 hours after the last change): 40 minutes here.
    data = free_storage(
        [
            (at(0, 0), 6.0),
            (at(0, 4), 1.95),
            (at(0, 4, 40), 1.7),
            (at(0, 4, 41), 11.7),
            (at(0, 9), 11.0),
        ]
    )
    assert STORAGE not in with_database.pages(data, at(0, 0, 10), at(0, 9), step=5 * MINUTE)


def test_storage_autoscaling_that_cannot_keep_up_pages(with_database: AlarmSet) -> None:
    # At its maximum (or failing), free storage keeps falling: page well before it runs out.
    data = free_storage([(at(0, 0), 4.0), (at(0, 8), 0.0)])
    pages = with_database.pages(data, at(0, 0, 10), at(0, 8), step=5 * MINUTE)
    assert STORAGE in pages
    assert pages[STORAGE] < at(0, 6, 30)  # under 1 GiB at 06:00, 2 hours before it is full

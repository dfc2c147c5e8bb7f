"""scripts/service_report.py against stubbed AWS clients (botocore's Stubber: no network)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
import service_report
from botocore import UNSIGNED
from botocore.config import Config
from botocore.stub import ANY, Stubber
from service_report import Deploys, Sli

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
ENV = "prod"


class Session:
    """Hands out the stubbed clients, as boto3.Session.client would."""

    def __init__(self, clients: dict[str, Any]) -> None:
        self.clients = clients

    def client(self, name: str, **_: Any) -> Any:
        return self.clients[name]


@pytest.fixture
def aws() -> Iterator[tuple[Session, dict[str, Stubber]]]:
    names = ["cloudwatch", "sts", "budgets", "elbv2"]
    # Unsigned: the stubs answer every call, so no credentials are needed or read.
    unsigned = Config(signature_version=UNSIGNED, region_name="us-east-1")
    clients = {name: boto3.client(name, config=unsigned) for name in names}
    stubbers = {name: Stubber(client) for name, client in clients.items()}
    for stubber in stubbers.values():
        stubber.activate()
    yield Session(clients), stubbers
    for stubber in stubbers.values():
        stubber.assert_no_pending_responses()
        stubber.deactivate()


def metric_page(values: dict[str, list[float]]) -> dict[str, Any]:
    return {
        "MetricDataResults": [
            {"Id": key, "Label": key, "Values": v, "StatusCode": "Complete"}
            for key, v in values.items()
        ]
    }


def test_budget_left_follows_the_objective() -> None:
    objective = service_report.SLO_PERCENT
    allowed = (100 - objective) / 100
    exact = Sli("x", "30 days", good=1000 * (1 - allowed), valid=1000)
    assert exact.budget_left == pytest.approx(0, abs=1e-6)
    half = Sli("x", "30 days", good=1000 * (1 - allowed / 2), valid=1000)
    assert half.budget_left == pytest.approx(50)
    assert Sli("x", "30 days", good=0, valid=0).attainment is None


def test_deploys_in_the_window_by_conclusion() -> None:
    runs = [
        {"conclusion": "success", "createdAt": "2026-03-01T10:00:00Z"},
        {"conclusion": "success", "createdAt": "2026-02-27T10:00:00Z"},
        {"conclusion": "failure", "createdAt": "2026-02-28T10:00:00Z"},
        {"conclusion": "cancelled", "createdAt": "2026-02-28T11:00:00Z"},
        {"conclusion": "failure", "createdAt": "2026-02-01T10:00:00Z"},  # before the week
    ]
    week = service_report.deploys(runs, NOW - timedelta(days=7))
    assert week == Deploys(succeeded=2, failed=1)
    assert week.change_failure_rate == pytest.approx(100 / 3)
    assert Deploys(0, 0).change_failure_rate is None


def _alarm_history(stubbers: dict[str, Stubber]) -> None:
    prefix = f"{service_report.SERVICE}-{ENV}-"
    stubbers["cloudwatch"].add_response(
        "describe_alarms",
        {
            "MetricAlarms": [
                {"AlarmName": prefix + "paging", "AlarmActions": ["arn:aws:sns:x:1:t"]},
                {"AlarmName": prefix + "child", "AlarmActions": []},
            ],
            "CompositeAlarms": [],
        },
    )

    def item(name: str, state: str, minutes: int) -> dict[str, Any]:
        data = {"oldState": {"stateValue": "OK"}, "newState": {"stateValue": state}}
        return {
            "AlarmName": prefix + name,
            "Timestamp": NOW - timedelta(days=1) + timedelta(minutes=minutes),
            "HistoryItemType": "StateUpdate",
            "HistoryData": json.dumps(data),
        }

    stubbers["cloudwatch"].add_response(
        "describe_alarm_history",
        {
            "AlarmHistoryItems": [
                item("paging", "ALARM", 0),
                item("paging", "ALARM", 5),  # still in ALARM: the first time counts
                item("paging", "OK", 24),
                item("paging", "ALARM", 60),  # not recovered yet: not counted
            ]
        },
        {
            "AlarmName": prefix + "paging",
            "AlarmTypes": ["MetricAlarm", "CompositeAlarm"],
            "HistoryItemType": "StateUpdate",
            "StartDate": ANY,
            "EndDate": ANY,
            "ScanBy": "TimestampAscending",
        },
    )


def test_recovery_time_pairs_alarm_and_ok_of_notifying_alarms(aws: Any) -> None:
    session, stubbers = aws
    _alarm_history(stubbers)
    cloudwatch = session.client("cloudwatch")
    assert service_report.recoveries(cloudwatch, ENV, NOW - timedelta(days=7), NOW) == [24.0]


def _budget(stubbers: dict[str, Stubber]) -> None:
    stubbers["sts"].add_response(
        "get_caller_identity",
        {
            "Account": "123456789012",
            "Arn": "arn:aws:sts::123456789012:assumed-role/report/run",
            "UserId": "AROAEXAMPLE:run",
        },
    )
    stubbers["budgets"].add_response(
        "describe_budget",
        {
            "Budget": {
                "BudgetName": f"{service_report.SERVICE}-{ENV}-monthly",
                "BudgetLimit": {"Amount": "370", "Unit": "USD"},
                "CalculatedSpend": {
                    "ActualSpend": {"Amount": "12.5", "Unit": "USD"},
                    "ForecastedSpend": {"Amount": "40", "Unit": "USD"},
                },
                "TimeUnit": "MONTHLY",
                "BudgetType": "COST",
            }
        },
        {"AccountId": "123456789012", "BudgetName": f"{service_report.SERVICE}-{ENV}-monthly"},
    )


EXPECTED_SLI_ROWS = [
    "| Availability | 7 days | 99.5 % | 99.500 % |",
    "| Latency (under 1 s) | 30 days | 99.0 % | 99.400 % |",
]


def stub_slis(stubbers: dict[str, Stubber]) -> None:
    """The ALB's dimension, then the 7-day and 30-day sums and percentile ranks."""
    arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/0123"
    stubbers["elbv2"].add_response(
        "describe_load_balancers",
        {"LoadBalancers": [{"LoadBalancerArn": arn}]},
        {"Names": [f"{service_report.SERVICE}-{ENV}"]},
    )
    for fast in (99.7, 99.4):
        stubbers["cloudwatch"].add_response(
            "get_metric_data",
            metric_page(
                {
                    "requests": [1000.0],
                    "elb": [2.0],
                    "elb502": [1.0],
                    "elb504": [],
                    "target": [3.0],
                    "fast": [fast],
                }
            ),
        )


def test_availability_counts_both_5xx_sources(aws: Any) -> None:
    session, stubbers = aws
    stub_slis(stubbers)
    slis = service_report.slis(session, ENV, NOW)
    availability = [s for s in slis if s.name == "Availability"]
    # 1000 requests reached a target, 1 more was rejected (ELB 5XX but not 502/504)
    assert [(s.good, s.valid) for s in availability] == [(996.0, 1001.0), (996.0, 1001.0)]
    latency = [s for s in slis if s.name.startswith("Latency")]
    assert [s.attainment for s in latency] == [pytest.approx(99.7), pytest.approx(99.4)]
    assert latency[0].objective == 99.0


def test_a_total_outage_without_targets_counts_as_unavailable(aws: Any) -> None:
    # No registered target: the load balancer answers 503 itself and RequestCount stays empty.
    session, stubbers = aws
    arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/0123"
    stubbers["elbv2"].add_response(
        "describe_load_balancers", {"LoadBalancers": [{"LoadBalancerArn": arn}]}
    )
    page = {"requests": [], "elb": [500.0], "elb502": [], "elb504": [], "target": [], "fast": []}
    for _ in range(2):
        stubbers["cloudwatch"].add_response("get_metric_data", metric_page(page))
    availability = [s for s in service_report.slis(session, ENV, NOW) if s.name == "Availability"]
    assert [(s.good, s.valid, s.attainment) for s in availability] == [(0.0, 500.0, 0.0)] * 2


def test_the_report_end_to_end(
    aws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    session, stubbers = aws
    stub_slis(stubbers)
    _alarm_history(stubbers)
    _budget(stubbers)
    runs = tmp_path / "runs.json"
    now = datetime.now(UTC)
    runs.write_text(
        json.dumps([{"conclusion": "success", "createdAt": now.isoformat(), "url": "u"}]),
        encoding="utf-8",
    )
    assert service_report.main(["--environment", ENV, "--deploy-runs", str(runs)], session) == 0
    report = capsys.readouterr().out
    assert report.startswith(f"## {service_report.SERVICE} ({ENV}): week to ")
    for line in EXPECTED_SLI_ROWS:
        assert line in report, report
    assert "| Deploys (successful runs of deploy.yml on main) | 1 |" in report
    assert "| Mean time to recover (alarm to OK) | 24 min |" in report
    assert "| 12.50 USD (" in report and "| 40.00 USD |" in report

"""The weekly service report of pricing-api: SLOs and error budget, deploys, recovery, cost.

`.github/workflows/weekly-report.yml` runs it every Monday with the read-only plan role of the
environment and posts the result as an issue; it also runs by hand with any credentials that
can read CloudWatch, Budgets and Elastic Load Balancing:

    gh run list --workflow deploy.yml --branch main --limit 200 \\
        --json conclusion,createdAt,url > runs.json
    python scripts/service_report.py --environment prod --deploy-runs runs.json

The objectives and their SLIs are the ones in docs/slo.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

SERVICE = "pricing-api"
#: The availability objective in percent (docs/slo.md).
SLO_PERCENT = 99.5
MONTH = timedelta(days=30)
WEEK = timedelta(days=7)
#: The latency objective: this share of requests answered in under LATENCY_SECONDS.
LATENCY_PERCENT = 99.0
LATENCY_SECONDS = 1.0


@dataclass(frozen=True)
class Sli:
    """Good and valid events of one SLI over one window."""

    name: str
    window: str
    good: float
    valid: float
    #: The objective in percent.
    objective: float = SLO_PERCENT

    @property
    def attainment(self) -> float | None:
        """good / valid in percent; None without valid events."""
        return None if self.valid <= 0 else 100 * self.good / self.valid

    @property
    def budget_left(self) -> float | None:
        """Share of the error budget left, in percent (negative when overspent)."""
        if self.attainment is None:
            return None
        allowed = 100 - self.objective
        return 100 * (1 - (100 - self.attainment) / allowed)


@dataclass(frozen=True)
class Deploys:
    """Deploy workflow runs on main in the reporting window."""

    succeeded: int
    failed: int

    @property
    def change_failure_rate(self) -> float | None:
        """Failed runs over finished runs, in percent."""
        finished = self.succeeded + self.failed
        return None if finished == 0 else 100 * self.failed / finished


def metric_data(
    cloudwatch: Any, queries: list[dict[str, Any]], start: datetime, end: datetime
) -> dict[str, list[float]]:
    """Run GetMetricData, following NextToken; values per query id."""
    values: dict[str, list[float]] = {query["Id"]: [] for query in queries}
    kwargs: dict[str, Any] = {"MetricDataQueries": queries, "StartTime": start, "EndTime": end}
    while True:
        page = cloudwatch.get_metric_data(**kwargs)
        for result in page["MetricDataResults"]:
            values[result["Id"]].extend(result["Values"])
        if not page.get("NextToken"):
            return values
        kwargs["NextToken"] = page["NextToken"]


def stat_query(
    query_id: str,
    namespace: str,
    metric: str,
    dimensions: dict[str, str],
    period: int,
    stat: str = "Sum",
) -> dict[str, Any]:
    """One MetricStat query of GetMetricData."""
    return {
        "Id": query_id,
        "MetricStat": {
            "Metric": {
                "Namespace": namespace,
                "MetricName": metric,
                "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions.items()],
            },
            "Period": period,
            "Stat": stat,
        },
    }


def load_balancer_dimension(session: Any, environment: str) -> dict[str, str]:
    """The LoadBalancer dimension (app/<name>/<id>) of the environment's ALB."""
    elbv2 = session.client("elbv2")
    found = elbv2.describe_load_balancers(Names=[f"{SERVICE}-{environment}"])
    arn = found["LoadBalancers"][0]["LoadBalancerArn"]
    return {"LoadBalancer": arn.split(":loadbalancer/", 1)[1]}


def slis(session: Any, environment: str, now: datetime) -> list[Sli]:
    """Availability (non-5XX share of valid requests) and latency at the load balancer."""
    cloudwatch = session.client("cloudwatch")
    dimensions = load_balancer_dimension(session, environment)
    results = []
    for window, length in (("7 days", WEEK), ("30 days", MONTH)):
        period = int(length.total_seconds())
        namespace = "AWS/ApplicationELB"
        values = metric_data(
            cloudwatch,
            [
                stat_query("requests", namespace, "RequestCount", dimensions, period),
                stat_query("elb", namespace, "HTTPCode_ELB_5XX_Count", dimensions, period),
                stat_query("elb502", namespace, "HTTPCode_ELB_502_Count", dimensions, period),
                stat_query("elb504", namespace, "HTTPCode_ELB_504_Count", dimensions, period),
                stat_query("target", namespace, "HTTPCode_Target_5XX_Count", dimensions, period),
                # Percentile rank: the share of requests at or under the latency threshold.
                stat_query(
                    "fast",
                    namespace,
                    "TargetResponseTime",
                    dimensions,
                    period,
                    stat=f"PR(:{LATENCY_SECONDS})",
                ),
            ],
            now - length,
            now,
        )
        # RequestCount leaves out the requests the load balancer rejected before choosing a
        # target (a 503 with no healthy target): those are every ELB 5XX but 502 and 504.
        rejected = sum(values["elb"]) - sum(values["elb502"]) - sum(values["elb504"])
        valid = sum(values["requests"]) + rejected
        errors = sum(values["elb"]) + sum(values["target"])
        results.append(Sli("Availability", window, valid - errors, valid))
        fast = values["fast"]
        if fast:  # PR() is the percentage of requests at or under the threshold
            results.append(Sli("Latency (under 1 s)", window, fast[0], 100.0, LATENCY_PERCENT))
    return results


def deploys(runs: list[dict[str, Any]], since: datetime) -> Deploys:
    """Count the deploy runs created since `since` by conclusion (gh run list --json)."""
    recent = [
        run
        for run in runs
        if datetime.fromisoformat(run["createdAt"].replace("Z", "+00:00")) >= since
    ]
    return Deploys(
        succeeded=sum(run.get("conclusion") == "success" for run in recent),
        failed=sum(run.get("conclusion") == "failure" for run in recent),
    )


def recoveries(cloudwatch: Any, environment: str, start: datetime, end: datetime) -> list[float]:
    """Minutes from ALARM to OK of every notifying alarm that recovered in the window."""
    prefix = f"{SERVICE}-{environment}-"
    notifying = set()
    for page in cloudwatch.get_paginator("describe_alarms").paginate(
        AlarmNamePrefix=prefix, AlarmTypes=["MetricAlarm", "CompositeAlarm"]
    ):
        for alarm in [*page.get("MetricAlarms", []), *page.get("CompositeAlarms", [])]:
            if alarm.get("AlarmActions"):
                notifying.add(alarm["AlarmName"])
    durations: list[float] = []
    for name in sorted(notifying):
        fired: datetime | None = None
        for page in cloudwatch.get_paginator("describe_alarm_history").paginate(
            AlarmName=name,
            AlarmTypes=["MetricAlarm", "CompositeAlarm"],
            HistoryItemType="StateUpdate",
            StartDate=start,
            EndDate=end,
            ScanBy="TimestampAscending",
        ):
            for item in page["AlarmHistoryItems"]:
                state = json.loads(item["HistoryData"])["newState"]["stateValue"]
                if state == "ALARM" and fired is None:
                    fired = item["Timestamp"]
                elif state == "OK" and fired is not None:
                    durations.append((item["Timestamp"] - fired).total_seconds() / 60)
                    fired = None
    return durations


def cost(budgets: Any, account_id: str, environment: str) -> tuple[float, float, float | None]:
    """Month-to-date spend, the monthly limit and the forecast, in USD."""
    budget = budgets.describe_budget(
        AccountId=account_id, BudgetName=f"{SERVICE}-{environment}-monthly"
    )["Budget"]
    spend = budget["CalculatedSpend"]
    forecast = spend.get("ForecastedSpend", {}).get("Amount")
    return (
        float(spend["ActualSpend"]["Amount"]),
        float(budget["BudgetLimit"]["Amount"]),
        None if forecast is None else float(forecast),
    )


def _percent(value: float | None, digits: int = 3) -> str:
    return "no data" if value is None else f"{value:.{digits}f} %"


def render(
    environment: str,
    now: datetime,
    slis: list[Sli],
    week: Deploys,
    recovered: list[float],
    spend: tuple[float, float, float | None],
) -> str:
    """The report as Markdown."""
    lines = [
        f"## {SERVICE} ({environment}): week to {now:%Y-%m-%d}",
        "",
        "### Objectives (docs/slo.md)",
        "",
        "| SLI | Window | Objective | Attainment | Error budget left |",
        "|---|---|---|---|---|",
    ]
    for sli in slis:
        lines.append(
            f"| {sli.name} | {sli.window} | {sli.objective} % | {_percent(sli.attainment)} "
            f"| {_percent(sli.budget_left, 1)} |"
        )
    lowest = min((s.budget_left for s in slis if s.budget_left is not None), default=None)
    if lowest is not None and lowest < 25:
        lines += ["", "**Less than 25 % of an error budget left: docs/slo.md's policy applies.**"]
    mttr = None if not recovered else sum(recovered) / len(recovered)
    actual, limit, forecast = spend
    lines += [
        "",
        "### Delivery and recovery (last 7 days)",
        "",
        "| Measure | Value |",
        "|---|---|",
        f"| Deploys (successful runs of deploy.yml on main) | {week.succeeded} |",
        f"| Failed deploys | {week.failed} |",
        f"| Change failure rate | {_percent(week.change_failure_rate, 0)} |",
        f"| Alarms recovered | {len(recovered)} |",
        "| Mean time to recover (alarm to OK) | "
        + ("no alarm" if mttr is None else f"{mttr:.0f} min")
        + " |",
        "",
        "### Cost (this month)",
        "",
        "| Spent | Budget | Forecast |",
        "|---|---|---|",
        f"| {actual:.2f} USD ({100 * actual / limit:.0f} %) | {limit:.2f} USD | "
        + ("no forecast" if forecast is None else f"{forecast:.2f} USD")
        + " |",
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None, session: Any = None) -> int:
    """Print the report for one environment."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--environment", default="prod", choices=["dev", "staging", "prod"])
    parser.add_argument(
        "--deploy-runs",
        type=Path,
        required=True,
        help="JSON from `gh run list --workflow deploy.yml --json conclusion,createdAt,url`",
    )
    args = parser.parse_args(argv)
    if session is None:
        import boto3  # imported here so that the tests can pass a stubbed session

        session = boto3.Session()
    now = datetime.now(UTC).replace(microsecond=0)
    cloudwatch = session.client("cloudwatch")
    runs = json.loads(args.deploy_runs.read_text(encoding="utf-8"))
    account_id = session.client("sts").get_caller_identity()["Account"]
    report = render(
        args.environment,
        now,
        slis(session, args.environment, now),
        deploys(runs, now - WEEK),
        recoveries(cloudwatch, args.environment, now - WEEK, now),
        cost(session.client("budgets", region_name="us-east-1"), account_id, args.environment),
    )
    sys.stdout.write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())

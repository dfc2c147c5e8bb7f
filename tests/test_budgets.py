"""Cost alerts that stay quiet on an idle stack and count one environment each."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import pytest

from generator import generate, make_spec
from generator.errors import InvalidAnswersError
from generator.infra import hcl
from generator.spec.costs import budgets, budgets_jinja, idle_floor, idle_items
from tests.tfplan import plan

REPO = Path(__file__).resolve().parent.parent
MODULES = REPO / "terraform" / "modules"
SPECS = {
    "web": ("web", []),
    "web-postgres": ("web", ["database=postgres", "cpu=1024", "memory_mb=2048"]),
    "web-internal": ("web", ["internet_facing=false", "allowed_cidrs=[10.40.0.0/16]"]),
    "batch": ("batch", []),
    "batch-copy": ("batch", ["backup_copy_region=us-west-2"]),
    "event": ("event", []),
    "event-two-envs": ("event", ["environments=dev,staging"]),
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("budgets")
    return {
        key: Path(generate(make_spec(kind, "orders-api", data=data), out / key).destination)
        for key, (kind, data) in SPECS.items()
    }


@pytest.mark.parametrize("key", SPECS)
def test_no_budget_alerts_on_an_idle_stack(generated: dict[str, Path], key: str) -> None:
    # The 80 % forecast alert must not fire on what the environment costs before any usage:
    # NAT gateways alone are about 110 USD a month in a 3-AZ prod.
    kind, data = SPECS[key]
    spec = make_spec(kind, "orders-api", data=data)
    for env in spec.environments:
        call = hcl.blocks(hcl.load_dir(generated[key] / "infra" / "envs" / env), "module")
        budget = call["service"]["monthly_budget_usd"]
        floor = idle_floor(spec, env)
        assert 0.8 * budget > floor, f"{key} {env}: {budget} USD for an idle cost of {floor:.0f}"
        assert budget <= 2 * floor + 10  # and no more than twice that by default


def test_the_floor_counts_what_an_environment_runs() -> None:
    spec = make_spec("web", "orders-api", data=["database=postgres"])
    prod, dev = idle_items(spec, "prod"), idle_items(spec, "dev")
    assert prod["NAT gateways"] == pytest.approx(3 * (0.045 + 0.005) * 730)
    assert dev["NAT gateways"] == pytest.approx((0.045 + 0.005) * 730)
    assert prod["database"] > 2 * dev["database"] - 1  # Multi-AZ medium vs single-AZ small
    assert "database" not in idle_items(make_spec("web", "orders-api"), "prod")


@pytest.mark.parametrize("key", SPECS)
def test_copier_computes_the_same_budgets(key: str) -> None:
    # copier.yml's derived `budgets` (plain `copier copy`) is the same computation in Jinja.
    kind, data = SPECS[key]
    spec = make_spec(kind, "orders-api", data=data)
    for given in (0, 5000):
        # copier.yml asks for capabilities before budgets, as a derived value of its own
        answers = {
            **spec.answers(),
            "capabilities": spec.derived()["capabilities"],
            "monthly_budget_usd": given,
        }
        env = jinja2.Environment(undefined=jinja2.StrictUndefined)
        rendered = env.from_string(budgets_jinja()).render(**answers)
        expected = budgets(spec.model_copy(update={"monthly_budget_usd": given}))
        assert json.loads(rendered) == expected


def test_a_budget_below_the_idle_cost_is_refused() -> None:
    with pytest.raises(InvalidAnswersError, match="forecast alert would fire from day one"):
        make_spec("event", "orders-api", data=["monthly_budget_usd=50"])
    assert make_spec("event", "orders-api", data=["monthly_budget_usd=500"]).monthly_budget_usd


def test_each_environment_budget_counts_only_its_own_stack(generated: dict[str, Path]) -> None:
    planned = plan(
        MODULES / "budget",
        tree=MODULES,
        variables={
            "name": "orders-api",
            "environment": "staging",
            "monthly_budget_usd": 240,
            "alert_emails": ["team@example.com"],
        },
    )
    (budget,) = planned.of_type("aws_budgets_budget").values()
    (tag_filter,) = [f for f in budget["cost_filter"] if f["name"] == "TagKeyValue"]
    assert tag_filter["values"] == ["user:stack$orders-api-staging"]
    # ... and every resource of that environment carries the tag (provider default_tags).
    for env in ("dev", "staging", "prod"):
        versions = (generated["web"] / "infra" / "envs" / env / "versions.tf").read_text()
        assert f'stack         = "orders-api-{env}"' in versions


def test_the_docs_say_to_activate_the_cost_allocation_tags(generated: dict[str, Path]) -> None:
    readme = (generated["batch"] / "infra" / "README.md").read_text(encoding="utf-8")
    assert "aws ce update-cost-allocation-tags-status" in readme
    assert "TagKey=stack,Status=Active" in readme and "read 0 USD" in readme
    runbook = (generated["batch"] / "docs" / "runbook.md").read_text(encoding="utf-8")
    assert "reads 0 USD until the cost allocation tags are active" in runbook

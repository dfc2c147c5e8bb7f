"""The generated operations docs: specific to the service, covering every alarm, linked up."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from generator import generate, make_spec
from generator.adr import new_adr
from generator.docs.markdown import anchors, broken_links, slug
from generator.docs.runbook import coverage
from generator.errors import BadInputError, InvalidAnswersError

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p for p in (REPO / "samples").iterdir() if p.is_dir())
DOCS = ("runbook", "architecture", "slo", "dr", "risk-register")


def read(sample: str, path: str) -> str:
    return (REPO / "samples" / sample / path).read_text(encoding="utf-8")


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_every_sample_has_the_docs_linked_and_covering_its_alarms(sample: Path) -> None:
    for name in DOCS:
        assert (sample / "docs" / f"{name}.md").is_file(), name
    for path in ("docs/adr/0001-record-architecture-decisions.md",
                 "docs/adr/0002-service-architecture.md", "docs/adr/README.md",
                 "catalog-info.yaml", "CONTRIBUTING.md", ".github/pull_request_template.md",
                 ".github/workflows/weekly-report.yml", "scripts/service_report.py"):  # fmt: skip
        assert (sample / path).is_file(), path
    assert broken_links(sample) == []
    found = coverage(sample)
    assert found.ok, found.describe()
    assert found.alarms >= 4 and found.alarms == found.sections


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_docs_name_the_service_and_leave_no_blanks(sample: Path) -> None:
    name = re.search(r"^name: (\S+)$", read(sample.name, ".copier-answers.yml"), re.M)
    assert name
    for doc in DOCS:
        text = read(sample.name, f"docs/{doc}.md")
        assert name.group(1) in text, doc
        # No unfilled placeholders or template debris.
        for debris in ("TODO", "TBD", "lorem", "{{", "{%", "XXX", "(known after apply)"):
            assert debris not in text, (doc, debris)


def test_web_with_postgres_docs_cover_the_database() -> None:
    runbook = read("web-postgres", "docs/runbook.md")
    assert {"alarm-db-cpu", "alarm-db-free-storage"} <= set(anchors(runbook))
    assert 'aws ecs describe-services --cluster "$SERVICE" --services "$SERVICE"' in runbook
    dr = read("web-postgres", "docs/dr.md")
    assert "restore-db-instance-to-point-in-time" in dr
    assert "| **RPO** (recovery point) | 15 min |" in dr
    risks = read("web-postgres", "docs/risk-register.md")
    assert "database fails over" in risks and "single NAT gateway" in risks
    architecture = read("web-postgres", "docs/architecture.md")
    assert "```mermaid" in architecture and "RDS PostgreSQL" in architecture
    adr = read("web-postgres", "docs/adr/0002-service-architecture.md")
    assert "one NAT gateway per AZ" in adr and "RDS PostgreSQL" in adr


def test_web_without_a_database_has_no_database_sections() -> None:
    runbook = read("web-internal", "docs/runbook.md")
    assert "alarm-db-cpu" not in anchors(runbook)
    assert "RDS" not in read("web-internal", "docs/architecture.md")
    assert "no state of its own" in read("web-internal", "docs/dr.md")


def test_slo_error_budget_and_burn_rate_table() -> None:
    slo = read("web-postgres", "docs/slo.md")
    # 99.9 % over 30 days: 43.2 minutes; thresholds = burn rate x 0.1 %.
    assert "**43.2 minutes**" in slo
    assert (
        "| [slo-burn-fast](runbook.md#alarm-slo-burn-fast) | 14.4x | 1 h | 5 min | 1.44 % |" in slo
    )
    assert "## Error budget policy" in slo and "feature freeze" in slo


def test_batch_docs_follow_the_schedule() -> None:
    runbook = read("batch", "docs/runbook.md")
    assert "cron(0 3 * * ? *)" in runbook and "nightly-report-<env>-idempotency" in runbook
    assert "JOB_SCHEDULED_TIME" in read("batch", "docs/dr.md")  # re-run a given date
    slo = read("batch", "docs/slo.md")
    assert "about 30 scheduled runs" in slo and "any failed attempt breaks the objective" in slo
    assert "missed" in read("batch", "docs/risk-register.md")


def test_event_docs_follow_the_source() -> None:
    assert "start-message-move-task" in read("event-sqs", "docs/dr.md")  # DLQ redrive
    assert "Poison messages" in read("event-sqs", "docs/risk-register.md")
    assert "SNS topic" in read("event-sns", "docs/architecture.md")
    assert "EventBridge rule" in read("event-eventbridge", "docs/architecture.md")
    assert "archive" in read("event-eventbridge", "docs/dr.md")


def test_catalog_info_is_a_backstage_component() -> None:
    import yaml

    entity = yaml.safe_load(read("web-postgres", "catalog-info.yaml"))
    assert entity["kind"] == "Component" and entity["metadata"]["name"] == "orders-api"
    assert entity["spec"] == {
        "type": "service",
        "lifecycle": "production",
        "owner": "group:orders",
        "system": "orders-api",
    }
    titles = {link["title"] for link in entity["metadata"]["links"]}
    assert {"Runbook", "Dashboard (prod)", "SLOs and error budget"} <= titles


def test_a_monthly_job_has_no_heartbeat_alarm_and_no_section(tmp_path: Path) -> None:
    # Longer than the 7 days a CloudWatch alarm can look back: Terraform creates no
    # job-did-not-run alarm, and the docs say how to cover missed runs instead.
    spec = make_spec("batch", "month-end", data=["schedule=cron(0 3 1 * ? *)"])
    repo = Path(generate(spec, tmp_path / "month-end").destination)
    found = coverage(repo)
    assert found.ok, found.describe()
    assert found.alarms == 3
    runbook = (repo / "docs" / "runbook.md").read_text()
    assert "alarm-job-did-not-run" not in anchors(runbook)
    assert "dead man's switch" in runbook
    assert broken_links(repo) == []


def test_rto_and_rpo_are_spec_fields_with_defaults_per_type() -> None:
    assert (make_spec("batch", "a-job").rto_minutes, make_spec("batch", "a-job").rpo_minutes) == (
        240,
        1440,
    )
    assert make_spec("event", "a-consumer").rpo_minutes == 0
    with pytest.raises(InvalidAnswersError, match="postgres cannot meet rpo_minutes 2"):
        make_spec("web", "an-api", data=["database=postgres", "rpo_minutes=2"])
    with pytest.raises(InvalidAnswersError, match="rto_minutes"):
        make_spec("web", "an-api", data=["rto_minutes=1"])


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Record architecture decisions", "record-architecture-decisions"),
        ("Use `Aurora`, not RDS!", "use-aurora-not-rds"),
        ("5XX errors: what counts?", "5xx-errors-what-counts"),
        ("alarm-queue-age", "alarm-queue-age"),
    ],
)
def test_github_heading_anchors(title: str, expected: str) -> None:
    assert slug(title) == expected


def test_repeated_headings_are_numbered() -> None:
    text = "# A\n\n## Diagnosis\n\n```sh\n# not a heading\n```\n\n## Diagnosis\n"
    assert anchors(text) == ["a", "diagnosis", "diagnosis-1"]


def test_adr_new_numbers_indexes_and_never_overwrites(tmp_path: Path) -> None:
    repo = tmp_path / "svc"
    adr = repo / "docs" / "adr"
    adr.mkdir(parents=True)
    (adr / "0001-record-architecture-decisions.md").write_text("# 1. Record\n")
    (adr / "0007-older-numbering.md").write_text("# 7. Older\n")
    (adr / "README.md").write_text("| ADR | Title | Status |\n|---|---|---|\n")
    written = new_adr(repo, "Use Aurora for reporting", today=date(2026, 11, 28))
    assert written.number == 8 and written.path == "docs/adr/0008-use-aurora-for-reporting.md"
    body = (repo / written.path).read_text()
    assert body.startswith("# 8. Use Aurora for reporting\n\nDate: 2026-11-28\n\n## Status\n\n")
    assert "Proposed" in body
    index = (adr / "README.md").read_text()
    assert index.endswith(
        "| [8](0008-use-aurora-for-reporting.md) | Use Aurora for reporting | Proposed |\n"
    )
    assert broken_links(repo) == []
    second = new_adr(repo, "Use Aurora for reporting")
    assert second.number == 9  # a new record, never the old one rewritten
    for bad in ("", "   ", "a | b", "x" * 101, "two\nlines"):
        with pytest.raises(BadInputError):
            new_adr(repo, bad)
    with pytest.raises(BadInputError, match="no docs/adr/ folder"):
        new_adr(tmp_path, "Anything")


def test_adr_new_cli(cli, tmp_path: Path) -> None:
    spec = make_spec("event", "adr-cli")
    repo = Path(generate(spec, tmp_path / "adr-cli").destination)
    result = cli("adr", "new", "Move to FIFO queues", "--repo", str(repo))
    assert result.exit_code == 0, result.output
    assert "docs/adr/0003-move-to-fifo-queues.md" in result.output
    assert (repo / "docs" / "adr" / "0003-move-to-fifo-queues.md").is_file()
    bad = cli("adr", "new", "", "--repo", str(repo))
    assert bad.exit_code == 2 and "title is empty" in bad.stderr


DOC_VARIANTS = {
    "web-postgres": ("web", ["database=postgres"]),
    "web": ("web", []),
    "batch": ("batch", []),
    "event": ("event", ["source=sns"]),
}


@pytest.fixture(scope="module")
def fresh_docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each type's docs rendered from the templates now (not the committed samples)."""
    out = tmp_path_factory.mktemp("docs")
    made = {}
    for key, (service_type, data) in DOC_VARIANTS.items():
        spec = make_spec(service_type, "orders-api", data=data)
        made[key] = Path(generate(spec, out / key).destination) / "docs"
    return made


@pytest.mark.parametrize("key", DOC_VARIANTS)
def test_every_markdown_table_has_its_rows_right_under_the_header(
    fresh_docs: dict[str, Path], key: str
) -> None:
    # A blank line after `|---|` ends the table: the rows below render as plain text.
    for path in fresh_docs[key].rglob("*.md"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines[:-1]):
            if re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", line.strip()):
                split = lines[number + 1].strip() == "" and lines[number + 2 :][:1] != [""]
                split = split and lines[number + 2 :][:1][0].startswith("|")
                assert not split, f"{path.name}:{number + 2}: a blank line splits the table"


@pytest.mark.parametrize("key", DOC_VARIANTS)
def test_time_ranges_in_doc_commands_work_with_gnu_and_bsd_date(
    fresh_docs: dict[str, Path], key: str
) -> None:
    import subprocess

    for path in fresh_docs[key].rglob("*.md"):
        for expression in re.findall(r"\$\((date [^)]*)\)", path.read_text(encoding="utf-8")):
            if " -d " in expression:  # GNU-only unless it falls back to BSD's -v
                assert "|| date -u -v" in expression, f"{path.name}: {expression}"
            done = subprocess.run(
                ["bash", "-c", f"echo $({expression})"], capture_output=True, text=True, check=True
            )
            assert done.stdout.strip(), expression
            if "%FT%TZ" in expression:
                assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", done.stdout.strip())

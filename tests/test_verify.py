"""scaffold verify: a clean generated repository passes, and every check can fail."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from generator import generate, make_spec
from generator.verify import available_checks, junit_xml, verify
from generator.verify.checks.secrets import scan_text


@pytest.fixture(scope="module")
def clean_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = make_spec("event", "verify-me", data=["source=sqs", "github_org=acme"])
    return Path(generate(spec, tmp_path_factory.mktemp("verify") / "verify-me").destination)


@pytest.fixture
def broken(clean_repo: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "verify-me"
    shutil.copytree(clean_repo, copy)
    return copy


def results_of(repo: Path, check: str) -> list:
    report = verify([repo], only=[check])
    assert {r.check for r in report.results} == {check}
    return report.results


@pytest.mark.slow
def test_a_generated_repository_passes_every_check(clean_repo: Path) -> None:
    report = verify([clean_repo])
    # every check but the opt-in ones (the deploy rehearsal runs only with --only rehearsal)
    names = {c.name for c in available_checks() if getattr(c, "default", True)}
    assert {r.check for r in report.results} == names and "rehearsal" not in names
    failed = [f"{r.check}: {r.reason}" for r in report.results if r.status == "failed"]
    assert report.ok, failed
    for r in report.results:
        if r.status == "skipped":  # only for a missing tool or provider, with the reason
            assert r.check == "terraform-validate" and "provider unavailable" in r.reason


def test_fmt_fails_on_a_misformatted_tf_file(broken: Path) -> None:
    (broken / "infra" / "service" / "extra.tf").write_text("locals {\nx=1\n}\n")
    (result,) = results_of(broken, "terraform-fmt")
    assert result.status == "failed" and "infra/service/extra.tf" in result.reason


def test_checkov_fails_when_encryption_is_removed(broken: Path) -> None:
    main = broken / "infra" / "modules" / "event-consumer" / "main.tf"
    main.write_text(re.sub(r"\n\s*kms_master_key_id\s*=.*", "", main.read_text()))
    (result,) = results_of(broken, "checkov")
    assert result.status == "failed" and "CKV_AWS_27" in result.reason


def test_workflows_fail_on_an_invalid_key(broken: Path) -> None:
    ci = broken / ".github" / "workflows" / "ci.yml"
    ci.write_text(ci.read_text().replace("jobs:", "jobz:", 1))
    (result,) = results_of(broken, "workflows")
    assert result.status == "failed"


def test_yamllint_fails_on_bad_yaml(broken: Path) -> None:
    (broken / "config.yml").write_text("key: 1\nkey: 2   \n")
    (result,) = results_of(broken, "yamllint")
    assert result.status == "failed" and "duplicate" in result.reason


def test_ruff_fails_on_lint_errors(broken: Path) -> None:
    (broken / "src" / "verify_me" / "bad.py").write_text("import os\n")
    (result,) = results_of(broken, "ruff")
    assert result.status == "failed" and "F401" in result.reason


def test_secrets_scan_fails_on_a_fake_aws_key(broken: Path) -> None:
    fake_id = (
        "AKIA" + "IOSFODNN7EXAMPLE"
    )  # AWS's documented example key, split so this file stays clean
    (broken / "notes.txt").write_text(f"aws_access_key_id = {fake_id}\n")
    (result,) = results_of(broken, "secrets")
    assert result.status == "failed" and "notes.txt: AWS access key id" in result.reason


def test_conflicts_check_fails_on_markers_left_by_an_update(broken: Path) -> None:
    (broken / "Makefile").write_text(
        "all:\n<<<<<<< yours (v1.0.0)\n\techo ours\n=======\n\techo theirs\n"
        ">>>>>>> template v2.0.0\n"
    )
    (broken / "notes.md").write_text("Title\n=======\n")  # a heading underline is fine
    (result,) = results_of(broken, "conflicts")
    assert result.status == "failed"
    assert result.reason == "unresolved conflict markers at Makefile:2"


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (
            "aws_secret_access_key = " + "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            ["AWS secret access key"],
        ),
        ("-----BEGIN RSA " + "PRIVATE KEY-----", ["private key"]),
        ("token: ghp_" + "a" * 36, ["GitHub token"]),
        ("nothing to see here", []),
    ],
)
def test_secret_patterns(text: str, kinds: list[str]) -> None:
    assert scan_text(text) == kinds


@pytest.mark.slow
def test_tests_check_fails_on_a_failing_test(broken: Path) -> None:
    (broken / "tests" / "test_broken.py").write_text("def test_broken():\n    assert 1 == 2\n")
    (result,) = results_of(broken, "tests")
    assert result.status == "failed" and "1 failed" in result.reason


def test_runbook_fails_for_an_alarm_without_a_section(broken: Path) -> None:
    runbook = broken / "docs" / "runbook.md"
    text = runbook.read_text()
    start = text.index("### alarm-dlq-depth")
    runbook.write_text(text[:start] + text[text.index("### alarm-lambda-errors") :])
    (result,) = results_of(broken, "runbook")
    assert result.status == "failed"
    assert "alarm without a runbook section: alarm-dlq-depth" in result.reason


def test_runbook_fails_for_a_section_without_an_alarm(broken: Path) -> None:
    # The alarm goes away from the observability module's catalog (the data every alarm,
    # name and anchor comes from): its runbook section is left without an alarm.
    main = broken / "infra" / "modules" / "observability" / "main.tf"
    text = main.read_text()
    start = text.index('    "lambda-throttles" = {')
    end = text.index('    "function-dlq-depth" = {')
    main.write_text(text[:start] + text[end:])
    (result,) = results_of(broken, "runbook")
    assert result.status == "failed"
    assert "runbook section without an alarm: alarm-lambda-throttles" in result.reason


def test_runbook_fails_for_an_own_alarm_without_a_runbook_link(broken: Path) -> None:
    extra = broken / "infra" / "service" / "own_alarms.tf"
    extra.write_text(
        'resource "aws_cloudwatch_metric_alarm" "orders_stuck" {\n'
        '  alarm_name          = "orders-stuck"\n'
        '  alarm_description   = "Orders are stuck."\n'
        '  comparison_operator = "GreaterThanThreshold"\n'
        "  evaluation_periods  = 1\n"
        "  threshold           = 0\n"
        "}\n"
    )
    (result,) = results_of(broken, "runbook")
    assert result.status == "failed"
    assert "aws_cloudwatch_metric_alarm.orders_stuck has no runbook link" in result.reason
    # With the link it needs its section; with the section it passes.
    extra.write_text(
        extra.read_text().replace(
            "Orders are stuck.",
            "Orders are stuck. Runbook: ${local.runbook_url}#alarm-orders-stuck",
        )
    )
    (result,) = results_of(broken, "runbook")
    assert "alarm without a runbook section: alarm-orders-stuck" in result.reason
    runbook = broken / "docs" / "runbook.md"
    runbook.write_text(runbook.read_text() + "\n### alarm-orders-stuck\n\nWhat to do.\n")
    (result,) = results_of(broken, "runbook")
    assert result.status == "passed", result.reason


def test_markdown_fails_on_a_broken_anchor_and_on_lint(broken: Path) -> None:
    slo = broken / "docs" / "slo.md"
    slo.write_text(slo.read_text().replace("runbook.md#alarm-queue-age", "runbook.md#alarm-gone"))
    (result,) = results_of(broken, "markdown")
    assert result.status == "failed"
    assert "docs/slo.md: runbook.md#alarm-gone (no heading with this anchor)" in result.reason
    slo.write_text(slo.read_text().replace("runbook.md#alarm-gone", "runbook.md#alarm-queue-age"))
    dr = broken / "docs" / "dr.md"
    dr.write_text(dr.read_text().replace("```sh\n", "```\n", 1))
    (result,) = results_of(broken, "markdown")
    assert result.status == "failed" and "MD040" in result.reason


def test_unknown_check_names_are_refused(cli, clean_repo: Path) -> None:
    result = cli("verify", str(clean_repo), "--only", "lint-everything")
    assert result.exit_code == 2
    assert "unknown check(s) 'lint-everything'" in result.stderr and "checkov" in result.stderr
    missing = cli("verify", str(clean_repo / "nope"))
    assert missing.exit_code == 2 and "not a folder" in missing.stderr


def test_cli_json_junit_and_exit_code(cli, broken: Path, tmp_path: Path) -> None:
    (broken / "notes.txt").write_text("-----BEGIN OPENSSH " + "PRIVATE KEY-----\n")
    junit = tmp_path / "verify.xml"
    result = cli(
        "verify",
        str(broken),
        "--only",
        "secrets",
        "--only",
        "ruff",
        "--json",
        "--junit-xml",
        str(junit),
    )
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    statuses = {r["check"]: r["status"] for r in payload["results"]}
    assert statuses == {"secrets": "failed", "ruff": "passed"}
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "1" and suite.get("tests") == "2"


def test_junit_xml_marks_skips(clean_repo: Path) -> None:
    report = verify([clean_repo], only=["terraform-fmt", "secrets"])
    root = ET.fromstring(junit_xml(report))
    assert {case.get("name") for case in root.iter("testcase")} == {"terraform-fmt", "secrets"}


def test_the_rehearsal_is_opt_in(clean_repo: Path) -> None:
    report = verify([clean_repo], only=["yamllint"])
    assert [r.check for r in report.results] == ["yamllint"]
    everything = verify([clean_repo], skip=[c.name for c in available_checks() if c.name != "ruff"])
    assert [r.check for r in everything.results] == ["ruff"], "never part of a plain verify"


def test_the_rehearsal_says_why_it_cannot_run(
    clean_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SCAFFOLD_TF_PROVIDER_MIRROR", raising=False)
    monkeypatch.delenv("TF_PLUGIN_CACHE_DIR", raising=False)
    (result,) = results_of(clean_repo, "rehearsal")
    assert result.status == "skipped" and result.reason.startswith("provider unavailable")


def test_the_rehearsal_without_moto_is_skipped_with_the_install_command(
    clean_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "moto" else real(name, *a)
    )
    (result,) = results_of(clean_repo, "rehearsal")
    assert result.status == "skipped"
    assert "moto[server] is not installed" in result.reason and "[rehearsal]" in result.reason

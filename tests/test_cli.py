"""The CLI through typer's CliRunner: output, exit codes, and bad input that writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import new as new_cmd


def test_types_lists_every_type(cli) -> None:
    result = cli("types")
    assert result.exit_code == 0
    for name in ("web-service", "batch-service", "event-service"):
        assert name in result.stdout
    data = json.loads(cli("types", "--json").stdout)
    assert [t["alias"] for t in data] == ["web", "batch", "event"]
    assert "schedule" in data[1]["answers"]


def test_schema_prints_json_schema(cli) -> None:
    result = cli("schema", "batch-service")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["properties"]["schedule"]["default"] == "cron(0 2 * * ? *)"
    bad = cli("schema", "lambda")
    assert bad.exit_code == 2
    assert "unknown service type 'lambda'" in bad.stderr


def test_new_with_defaults_writes_the_repository(cli, tmp_path: Path) -> None:
    dest = tmp_path / "orders-api"
    result = cli("new", "web-service", "orders-api", "--defaults", "-o", str(dest))
    assert result.exit_code == 0, result.stderr
    assert "created web-service orders-api" in result.stderr
    answers = (dest / ".copier-answers.yml").read_text()
    assert "name: orders-api" in answers
    assert "service_type: web-service" in answers


def test_new_json_reports_the_files(cli, tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    result = cli(
        "new",
        "event",
        "payment-events",
        "--defaults",
        "-o",
        str(dest),
        "--json",
        "--data",
        "memory_mb=512",
    )
    payload = json.loads(result.stdout)
    assert payload["answers"]["memory_mb"] == 512
    assert ".copier-answers.yml" in payload["files"]
    assert all((dest / f).is_file() for f in payload["files"])


def test_dry_run_prints_the_tree_and_writes_nothing(cli, tmp_path: Path) -> None:
    dest = tmp_path / "orders-api"
    result = cli("new", "web", "orders-api", "--defaults", "--dry-run", "-o", str(dest))
    assert result.exit_code == 0
    assert ".copier-answers.yml" in result.stdout
    assert "nothing was written" in result.stderr
    assert not dest.exists()
    assert list(tmp_path.iterdir()) == []


BAD_INPUTS = [
    (["new", "web", ""], "it is empty"),
    (["new", "web", "Orders"], "uppercase"),
    (["new", "web", "orders api"], "whitespace"),
    (["new", "web", "9orders"], "starts with a digit"),
    (["new", "web", "a-very-long-service-name-indeed"], "characters long"),
    (["new", "web", "orders/api"], "looks like a path"),
    (["new", "web", ".."], "looks like a path"),
    (["new", "web", "orders;reboot"], "shell metacharacters"),
    (["new", "web", "ördérs"], "non-ASCII"),
    (["new", "serverless", "orders-api"], "unknown service type 'serverless'"),
    (["new", "web", "orders-api", "--data", "colour=blue"], "colour: not an answer"),
    (["new", "web", "orders-api", "--data", "port=eighty"], "port: 'eighty' is not a whole number"),
    (["new", "batch", "nightly", "--data", "schedule=cron(0 2 * * *)"], "schedule:"),
    (["new", "event", "payments", "--data", "batch_size=500"], "batch_size:"),
    (["new", "web", "orders-api", "--data", "port"], "expected KEY=VALUE"),
    (["new", "web", "orders-api", "--data-file", "missing.yml"], "does not exist"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUTS)
def test_bad_input_is_one_clear_message_exit_2_nothing_written(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli(*args, "--defaults")
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr + result.stdout
    assert list(tmp_path.iterdir()) == []


def test_malformed_data_file(cli, tmp_path: Path) -> None:
    bad = tmp_path / "answers.yml"
    bad.write_text("source: [sqs\n")
    result = cli("new", "event", "payments", "--data-file", str(bad), "-o", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "not valid YAML" in result.stderr
    assert not (tmp_path / "o").exists()


def test_all_problems_are_reported_at_once(cli, tmp_path: Path) -> None:
    result = cli(
        "new",
        "web",
        "orders-api",
        "--data",
        "port=1",
        "--data",
        "cpu=3",
        "--data",
        "database=oracle",
        "-o",
        str(tmp_path / "o"),
    )
    assert result.exit_code == 2
    assert "3 answers are invalid" in result.stderr
    for field in ("port:", "cpu:", "database:"):
        assert field in result.stderr


def test_json_errors_for_machines(cli, tmp_path: Path) -> None:
    result = cli(
        "new", "web", "orders-api", "--json", "--data", "port=1", "-o", str(tmp_path / "o")
    )
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["exit_code"] == 2
    assert error["problems"][0]["field"] == "port"


def test_non_empty_destination_is_refused_unless_forced(cli, tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine")
    (dest / ".gitignore").write_text("old")
    refused = cli("new", "web", "orders-api", "--defaults", "-o", str(dest))
    assert refused.exit_code == 2
    assert "not empty" in refused.stderr
    assert sorted(p.name for p in dest.iterdir()) == [".gitignore", "notes.txt"]
    forced = cli("new", "web", "orders-api", "--defaults", "-o", str(dest), "--force")
    assert forced.exit_code == 0
    assert (dest / "notes.txt").read_text() == "mine"
    assert (dest / ".gitignore").read_text() != "old"
    assert "replaced 1 existing files: .gitignore" in forced.stderr


def test_stdin_not_a_terminal_asks_nothing(cli, tmp_path: Path) -> None:
    result = cli("new", "batch", "nightly-report", "-o", str(tmp_path / "o"), input="")
    assert result.exit_code == 0
    assert "?" not in result.stderr.replace("created", "")


def test_interactive_asks_validates_and_confirms(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(new_cmd, "stdin_is_terminal", lambda: True)
    from generator.spec.models import BatchServiceSpec

    fields = [f for f in BatchServiceSpec.model_fields if f not in ("name", "schedule")]
    replies = {"schedule": ["cron(0 2 * * *)", "rate(1 hour)"]}
    from generator.spec.groups import grouped

    asked = [f for f in BatchServiceSpec.model_fields if f not in ("name", "retries")]
    lines = []
    for _, members in grouped(BatchServiceSpec, asked):  # the order the questions come in
        for field in members:
            lines += replies.get(field, [""])
    lines.append("")  # summary confirmation: default yes
    dest = tmp_path / "o"
    result = cli(
        "new",
        "batch",
        "nightly-report",
        "-o",
        str(dest),
        "--data",
        "retries=0",
        input="\n".join(lines) + "\n",
    )
    assert result.exit_code == 0, result.stderr
    assert "6 fields" in result.stderr  # the invalid cron was refused, then asked again
    answers = (dest / ".copier-answers.yml").read_text()
    assert "schedule: rate(1 hour)" in answers
    assert "retries: 0" in answers
    assert len(fields) > 5


def test_interactive_decline_writes_nothing(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(new_cmd, "stdin_is_terminal", lambda: True)
    from generator.spec.models import EventServiceSpec

    lines = [""] * (len(EventServiceSpec.model_fields) - 1) + ["n"]
    dest = tmp_path / "o"
    result = cli("new", "event", "payments", "-o", str(dest), input="\n".join(lines) + "\n")
    assert result.exit_code == 2
    assert "nothing was written" in result.stderr
    assert not dest.exists()


def test_new_into_an_existing_empty_folder_keeps_the_folder(cli, tmp_path: Path) -> None:
    """`scaffold new ... -o .` in an empty folder must not replace the shell's directory."""
    dest = tmp_path / "here"
    dest.mkdir()
    inode = dest.stat().st_ino
    result = cli("new", "batch", "nightly-report", "--defaults", "-o", str(dest))
    assert result.exit_code == 0, result.output
    assert dest.stat().st_ino == inode and (dest / ".copier-answers.yml").is_file()

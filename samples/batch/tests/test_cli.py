"""The entrypoint end to end: idempotency, timeout, SIGTERM, exit codes and JSON log lines."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from nightly_report import job
from nightly_report.cli import EXIT_CODE_MEANINGS, ExitCode, main
from nightly_report.idempotency import RunStatus
from tests.support import KEY, SCHEDULED_TIME, TABLE, get_record, json_lines, put_record

README = Path(__file__).parents[1] / "README.md"


@pytest.fixture
def job_env(monkeypatch: pytest.MonkeyPatch, dynamodb: Any) -> None:
    """The environment ECS gives the task for the run scheduled at SCHEDULED_TIME."""
    monkeypatch.setenv("JOB_IDEMPOTENCY_TABLE", TABLE)
    monkeypatch.setenv("JOB_SCHEDULED_TIME", SCHEDULED_TIME)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[job.JobContext]:
    """Record every call of job.run (which still does the real work)."""
    seen: list[job.JobContext] = []
    real_run = job.run

    def recording_run(context: job.JobContext) -> dict[str, Any]:
        seen.append(context)
        return real_run(context)

    monkeypatch.setattr(job, "run", recording_run)
    return seen


@pytest.mark.usefixtures("job_env")
def test_a_run_completes_and_records_its_summary(
    calls: list[job.JobContext], dynamodb: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([]) == ExitCode.OK

    assert len(calls) == 1
    record = get_record(dynamodb)
    assert record["status"] == RunStatus.COMPLETED
    assert record["run_id"] == calls[0].run_id
    logs = json_lines(capsys.readouterr().out)
    assert any(line["message"] == "job completed" for line in logs)


@pytest.mark.usefixtures("job_env")
def test_every_log_line_is_json_with_run_id_and_idempotency_key(
    calls: list[job.JobContext], capsys: pytest.CaptureFixture[str]
) -> None:
    main([])

    logs = json_lines(capsys.readouterr().out)
    assert len(logs) >= 3
    run_id = calls[0].run_id
    assert re.fullmatch(r"[0-9a-f-]{36}", run_id)
    for line in logs:
        assert line["run_id"] == run_id
        assert line["idempotency_key"] == KEY
        assert line["scheduled_time"] == "2024-05-01T02:00:00+00:00"
        assert line["service"] == "nightly-report"


@pytest.mark.usefixtures("job_env")
def test_each_attempt_gets_its_own_run_id(
    monkeypatch: pytest.MonkeyPatch, calls: list[job.JobContext]
) -> None:
    main([])
    monkeypatch.setenv("JOB_SCHEDULED_TIME", "2024-05-02T02:00:00Z")
    main([])

    assert calls[0].run_id != calls[1].run_id


@pytest.mark.usefixtures("job_env")
def test_a_completed_run_is_skipped(
    monkeypatch: pytest.MonkeyPatch,
    calls: list[job.JobContext],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([]) == ExitCode.OK
    capsys.readouterr()
    # The same instant written with another offset is the same scheduled run.
    monkeypatch.setenv("JOB_SCHEDULED_TIME", "2024-05-01T04:00:00+02:00")

    assert main([]) == ExitCode.OK

    assert len(calls) == 1
    messages = [line["message"] for line in json_lines(capsys.readouterr().out)]
    assert "run already completed by an earlier attempt; skipping" in messages


@pytest.mark.usefixtures("job_env")
def test_a_run_held_by_a_live_attempt_is_refused(
    dynamodb: Any, calls: list[job.JobContext], capsys: pytest.CaptureFixture[str]
) -> None:
    put_record(
        dynamodb,
        status=RunStatus.IN_PROGRESS,
        lease_expires_at=int(time.time()) + 600,
        expires_at=int(time.time()) + 3600,
    )

    assert main([]) == ExitCode.IN_PROGRESS

    assert calls == []
    assert get_record(dynamodb)["run_id"] == "earlier-run"
    refusal = [line for line in json_lines(capsys.readouterr().out) if "held_by_run_id" in line]
    assert refusal[0]["held_by_run_id"] == "earlier-run"


@pytest.mark.usefixtures("job_env")
def test_a_run_whose_attempt_died_is_taken_over_after_its_lease(
    dynamodb: Any, calls: list[job.JobContext]
) -> None:
    put_record(
        dynamodb,
        status=RunStatus.IN_PROGRESS,
        lease_expires_at=int(time.time()) - 1,
        expires_at=int(time.time()) + 3600,
    )

    assert main([]) == ExitCode.OK

    assert len(calls) == 1
    assert get_record(dynamodb)["status"] == RunStatus.COMPLETED


@pytest.mark.usefixtures("job_env")
def test_the_last_line_carries_what_the_alarms_read(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """infra/ turns `run finished` lines into success, failure and duration metrics."""
    assert main([]) == ExitCode.OK
    monkeypatch.setattr(job, "run", lambda context: 1 / 0)
    monkeypatch.setenv("JOB_SCHEDULED_TIME", "2030-01-02T02:00:00Z")
    assert main([]) == ExitCode.JOB_FAILED
    finished = [
        line for line in json_lines(capsys.readouterr().out) if line["message"] == "run finished"
    ]
    assert [line["exit_code"] for line in finished] == [0, 1]
    assert all(line["duration_seconds"] >= 0 for line in finished)


@pytest.mark.usefixtures("job_env")
def test_a_failing_job_exits_1_and_may_be_retried(
    monkeypatch: pytest.MonkeyPatch, dynamodb: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    attempts: list[str] = []

    def fails_once(context: job.JobContext) -> dict[str, Any]:
        attempts.append(context.run_id)
        if len(attempts) == 1:
            raise RuntimeError("input missing")
        return {"attempt": len(attempts)}

    monkeypatch.setattr(job, "run", fails_once)

    assert main([]) == ExitCode.JOB_FAILED
    record = get_record(dynamodb)
    assert (record["status"], record["error"]) == (RunStatus.FAILED, "RuntimeError: input missing")
    failure = [line for line in json_lines(capsys.readouterr().out) if "exception" in line]
    assert "input missing" in failure[0]["exception"]

    assert main([]) == ExitCode.OK
    record = get_record(dynamodb)
    assert (record["status"], record["run_id"]) == (RunStatus.COMPLETED, attempts[1])


@pytest.mark.usefixtures("job_env")
def test_a_job_that_overruns_its_timeout_exits_124(
    monkeypatch: pytest.MonkeyPatch, dynamodb: Any
) -> None:
    monkeypatch.setenv("JOB_TIMEOUT_SECONDS", "0.1")
    monkeypatch.setattr(job, "run", lambda context: time.sleep(5))
    started = time.monotonic()

    assert main([]) == ExitCode.TIMEOUT

    assert time.monotonic() - started < 3
    record = get_record(dynamodb)
    assert (record["status"], record["error"]) == (RunStatus.FAILED, "timed out after 0.1 s")


@pytest.mark.usefixtures("job_env")
def test_sigterm_stops_the_job_with_143(monkeypatch: pytest.MonkeyPatch, dynamodb: Any) -> None:
    def stopped_run(context: job.JobContext) -> dict[str, Any]:
        os.kill(os.getpid(), signal.SIGTERM)  # what ECS sends when it stops the task
        time.sleep(5)
        return {}

    monkeypatch.setattr(job, "run", stopped_run)

    assert main([]) == ExitCode.TERMINATED

    record = get_record(dynamodb)
    assert (record["status"], record["error"]) == (RunStatus.FAILED, "stopped by SIGTERM")


@pytest.mark.usefixtures("dynamodb")
def test_missing_configuration_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == ExitCode.CONFIG_ERROR

    logs = json_lines(capsys.readouterr().out)
    assert logs[0]["errors"] == ["JOB_IDEMPOTENCY_TABLE: Field required"]
    assert all("run_id" in line for line in logs)


@pytest.mark.usefixtures("job_env")
def test_a_scheduled_time_without_offset_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOB_SCHEDULED_TIME", "2024-05-01T02:00:00")

    assert main([]) == ExitCode.CONFIG_ERROR


@pytest.mark.usefixtures("job_env")
def test_an_unreachable_table_exits_69(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOB_IDEMPOTENCY_TABLE", "no-such-table")

    assert main([]) == ExitCode.STORE_UNAVAILABLE


@pytest.mark.usefixtures("job_env")
def test_a_manual_run_uses_the_current_time_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
    calls: list[job.JobContext],
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("JOB_SCHEDULED_TIME")
    before = time.time()

    assert main([]) == ExitCode.OK

    assert abs(calls[0].scheduled_time.timestamp() - before) < 5
    warnings = [line for line in json_lines(capsys.readouterr().out) if line["level"] == "WARNING"]
    assert "manual run" in warnings[0]["message"]


def test_every_exit_code_is_documented_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")

    assert set(EXIT_CODE_MEANINGS) == set(ExitCode)
    for code in ExitCode:
        assert f"| {code.value} | `{code.name}` |" in readme


def _run_module(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the package as ECS would: a fresh process, configured by its environment."""
    return subprocess.run(  # noqa: S603 - runs this interpreter with fixed arguments
        [sys.executable, "-m", "nightly_report", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_module_exits_2_without_configuration() -> None:
    result = _run_module()

    assert result.returncode == ExitCode.CONFIG_ERROR
    logs = json_lines(result.stdout)
    assert "JOB_IDEMPOTENCY_TABLE: Field required" in logs[0]["errors"]
    assert logs[-1]["exit_code"] == ExitCode.CONFIG_ERROR


def test_the_module_exits_69_when_dynamodb_is_unreachable() -> None:
    with socket.socket() as closed_port:  # bound but not listening: connections are refused
        closed_port.bind(("127.0.0.1", 0))
        port = closed_port.getsockname()[1]
        result = _run_module(
            JOB_IDEMPOTENCY_TABLE=TABLE,
            JOB_SCHEDULED_TIME=SCHEDULED_TIME,
            AWS_ENDPOINT_URL_DYNAMODB=f"http://127.0.0.1:{port}",
        )

    assert result.returncode == ExitCode.STORE_UNAVAILABLE
    logs = json_lines(result.stdout)
    assert {line["idempotency_key"] for line in logs} == {KEY}


def test_help_lists_the_exit_codes() -> None:
    result = _run_module("--help")

    assert result.returncode == 0
    for code in ExitCode:
        assert f"{code.value:>3}  {EXIT_CODE_MEANINGS[code]}" in result.stdout

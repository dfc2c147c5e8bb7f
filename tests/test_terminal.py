"""A real terminal: `scaffold new` asks on a pseudo-terminal, validates, confirms and writes."""

from __future__ import annotations

import os
import pty
import select
import sys
import time
from pathlib import Path

import pytest

from generator.spec.models import EventServiceSpec

SCAFFOLD = Path(sys.executable).parent / "scaffold"


def _talk(args: list[str], replies: list[str], cwd: Path, timeout: float = 60) -> tuple[int, str]:
    """Run `args` on a pty; send each reply after the next prompt appears; return code and text."""
    pid, fd = pty.fork()
    if pid == 0:  # child: the scaffold CLI with the pty as its terminal
        os.chdir(cwd)
        os.environ.update(COLUMNS="120", NO_COLOR="1", TERM="dumb")
        os.execv(str(SCAFFOLD), [str(SCAFFOLD), *args])
    transcript, pending = b"", list(replies)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            transcript += chunk
            if pending and transcript.rstrip().endswith((b":", b"]", b")")):
                os.write(fd, pending.pop(0).encode() + b"\n")
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), transcript.decode(errors="replace")


def test_a_person_is_asked_each_missing_answer(tmp_path: Path) -> None:
    if not SCAFFOLD.exists():
        pytest.skip("the scaffold console script is not installed next to this interpreter")
    questions = len(EventServiceSpec.model_fields) - 2  # name is an argument, source is given
    replies = ["" for _ in range(questions)]
    replies[questions - 5] = "0"  # batch_size: invalid, asked again
    replies.insert(questions - 4, "7")
    replies.append("y")
    code, text = _talk(
        ["new", "event", "payment-events", "-o", "svc", "--data", "source=sns"], replies, tmp_path
    )
    assert code == 0, text
    assert "greater than or equal to 1" in text  # the invalid batch size was refused
    assert "Write the repository to svc?" in text
    answers = (tmp_path / "svc" / ".copier-answers.yml").read_text()
    assert "batch_size: 7" in answers and "source: sns" in answers


def test_a_described_service_is_shown_for_confirmation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not SCAFFOLD.exists():
        pytest.skip("the scaffold console script is not installed next to this interpreter")
    from llm_server import ScriptedServer, answer

    proposal = {
        "service_type": "batch-service", "name": "sales-report", "description": None,
        "owner_team": None, "aws_region": None, "environments": None, "slo_availability": None,
        "monthly_budget_usd": None, "rto_minutes": None, "rpo_minutes": None, "database": None,
        "internet_facing": None, "schedule": "cron(0 2 * * ? *)", "schedule_timezone": None,
        "timeout_minutes": None, "source": None, "batch_size": None, "max_concurrency": None,
    }  # fmt: skip
    with ScriptedServer() as server:
        server.add(answer(proposal))
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(tmp_path / "cache"))
        code, text = _talk(
            ["new", "--describe", "The nightly sales report at 2am.", "-o", "svc"], ["y"], tmp_path
        )
    assert code == 0, text
    assert "proposed: batch-service sales-report" in text
    assert "schedule" in text and "model" in text and "default" in text
    assert "Write the repository to svc?" in text
    assert "schedule: cron(0 2 * * ? *)" in (tmp_path / "svc" / ".copier-answers.yml").read_text()

"""A real terminal: `scaffold new` asks on a pseudo-terminal, validates, confirms and writes."""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from generator.spec.models import EventServiceSpec

SCAFFOLD = Path(sys.executable).parent / "scaffold"


def _talk(
    args: list[str],
    replies: list[str],
    cwd: Path,
    timeout: float = 60,
    by_prompt: dict[str, list[str]] | None = None,
) -> tuple[int, str]:
    """Run `args` on a pty; answer each prompt as it appears; return code and text.

    A prompt whose last line contains a key of `by_prompt` takes that key's next reply; any other
    prompt takes the next of `replies` ("" while they last: the default). Answering by the
    question's words keeps the test true when fields are added or regrouped.
    """
    by_prompt = {key: list(values) for key, values in (by_prompt or {}).items()}
    pid, fd = pty.fork()
    if pid == 0:  # child: the scaffold CLI with the pty as its terminal
        os.chdir(cwd)
        os.environ.update(COLUMNS="120", NO_COLOR="1", TERM="dumb")
        os.execv(str(SCAFFOLD), [str(SCAFFOLD), *args])
    transcript, pending, mark = b"", list(replies), 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        transcript += chunk
        fresh = transcript[mark:].rstrip()  # what came since the last reply (and its echo)
        if fresh.endswith((b":", b"]", b")", b"?")):
            line = fresh.rsplit(b"\n", 1)[-1].decode(errors="replace")
            keyed = next((k for k, v in by_prompt.items() if v and k in line), None)
            reply = (
                by_prompt[keyed].pop(0)
                if keyed is not None
                else pending.pop(0)
                if pending
                else None
            )
            if reply is not None:
                os.write(fd, reply.encode() + b"\n")
                mark = len(transcript)
    else:  # the deadline passed: stop the child rather than wait for it forever
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), transcript.decode(errors="replace")


def test_a_person_is_asked_each_missing_answer(tmp_path: Path) -> None:
    if not SCAFFOLD.exists():
        pytest.skip("the scaffold console script is not installed next to this interpreter")
    questions = len(EventServiceSpec.model_fields) - 2  # name is an argument, source is given
    replies = ["" for _ in range(questions - 1)]  # defaults for all but the batch size
    code, text = _talk(
        ["new", "event", "payment-events", "-o", "svc", "--data", "source=sns"],
        replies,
        tmp_path,
        by_prompt={"Batch size": ["0", "7"], "Write the repository": ["y"]},  # 0 is refused
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

    def model(request: dict[str, Any]) -> dict[str, Any]:
        """Chooses batch-service, and the name sales-report when it is among the options."""
        response_format = request["response_format"]
        schema = response_format.get("json_schema", {}).get("schema") or response_format["schema"]
        if schema["title"] == "ServiceTypeAnswer":
            return answer({"service_type": "batch-service"})
        options = schema["properties"]["choice"]["enum"]
        return answer({"choice": "sales-report" if "sales-report" in options else options[0]})

    with ScriptedServer() as server:
        server.responder = model
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("SCAFFOLD_CACHE_DIR", str(tmp_path / "cache"))
        code, text = _talk(
            ["new", "--describe", "Every night at 2am, build the sales report.", "-o", "svc"],
            ["y"],
            tmp_path,
        )
    assert code == 0, text
    assert "proposed: batch-service sales-report" in text
    assert "schedule" in text and "model" in text and "default" in text
    assert "Write the repository to svc?" in text
    assert "schedule: cron(0 2 * * ? *)" in (tmp_path / "svc" / ".copier-answers.yml").read_text()

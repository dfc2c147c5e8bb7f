"""Local invocation, and the sample event shipped in events/sample.json."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from audit_trail.invoke import main

from .builders import event_dict, sqs_event, sqs_record, wrap

if TYPE_CHECKING:
    from .conftest import LogRecords

SAMPLE = Path(__file__).resolve().parent.parent / "events" / "sample.json"


def test_the_sample_event_is_processed(
    capsys: pytest.CaptureFixture[str], logs: LogRecords
) -> None:
    assert main([str(SAMPLE)]) == 0

    assert json.loads(capsys.readouterr().out) == {"batchItemFailures": []}
    processed = [record for record in logs() if record["message"] == "Event processed"]
    assert len(processed) == len(json.loads(SAMPLE.read_text())["Records"])


def test_the_sample_event_has_consistent_checksums() -> None:
    for record in json.loads(SAMPLE.read_text())["Records"]:
        body = record["body"].encode()
        assert hashlib.md5(body, usedforsecurity=False).hexdigest() == record["md5OfBody"]


def test_invoke_exits_1_and_prints_the_failed_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A local run: no dead-letter queue to move the invalid message to, so it fails.
    from audit_trail import handler as handler_module

    local = dataclasses.replace(handler_module.settings, dead_letter_queue_url=None)
    monkeypatch.setattr(handler_module, "settings", local)
    invalid = sqs_record(wrap(event_dict(type="")))
    event_file = tmp_path / "event.json"
    event_file.write_text(json.dumps(sqs_event(sqs_record(wrap(event_dict())), invalid)))

    assert main([str(event_file)]) == 1

    response = json.loads(capsys.readouterr().out)
    assert response == {"batchItemFailures": [{"itemIdentifier": invalid["messageId"]}]}

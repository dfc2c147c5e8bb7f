"""The Lambda handler: partial batch responses from realistic SQS events."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import (
    BatchProcessingError,
    UnexpectedBatchTypeError,
)

from payment_events import handler as handler_module
from payment_events.handler import handler
from payment_events.models import Event
from payment_events.processing import Outcome, process

from .builders import event_dict, sqs_event, sqs_record, wrap
from .conftest import IDEMPOTENCY_TABLE

if TYPE_CHECKING:
    from payment_events.invoke import LocalContext

    from .conftest import LogRecords


def logged(logs: LogRecords, message: str) -> list[dict[str, Any]]:
    """The log records with the given message, in order."""
    return [record for record in logs() if record["message"] == message]


def test_a_valid_batch_reports_no_failures(lambda_context: LocalContext, logs: LogRecords) -> None:
    records = [sqs_record(wrap(event_dict(id=f"evt-{n}"))) for n in range(3)]

    response = handler(sqs_event(*records), lambda_context)

    assert response == {"batchItemFailures": []}
    processed = logged(logs, "Event processed")
    assert [record["event_id"] for record in processed] == ["evt-0", "evt-1", "evt-2"]
    assert [record["correlation_id"] for record in processed] == [
        record["messageId"] for record in records
    ]


def test_an_invalid_message_goes_to_the_dead_letter_queue_at_once(
    lambda_context: LocalContext, logs: LogRecords, dead_letters: Callable[[], list[dict[str, Any]]]
) -> None:
    # It can never become valid: moved now, not retried 5 times first.
    invalid = sqs_record(wrap(event_dict(occurred_at="not a timestamp")), receive_count=1)
    records = [sqs_record(wrap(event_dict())), invalid, sqs_record(wrap(event_dict()))]

    response = handler(sqs_event(*records), lambda_context)

    assert response == {"batchItemFailures": []}  # deleted from the queue: it is in the DLQ
    [moved] = dead_letters()
    assert moved["Body"] == invalid["body"]  # as received, so it can be redriven as it is
    attributes = {k: v["StringValue"] for k, v in moved["MessageAttributes"].items()}
    assert attributes["error"] == "not a valid event"
    assert attributes["source_message_id"] == invalid["messageId"]
    assert "occurred_at" in attributes["errors"]
    assert len(logged(logs, "Event processed")) == 2
    [error] = logged(logs, "Message is not a valid event")
    assert error["level"] == "ERROR" and error["moved_to_dead_letter_queue"] is True
    assert error["correlation_id"] == invalid["messageId"]
    assert "occurred_at" in error["errors"][0]["loc"]


def test_a_message_that_is_not_json_goes_to_the_dead_letter_queue(
    lambda_context: LocalContext, dead_letters: Callable[[], list[dict[str, Any]]]
) -> None:
    garbage = sqs_record("subject-42 was updated")

    response = handler(sqs_event(sqs_record(wrap(event_dict())), garbage), lambda_context)

    assert response == {"batchItemFailures": []}
    assert [m["Body"] for m in dead_letters()] == ["subject-42 was updated"]


def test_without_a_dead_letter_queue_an_invalid_message_is_reported(
    monkeypatch: pytest.MonkeyPatch, lambda_context: LocalContext
) -> None:
    # A local run (python -m payment_events.invoke) has no queue: the message fails instead.
    local = dataclasses.replace(handler_module.settings, dead_letter_queue_url=None)
    monkeypatch.setattr(handler_module, "settings", local)
    invalid = sqs_record(wrap(event_dict(type="")))

    response = handler(sqs_event(sqs_record(wrap(event_dict())), invalid), lambda_context)

    assert response == {"batchItemFailures": [{"itemIdentifier": invalid["messageId"]}]}


def test_a_repeated_event_is_processed_once(
    monkeypatch: pytest.MonkeyPatch, lambda_context: LocalContext, logs: LogRecords
) -> None:
    # SQS delivers at least once and producers retry: the same event id arrives again, in the
    # same batch and in a later one. `process` runs once; the copies get its recorded outcome.
    calls: list[str] = []

    def counting_process(event: Event) -> Outcome:
        calls.append(event.id)
        return process(event)

    monkeypatch.setattr(handler_module, "process", counting_process)
    body = wrap(event_dict(id="evt-once"))

    first = handler(sqs_event(sqs_record(body), sqs_record(body)), lambda_context)
    again = handler(sqs_event(sqs_record(body, receive_count=2)), lambda_context)

    assert first == again == {"batchItemFailures": []}
    assert calls == ["evt-once"]
    outcomes = [record["event_id"] for record in logged(logs, "Event processed")]
    assert outcomes == ["evt-once"] * 3  # every copy reports the same outcome


def test_an_event_whose_processing_failed_is_processed_again(
    monkeypatch: pytest.MonkeyPatch, lambda_context: LocalContext
) -> None:
    attempts: list[str] = []

    def failing_once(event: Event) -> Outcome:
        attempts.append(event.id)
        if len(attempts) == 1:
            raise RuntimeError("downstream unavailable")
        return process(event)

    monkeypatch.setattr(handler_module, "process", failing_once)
    record = sqs_record(wrap(event_dict(id="evt-retry")))
    healthy = sqs_record(wrap(event_dict()))

    failed = handler(sqs_event(record, healthy), lambda_context)
    retried = handler(sqs_event(record), lambda_context)

    assert failed == {"batchItemFailures": [{"itemIdentifier": record["messageId"]}]}
    assert retried == {"batchItemFailures": []}
    assert attempts.count("evt-retry") == 2


def test_every_processed_event_id_is_recorded(lambda_context: LocalContext, aws: Any) -> None:
    handler(sqs_event(sqs_record(wrap(event_dict(id="evt-recorded")))), lambda_context)

    items = aws.scan(TableName=IDEMPOTENCY_TABLE)["Items"]
    assert [item["status"]["S"] for item in items] == ["COMPLETED"]
    assert int(items[0]["expiration"]["N"]) > 0


def test_a_message_whose_processing_raises_is_reported(
    monkeypatch: pytest.MonkeyPatch, lambda_context: LocalContext, logs: LogRecords
) -> None:
    def process_failing_for_evt_2(event: Event) -> Outcome:
        if event.id == "evt-2":
            raise RuntimeError("downstream unavailable")
        return process(event)

    monkeypatch.setattr(handler_module, "process", process_failing_for_evt_2)
    records = [sqs_record(wrap(event_dict(id=f"evt-{n}"))) for n in range(1, 4)]

    response = handler(sqs_event(*records), lambda_context)

    assert response == {"batchItemFailures": [{"itemIdentifier": records[1]["messageId"]}]}
    [error] = logged(logs, "Event processing failed")
    assert error["event_id"] == "evt-2"
    assert error["correlation_id"] == records[1]["messageId"]
    assert "RuntimeError: downstream unavailable" in error["exception"]
    assert [record["event_id"] for record in logged(logs, "Event processed")] == ["evt-1", "evt-3"]


def test_an_empty_batch_reports_no_failures(lambda_context: LocalContext) -> None:
    assert handler(sqs_event(), lambda_context) == {"batchItemFailures": []}


def test_an_event_that_is_not_an_sqs_batch_raises(lambda_context: LocalContext) -> None:
    with pytest.raises(UnexpectedBatchTypeError):
        handler({"detail-type": "Scheduled Event", "detail": {}}, lambda_context)


def test_a_batch_where_every_message_fails_raises(
    monkeypatch: pytest.MonkeyPatch, lambda_context: LocalContext
) -> None:
    def always_failing(event: Event) -> Outcome:
        raise RuntimeError("downstream unavailable")

    monkeypatch.setattr(handler_module, "process", always_failing)
    records = [sqs_record(wrap(event_dict())), sqs_record(wrap(event_dict()))]

    with pytest.raises(BatchProcessingError, match="All records failed"):
        handler(sqs_event(*records), lambda_context)


def test_logs_carry_the_service_and_lambda_context(
    lambda_context: LocalContext, logs: LogRecords
) -> None:
    handler(sqs_event(sqs_record(wrap(event_dict()))), lambda_context)

    [record] = logged(logs, "Event processed")
    assert record["service"] == "payment-events"
    assert record["environment"] == "test"
    assert record["function_name"] == lambda_context.function_name
    assert record["function_request_id"] == lambda_context.aws_request_id

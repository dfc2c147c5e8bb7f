"""The Lambda handler: partial batch responses from realistic SQS events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import (
    BatchProcessingError,
    UnexpectedBatchTypeError,
)

from audit_trail import handler as handler_module
from audit_trail.handler import handler
from audit_trail.models import Event
from audit_trail.processing import Outcome, process

from .builders import event_dict, sqs_event, sqs_record, wrap

if TYPE_CHECKING:
    from audit_trail.invoke import LocalContext

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


def test_only_the_invalid_message_is_reported(
    lambda_context: LocalContext, logs: LogRecords
) -> None:
    invalid = sqs_record(wrap(event_dict(occurred_at="not a timestamp")), receive_count=2)
    records = [sqs_record(wrap(event_dict())), invalid, sqs_record(wrap(event_dict()))]

    response = handler(sqs_event(*records), lambda_context)

    assert response == {"batchItemFailures": [{"itemIdentifier": invalid["messageId"]}]}
    assert len(logged(logs, "Event processed")) == 2
    [error] = logged(logs, "Message is not a valid event")
    assert error["level"] == "ERROR"
    assert error["correlation_id"] == invalid["messageId"]
    assert error["receive_count"] == 2
    assert "occurred_at" in error["errors"][0]["loc"]


def test_a_message_that_is_not_json_is_reported(lambda_context: LocalContext) -> None:
    garbage = sqs_record("subject-42 was updated")

    response = handler(sqs_event(sqs_record(wrap(event_dict())), garbage), lambda_context)

    assert response == {"batchItemFailures": [{"itemIdentifier": garbage["messageId"]}]}


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


def test_a_batch_where_every_message_fails_raises(lambda_context: LocalContext) -> None:
    records = [sqs_record("not json"), sqs_record(wrap(event_dict(id="")))]

    with pytest.raises(BatchProcessingError, match="All records failed"):
        handler(sqs_event(*records), lambda_context)


def test_logs_carry_the_service_and_lambda_context(
    lambda_context: LocalContext, logs: LogRecords
) -> None:
    handler(sqs_event(sqs_record(wrap(event_dict()))), lambda_context)

    [record] = logged(logs, "Event processed")
    assert record["service"] == "audit-trail"
    assert record["environment"] == "test"
    assert record["function_name"] == lambda_context.function_name
    assert record["function_request_id"] == lambda_context.aws_request_id

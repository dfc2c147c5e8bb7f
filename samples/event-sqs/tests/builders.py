"""Realistic Lambda events: SQS records whose bodies wrap events as the source delivers them
(`wrap`, from tests/envelopes.py, which scaffold keeps in step with the `source` answer)."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from .envelopes import wrap as wrap  # the body as the source delivers it

ACCOUNT = "123456789012"
REGION = "eu-west-1"
QUEUE_ARN = f"arn:aws:sqs:{REGION}:{ACCOUNT}:payment-events"


def event_dict(**overrides: Any) -> dict[str, Any]:
    """A valid event as a producer publishes it; keyword arguments replace top-level fields."""
    event: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "type": "subject.updated",
        "occurred_at": "2024-05-01T10:00:00Z",
        "payload": {"subject_id": "subject-42", "attributes": {"status": "active"}},
    }
    event.update(overrides)
    return event


def sqs_record(body: str, *, receive_count: int = 1) -> dict[str, Any]:
    """One SQS record in the shape Lambda's SQS event source mapping delivers."""
    md5 = hashlib.md5(body.encode(), usedforsecurity=False).hexdigest()
    return {
        "messageId": str(uuid.uuid4()),
        "receiptHandle": f"AQEB{uuid.uuid4().hex}",
        "body": body,
        "attributes": {
            "ApproximateReceiveCount": str(receive_count),
            "SentTimestamp": "1714557600120",
            "SenderId": "AIDAIENQZJOLO23YVJ4VO",
            "ApproximateFirstReceiveTimestamp": "1714557600150",
        },
        "messageAttributes": {},
        "md5OfBody": md5,
        "eventSource": "aws:sqs",
        "eventSourceARN": QUEUE_ARN,
        "awsRegion": REGION,
    }


def sqs_event(*records: dict[str, Any]) -> dict[str, Any]:
    """The Lambda event for a batch of SQS records."""
    return {"Records": list(records)}

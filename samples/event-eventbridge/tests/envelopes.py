"""SQS message bodies as the eventbridge source delivers an event (see `envelope.py`).

scaffold manages this module with `src/audit_trail/envelope.py`; the tests build bodies with
`wrap`, whatever the source.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

_ACCOUNT = "123456789012"
_REGION = "us-west-2"


def eventbridge_body(detail: Any) -> str:
    """The SQS body an EventBridge rule writes for an event put on the bus with `detail`."""
    return json.dumps(
        {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": "subject.updated",
            "source": "com.example.producer",
            "account": _ACCOUNT,
            "time": "2024-05-01T10:00:00Z",
            "region": _REGION,
            "resources": [],
            "detail": detail,
        }
    )


def wrap(event: dict[str, Any]) -> str:
    """The SQS body for an event put on the bus as the `detail` of an EventBridge event."""
    return eventbridge_body(event)

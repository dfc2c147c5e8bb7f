"""How an event reaches the queue: the envelope its source (sqs) puts around it.

Producers send the event JSON straight to the queue: each SQS message body is the event.

scaffold manages this module: it follows the service's `source` answer (`scaffold update
--data source=sns` rewrites it and the infrastructure together), and `models.parse_event`
builds on it, whatever the source.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

#: Where the events come from: sqs (straight to the queue), sns (a topic) or eventbridge (a bus).
SOURCE = "sqs"

_BODY: TypeAdapter[Any] = TypeAdapter(Any)


def unwrap(body: str) -> Any:
    """The event: the SQS message body itself, decoded; ValidationError if it is not JSON."""
    return _BODY.validate_json(body)

"""How an event reaches the queue: the envelope its source (eventbridge) puts around it.

Producers put the event on an EventBridge bus as `Detail`, and a rule forwards it to the
queue: each SQS message body is the EventBridge event JSON, with the event as its `detail`.

scaffold manages this module: it follows the service's `source` answer (`scaffold update
--data source=sns` rewrites it and the infrastructure together), and `models.parse_event`
builds on it, whatever the source.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.parser.models import EventBridgeModel

#: Where the events come from: sqs (straight to the queue), sns (a topic) or eventbridge (a bus).
SOURCE = "eventbridge"


def unwrap(body: str) -> Any:
    """The event inside an EventBridge event body (its `detail`); ValidationError if invalid."""
    return EventBridgeModel.model_validate_json(body).detail

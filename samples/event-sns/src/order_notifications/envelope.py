"""How an event reaches the queue: the envelope its source (sns) puts around it.

Producers publish the event JSON to an SNS topic, which delivers it to the queue with raw
message delivery off: each SQS message body is the SNS notification JSON, with the event as
the string in its `Message` field.

scaffold manages this module: it follows the service's `source` answer (`scaffold update
--data source=sns` rewrites it and the infrastructure together), and `models.parse_event`
builds on it, whatever the source.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.parser.models import SnsNotificationModel
from pydantic import Json

#: Where the events come from: sqs (straight to the queue), sns (a topic) or eventbridge (a bus).
SOURCE = "sns"


class SnsNotification(SnsNotificationModel):
    """The SNS notification SNS writes to an SQS queue when raw message delivery is off."""

    Message: Json[Any]  # type: ignore[assignment]  # the event's JSON, decoded


def unwrap(body: str) -> Any:
    """The event inside an SNS notification body, decoded; ValidationError if it is invalid."""
    return SnsNotification.model_validate_json(body).Message

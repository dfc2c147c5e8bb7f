"""SQS message bodies as the sns source delivers an event (see `envelope.py`).

scaffold manages this module with `src/order_notifications/envelope.py`; the tests build bodies with
`wrap`, whatever the source.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

_ACCOUNT = "123456789012"
_REGION = "eu-west-1"
TOPIC_ARN = f"arn:aws:sns:{_REGION}:{_ACCOUNT}:order-notifications"


def sns_body(message: str) -> str:
    """The SQS body SNS writes for a published message (raw message delivery off)."""
    subscription_arn = f"{TOPIC_ARN}:{uuid.uuid4()}"
    return json.dumps(
        {
            "Type": "Notification",
            "MessageId": str(uuid.uuid4()),
            "TopicArn": TOPIC_ARN,
            "Message": message,
            "Timestamp": "2024-05-01T10:00:00.120Z",
            "SignatureVersion": "1",
            "Signature": "EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4Vbe=",
            "SigningCertURL": f"https://sns.{_REGION}.amazonaws.com/SimpleNotificationService-0.pem",
            "UnsubscribeURL": f"https://sns.{_REGION}.amazonaws.com/"
            f"?Action=Unsubscribe&SubscriptionArn={subscription_arn}",
        }
    )


def wrap(event: dict[str, Any]) -> str:
    """The SQS body for an event published to the topic as JSON."""
    return sns_body(json.dumps(event))

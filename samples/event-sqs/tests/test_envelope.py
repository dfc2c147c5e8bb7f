"""The envelope the sqs source puts around an event (`envelope.py`).

scaffold manages this file with `src/payment_events/envelope.py`.
"""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from payment_events.envelope import SOURCE
from payment_events.models import parse_event

from .builders import event_dict, wrap


def test_the_envelope_is_the_services_source() -> None:
    assert SOURCE == "sqs"
    assert parse_event(wrap(event_dict(id="evt-9"))).id == "evt-9"


def test_a_body_that_is_not_json_is_rejected() -> None:
    with pytest.raises(ValidationError, match="Invalid JSON"):
        parse_event("subject-42 was updated")


def test_an_event_wrapped_in_an_sns_notification_is_rejected() -> None:
    notification = {"Type": "Notification", "Message": json.dumps(event_dict())}

    with pytest.raises(ValidationError):
        parse_event(json.dumps(notification))

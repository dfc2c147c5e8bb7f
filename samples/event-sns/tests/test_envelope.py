"""The envelope the sns source puts around an event (`envelope.py`).

scaffold manages this file with `src/order_notifications/envelope.py`.
"""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from order_notifications.envelope import SOURCE
from order_notifications.models import parse_event

from .builders import event_dict, wrap
from .envelopes import sns_body


def test_the_envelope_is_the_services_source() -> None:
    assert SOURCE == "sns"
    assert parse_event(wrap(event_dict(id="evt-9"))).id == "evt-9"


def test_an_event_sent_without_the_sns_envelope_is_rejected() -> None:
    with pytest.raises(ValidationError, match="TopicArn"):
        parse_event(json.dumps(event_dict()))


def test_an_sns_message_that_is_not_json_is_rejected() -> None:
    with pytest.raises(ValidationError, match="Message"):
        parse_event(sns_body("subject-42 was updated"))


def test_sns_message_attributes_are_accepted() -> None:
    notification = json.loads(wrap(event_dict(id="evt-2")))
    notification["MessageAttributes"] = {"tenant": {"Type": "String", "Value": "acme"}}

    assert parse_event(json.dumps(notification)).id == "evt-2"

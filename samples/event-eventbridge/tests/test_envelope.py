"""The envelope the eventbridge source puts around an event (`envelope.py`).

scaffold manages this file with `src/audit_trail/envelope.py`.
"""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from audit_trail.envelope import SOURCE
from audit_trail.models import parse_event

from .builders import event_dict, wrap
from .envelopes import eventbridge_body


def test_the_envelope_is_the_services_source() -> None:
    assert SOURCE == "eventbridge"
    assert parse_event(wrap(event_dict(id="evt-9"))).id == "evt-9"


def test_an_event_sent_without_the_eventbridge_envelope_is_rejected() -> None:
    with pytest.raises(ValidationError, match="detail"):
        parse_event(json.dumps(event_dict()))


def test_an_eventbridge_detail_that_is_not_an_event_is_rejected() -> None:
    with pytest.raises(ValidationError, match="instance-id"):
        parse_event(eventbridge_body({"instance-id": "i-0123456789abcdef0", "state": "running"}))

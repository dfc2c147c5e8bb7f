"""The event model, unwrapped from SQS bodies as the service's source delivers them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from payment_events.models import Event, parse_event

from .builders import event_dict, wrap


def test_parse_event_unwraps_a_valid_event() -> None:
    event = parse_event(wrap(event_dict(id="evt-1")))

    assert event == Event(
        id="evt-1",
        type="subject.updated",
        occurred_at=datetime(2024, 5, 1, 10, 0, tzinfo=UTC),
        payload={"subject_id": "subject-42", "attributes": {"status": "active"}},
    )


def test_attributes_default_to_empty() -> None:
    event = parse_event(wrap(event_dict(payload={"subject_id": "subject-42"})))

    assert event.payload.attributes == {}


def test_occurred_at_keeps_its_utc_offset() -> None:
    event = parse_event(wrap(event_dict(occurred_at="2024-05-01T12:00:00+02:00")))

    assert event.occurred_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("overrides", "bad_field"),
    [
        ({"unexpected": "field"}, "unexpected"),
        ({"id": ""}, "id"),
        ({"id": 42}, "id"),
        ({"type": "Subject Updated"}, "type"),
        ({"occurred_at": "2024-05-01T10:00:00"}, "occurred_at"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"payload": {"subject_id": "subject-42", "extra": 1}}, "payload"),
        ({"payload": {"subject_id": "subject-42", "attributes": {"count": 3}}}, "payload"),
        ({"payload": None}, "payload"),
    ],
)
def test_invalid_events_are_rejected(overrides: dict[str, Any], bad_field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_event(wrap(event_dict(**overrides)))

    assert bad_field in {str(part) for error in caught.value.errors() for part in error["loc"]}


def test_missing_fields_are_rejected() -> None:
    event = event_dict()
    del event["occurred_at"]

    with pytest.raises(ValidationError, match="occurred_at"):
        parse_event(wrap(event))

"""The extension point: `process` as generated."""

from __future__ import annotations

from datetime import UTC, datetime

from audit_trail.models import Event, Payload
from audit_trail.processing import Outcome, process


def test_process_summarises_the_event() -> None:
    event = Event(
        id="evt-1",
        type="subject.updated",
        occurred_at=datetime(2024, 5, 1, 10, 0, tzinfo=UTC),
        payload=Payload(subject_id="subject-42", attributes={"status": "active", "tier": "gold"}),
    )

    assert process(event) == Outcome(
        event_id="evt-1", event_type="subject.updated", subject_id="subject-42", attribute_count=2
    )

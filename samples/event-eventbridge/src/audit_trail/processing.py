"""The extension point: what the service does with each valid event.

Replace the body of `process` with the service's own work. Everything around it (SQS batch
handling, validation, retries, the DLQ, logging and tracing) lives in `handler.py` and needs
no change.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from audit_trail.models import Event


class Outcome(BaseModel):
    """What `process` reports about one event; the handler logs it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_id: str
    event_type: str
    subject_id: str
    attribute_count: int


def process(event: Event) -> Outcome:
    """Handle one validated event and return what was done.

    As generated it does no I/O: it summarises the event, so the whole path from the queue to
    the logs can be deployed and observed before the real work is written. When you replace it:

    - Make it idempotent. SQS delivers at least once, so the same event (same `event.id`) can
      arrive again, for example after a timeout or a failed batch.
    - Raise to fail the message. It becomes visible again after the queue's visibility
      timeout, is retried, and moves to the dead-letter queue after its last allowed receive.
      Other messages in the batch are not affected.
    - Finish well within the function timeout; the whole batch shares it.
    """
    return Outcome(
        event_id=event.id,
        event_type=event.type,
        subject_id=event.payload.subject_id,
        attribute_count=len(event.payload.attributes),
    )

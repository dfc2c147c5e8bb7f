"""The event this service consumes.

`parse_event` takes it out of the SQS message body (the envelope its source puts around it is
`envelope.py`'s business) and validates it: an `Event`, or `pydantic.ValidationError`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from payment_events.envelope import unwrap


class Payload(BaseModel):
    """What the event is about. Replace these fields with the data your producers send."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    subject_id: str = Field(
        min_length=1, max_length=256, description="Id of the entity the event is about."
    )
    attributes: dict[str, str] = Field(
        default_factory=dict,
        max_length=50,
        description="Further facts about the change, as string key/value pairs.",
    )


class Event(BaseModel):
    """One event as producers publish it: unknown fields and wrong types are rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    id: str = Field(
        min_length=1,
        max_length=128,
        description="Unique per event and unchanged on redelivery, so consumers can deduplicate.",
    )
    type: str = Field(
        max_length=128,
        pattern=r"^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$",
        description="What happened, as a lowercase dotted name such as `subject.updated`.",
    )
    # Lax only here, so an ISO 8601 string is accepted inside an already-parsed envelope too.
    occurred_at: Annotated[AwareDatetime, Field(strict=False)] = Field(
        description="When it happened: ISO 8601 with a UTC offset, e.g. 2024-05-01T10:00:00Z."
    )
    payload: Payload


def parse_event(body: str) -> Event:
    """The event inside an SQS message body; raise ValidationError if it is invalid."""
    return Event.model_validate(unwrap(body))

"""SQS message bodies as the sqs source delivers an event (see `envelope.py`).

scaffold manages this module with `src/payment_events/envelope.py`; the tests build bodies with
`wrap`, whatever the source.
"""

from __future__ import annotations

import json
from typing import Any


def wrap(event: dict[str, Any]) -> str:
    """The SQS body a producer sends: the event JSON itself."""
    return json.dumps(event)

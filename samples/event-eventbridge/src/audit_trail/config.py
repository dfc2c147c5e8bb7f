"""Settings read from the environment once, when Lambda loads the function."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Settings:
    """Runtime settings; every one has a default that suits a local run."""

    service_name: str
    log_level: str
    environment: str
    idempotency_table: str | None = None
    """DynamoDB table of idempotency records; None (a local run) processes every copy."""
    idempotency_ttl_seconds: int = 432000
    """How long a processed event id is remembered (5 days, past the queue's retention)."""
    dead_letter_queue_url: str | None = None
    """Where a message that can never be valid goes at once; None: it is retried instead."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from `environ` (default: the process environment)."""
        env = os.environ if environ is None else environ
        return cls(
            service_name=env.get("POWERTOOLS_SERVICE_NAME", "audit-trail"),
            log_level=env.get("POWERTOOLS_LOG_LEVEL", "INFO").upper(),
            environment=env.get("ENVIRONMENT", "local"),
            idempotency_table=env.get("IDEMPOTENCY_TABLE") or None,
            idempotency_ttl_seconds=int(env.get("IDEMPOTENCY_TTL_SECONDS", "432000")),
            dead_letter_queue_url=env.get("DEAD_LETTER_QUEUE_URL") or None,
        )

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

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from `environ` (default: the process environment)."""
        env = os.environ if environ is None else environ
        return cls(
            service_name=env.get("POWERTOOLS_SERVICE_NAME", "payment-events"),
            log_level=env.get("POWERTOOLS_LOG_LEVEL", "INFO").upper(),
            environment=env.get("ENVIRONMENT", "local"),
        )

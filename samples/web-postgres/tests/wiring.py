"""Test helpers for the integrations the service's answers switch on (see `wiring.py`).

scaffold manages this module with `src/orders_api/wiring.py`: the tests build on it and work
with or without each integration.
"""

from __future__ import annotations

from typing import Any


def offline_settings(closed_port: int) -> dict[str, Any]:
    """Settings values that keep the tests off real services (each at a closed port)."""
    return {"db_host": "127.0.0.1", "db_port": closed_port, "db_connect_timeout_seconds": 1}

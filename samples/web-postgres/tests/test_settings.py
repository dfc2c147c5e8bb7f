"""Settings come from APP_* environment variables, validated."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from orders_api.settings import Settings


def test_defaults() -> None:
    settings = Settings()

    assert settings.service_name == "orders-api"
    assert settings.port == 8080
    assert settings.log_level == "INFO"


def test_values_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_PORT", "9123")
    monkeypatch.setenv("APP_LOG_LEVEL", "debug")
    monkeypatch.setenv("APP_SHUTDOWN_GRACE_SECONDS", "2.5")

    settings = Settings()

    assert settings.port == 9123
    assert settings.log_level == "DEBUG"
    assert settings.shutdown_grace_seconds == 2.5


@pytest.mark.parametrize(
    ("variable", "value"),
    [("APP_PORT", "0"), ("APP_LOG_LEVEL", "verbose"), ("APP_SHUTDOWN_GRACE_SECONDS", "-1")],
)
def test_invalid_values_are_rejected(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(ValidationError):
        Settings()

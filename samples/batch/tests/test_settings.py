"""Settings come from JOB_* variables, with defaults from the service's answers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from nightly_report.settings import Settings
from tests.support import TABLE


@pytest.fixture(autouse=True)
def table_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOB_IDEMPOTENCY_TABLE", TABLE)


def test_defaults_come_from_the_service_answers() -> None:
    settings = Settings()

    assert settings.idempotency_table == TABLE
    assert settings.timeout_seconds == 2700
    assert settings.region == "eu-central-1"
    assert settings.timezone.key == "Europe/Berlin"
    assert settings.scheduled_time is None
    assert settings.log_level == "INFO"


def test_the_scheduled_time_is_read_as_eventbridge_scheduler_sends_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JOB_SCHEDULED_TIME", "2024-05-01T02:00:00Z")
    monkeypatch.setenv("JOB_LOG_LEVEL", "debug")

    settings = Settings()

    assert settings.scheduled_time == datetime(2024, 5, 1, 2, 0, tzinfo=UTC)
    assert settings.log_level == "DEBUG"


def test_an_empty_scheduled_time_means_a_manual_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOB_SCHEDULED_TIME", "")

    assert Settings().scheduled_time is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("JOB_SCHEDULED_TIME", "2024-05-01T02:00:00"),
        ("JOB_SCHEDULED_TIME", "yesterday"),
        ("JOB_TIMEOUT_SECONDS", "0"),
        ("JOB_SCHEDULE_TIMEZONE", "Mars/Olympus_Mons"),
        ("JOB_LOG_LEVEL", "LOUD"),
    ],
)
def test_invalid_values_are_rejected(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)

    with pytest.raises(ValidationError):
        Settings()


def test_the_table_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOB_IDEMPOTENCY_TABLE")

    with pytest.raises(ValidationError, match="idempotency_table"):
        Settings()

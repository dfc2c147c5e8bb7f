"""Settings from the environment."""

from __future__ import annotations

from payment_events.config import Settings


def test_defaults_suit_a_local_run() -> None:
    settings = Settings.from_env({})

    assert settings.service_name == "payment-events"
    assert settings.log_level == "INFO"
    assert settings.environment == "local"


def test_environment_variables_override_the_defaults() -> None:
    environ = {
        "POWERTOOLS_SERVICE_NAME": "renamed",
        "POWERTOOLS_LOG_LEVEL": "debug",
        "ENVIRONMENT": "prod",
    }

    assert Settings.from_env(environ) == Settings(
        service_name="renamed", log_level="DEBUG", environment="prod"
    )

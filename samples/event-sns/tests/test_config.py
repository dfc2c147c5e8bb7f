"""Settings from the environment."""

from __future__ import annotations

from order_notifications.config import Settings


def test_defaults_suit_a_local_run() -> None:
    settings = Settings.from_env({})

    assert settings.service_name == "order-notifications"
    assert settings.log_level == "INFO"
    assert settings.environment == "local"
    assert (settings.idempotency_table, settings.dead_letter_queue_url) == (None, None)


def test_environment_variables_override_the_defaults() -> None:
    environ = {
        "POWERTOOLS_SERVICE_NAME": "renamed",
        "POWERTOOLS_LOG_LEVEL": "debug",
        "ENVIRONMENT": "prod",
    }

    assert Settings.from_env(environ) == Settings(
        service_name="renamed", log_level="DEBUG", environment="prod"
    )


def test_lambda_gets_the_idempotency_table_and_the_dead_letter_queue() -> None:
    environ = {
        "IDEMPOTENCY_TABLE": "order-notifications-prod-idempotency",
        "IDEMPOTENCY_TTL_SECONDS": "3600",
        "DEAD_LETTER_QUEUE_URL": (
            "https://sqs.eu-west-1.amazonaws.com/123456789012/order-notifications-prod-dlq"
        ),
    }

    settings = Settings.from_env(environ)

    assert settings.idempotency_table == "order-notifications-prod-idempotency"
    assert settings.idempotency_ttl_seconds == 3600
    assert settings.dead_letter_queue_url == environ["DEAD_LETTER_QUEUE_URL"]

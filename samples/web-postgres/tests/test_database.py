"""PostgreSQL: its settings, connection parameters, IAM tokens and the readiness probe.

scaffold manages this file with `src/orders_api/database.py`: it exists while the service's
`database` answer is `postgres`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from moto import mock_aws

from orders_api.database import Database, get_database
from orders_api.settings import Settings
from tests.conftest import LogLines

_CREDENTIAL_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
)


@pytest.fixture
def aws() -> Iterator[None]:
    """Fake AWS credentials and endpoints (moto); IAM tokens are signed locally with them."""
    with mock_aws():
        yield


def test_password_auth_leaves_the_password_to_libpq(settings: Settings) -> None:
    params = Database(settings).connection_params()

    assert params["host"] == "127.0.0.1"
    assert params["dbname"] == "orders_api"
    assert params["connect_timeout"] == 1
    assert "password" not in params
    assert "sslmode" not in params


@pytest.mark.usefixtures("aws")
def test_iam_auth_uses_a_signed_token_over_tls() -> None:
    settings = Settings(db_host="db.internal", db_port=5433, db_user="app", db_iam_auth=True)

    params = Database(settings).connection_params()

    assert params["sslmode"] == "require"
    token = urlsplit("https://" + params["password"])
    assert token.netloc == "db.internal:5433"
    query = parse_qs(token.query)
    assert query["Action"] == ["connect"]
    assert query["DBUser"] == ["app"]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert "/eu-west-1/rds-db/aws4_request" in query["X-Amz-Credential"][0]
    assert query["X-Amz-Signature"][0]


def test_ping_fails_fast_when_the_database_is_unreachable(settings: Settings) -> None:
    assert asyncio.run(Database(settings).ping()) is False


def test_ping_fails_without_aws_credentials(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, log_lines: LogLines
) -> None:
    for variable in _CREDENTIAL_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "missing"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "missing"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    iam_settings = settings.model_copy(update={"db_iam_auth": True})

    assert asyncio.run(Database(iam_settings).ping()) is False
    errors = [line["error_type"] for line in log_lines() if "error_type" in line]
    assert errors == ["NoCredentialsError"]


def test_database_settings_default_and_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    defaults = Settings()
    assert defaults.db_name == "orders_api"
    assert defaults.db_iam_auth is False

    monkeypatch.setenv("APP_DB_HOST", "db.internal")
    monkeypatch.setenv("APP_DB_IAM_AUTH", "true")
    settings = Settings()

    assert settings.db_host == "db.internal"
    assert settings.db_iam_auth is True


class ReachableDatabase:
    """Stands in for a database whose probe succeeds."""

    async def ping(self) -> bool:
        return True


def test_readiness_is_ok_when_the_database_answers(app: FastAPI, client: TestClient) -> None:
    app.dependency_overrides[get_database] = ReachableDatabase

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


def test_readiness_fails_when_the_database_is_unreachable(
    client: TestClient, log_lines: LogLines
) -> None:
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "database unavailable"}
    warnings = [line for line in log_lines() if line["message"] == "database check failed"]
    assert warnings
    assert warnings[0]["level"] == "WARNING"
    assert warnings[0]["error_type"] == "OperationalError"

"""PostgreSQL connection parameters, IAM tokens and the readiness probe."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from moto import mock_aws

from orders_api.database import Database
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

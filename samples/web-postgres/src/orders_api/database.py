"""PostgreSQL access with psycopg 3: connection parameters, IAM authentication, health probe.

scaffold manages this module (it exists while the service's `database` answer is `postgres`):
`scaffold update` merges the template's changes into yours. Route handlers receive the
database as `database: DatabaseDep`.
"""

from __future__ import annotations

import asyncio
import logging
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any

import boto3
import psycopg
from botocore.exceptions import BotoCoreError, ClientError
from fastapi import Depends, Request

if TYPE_CHECKING:
    from orders_api.settings import Settings

logger = logging.getLogger(__name__)


class Database:
    """Opens connections to the service's PostgreSQL database.

    With `db_iam_auth` the password is an RDS IAM authentication token, signed locally from the
    task role's credentials (valid 15 minutes, so a fresh one is made per connection) and the
    connection requires TLS. Without it, libpq's usual sources apply (`PGPASSWORD`, `~/.pgpass`).
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def _rds(self) -> Any:  # boto3 builds its client classes at run time, so no static type
        """The RDS client that signs IAM tokens; created on first use."""
        return boto3.client("rds", region_name=self.settings.aws_region)

    def iam_token(self) -> str:
        """A fresh RDS IAM authentication token for the configured host, port and user."""
        token: str = self._rds.generate_db_auth_token(
            DBHostname=self.settings.db_host,
            Port=self.settings.db_port,
            DBUsername=self.settings.db_user,
            Region=self.settings.aws_region,
        )
        return token

    def connection_params(self) -> dict[str, Any]:
        """Keyword arguments for `psycopg.connect` / `psycopg.AsyncConnection.connect`."""
        params: dict[str, Any] = {
            "host": self.settings.db_host,
            "port": self.settings.db_port,
            "dbname": self.settings.db_name,
            "user": self.settings.db_user,
            "connect_timeout": self.settings.db_connect_timeout_seconds,
            "application_name": self.settings.service_name,
        }
        if self.settings.db_iam_auth:
            params |= {"password": self.iam_token(), "sslmode": "require"}
        return params

    async def connect(self) -> psycopg.AsyncConnection[tuple[Any, ...]]:
        """Open a new connection (autocommit); use it as `async with await db.connect() as conn`."""
        return await psycopg.AsyncConnection.connect(**self.connection_params(), autocommit=True)

    async def ping(self) -> bool:
        """True if a connection and `SELECT 1` succeed within the connect timeout."""
        try:
            async with asyncio.timeout(self.settings.db_connect_timeout_seconds):
                async with await self.connect() as connection:
                    await connection.execute("SELECT 1")
        except (psycopg.Error, BotoCoreError, ClientError, TimeoutError) as error:
            logger.warning(
                "database check failed",
                extra={"error_type": type(error).__name__, "error": str(error)},
            )
            return False
        return True


def get_database(request: Request) -> Database:
    """The PostgreSQL database; open connections with `async with await database.connect()`."""
    database: Database = request.app.state.database
    return database


DatabaseDep = Annotated[Database, Depends(get_database)]

"""Database migrations: `python -m orders_api.migrate`, the deploy's one-off task.

`scripts/deploy.py` runs it as an ECS task with the new image before the service is updated,
so the code that starts next always finds the schema it expects. It connects as the master
user (`APP_DB_MASTER_USER` and `APP_DB_MASTER_PASSWORD`, which the ECS agent injects from the
secret RDS manages; the service never has them), holds an advisory lock so that two deploys
never migrate at once, and applies in order, each in its own transaction, the migrations not
yet recorded in the `schema_migrations` table. Running it again applies nothing.

The first migration creates the service's own user (`APP_DB_USER`), which logs in with an IAM
token (membership of `rds_iam`) and may use what later migrations create. Add a migration by
appending to `MIGRATIONS`; never edit or reorder one that has run.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from orders_api.logs import configure_logging
from orders_api.settings import Settings

logger = logging.getLogger(__name__)

#: pg_advisory_lock key: the same number for every run of this service's migrations.
LOCK_KEY = 0x5CAF_F01D

Connection = psycopg.Connection[Any]


class MigrationError(Exception):
    """A migration could not run; the message says why."""


@dataclass(frozen=True)
class Migration:
    """One schema change: a version (never reused) and the function that applies it."""

    version: str
    apply: Callable[[Connection, Settings], None]


def create_app_user(connection: Connection, settings: Settings) -> None:
    """The service's login role: IAM authentication, and use of the public schema's tables."""
    user = sql.Identifier(settings.db_user)
    found = connection.execute(
        "SELECT 1 FROM pg_roles WHERE rolname = %s", (settings.db_user,)
    ).fetchone()
    statement = "ALTER ROLE {} LOGIN" if found else "CREATE ROLE {} LOGIN"
    connection.execute(sql.SQL(statement).format(user))
    if settings.db_iam_auth:
        has_rds_iam = connection.execute(
            "SELECT 1 FROM pg_roles WHERE rolname = 'rds_iam'"
        ).fetchone()
        if not has_rds_iam:
            raise MigrationError(
                "the role rds_iam does not exist: IAM authentication needs RDS "
                "(set APP_DB_IAM_AUTH=false for a plain PostgreSQL server)"
            )
        connection.execute(sql.SQL("GRANT rds_iam TO {}").format(user))
    database = sql.Identifier(settings.db_name)
    for statement in (
        "GRANT CONNECT ON DATABASE {db} TO {user}",
        "GRANT USAGE ON SCHEMA public TO {user}",
        # Tables and sequences the later migrations create (as this master user).
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {user}",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {user}",
    ):
        connection.execute(sql.SQL(statement).format(db=database, user=user))


#: Every migration, in the order they apply. Append; never edit one that has run.
MIGRATIONS: list[Migration] = [
    Migration("0001_app_user", create_app_user),
]


def connect(settings: Settings) -> Connection:
    """A connection as the master user (TLS required with IAM authentication, as on RDS)."""
    if not settings.db_master_user:
        raise MigrationError("APP_DB_MASTER_USER is not set: the migration logs in as the master")
    params: dict[str, Any] = {
        "host": settings.db_host,
        "port": settings.db_port,
        "dbname": settings.db_name,
        "user": settings.db_master_user,
        "connect_timeout": settings.db_connect_timeout_seconds,
        "application_name": f"{settings.service_name}-migrate",
    }
    if settings.db_master_password.get_secret_value():
        params["password"] = settings.db_master_password.get_secret_value()
    if settings.db_iam_auth:
        params["sslmode"] = "require"
    try:
        return psycopg.connect(**params, autocommit=True)
    except psycopg.OperationalError as error:
        raise MigrationError(f"cannot connect to {settings.db_host}: {error}") from error


def migrate(settings: Settings, migrations: Sequence[Migration] = tuple(MIGRATIONS)) -> list[str]:
    """Apply the migrations not yet recorded; the versions applied now, in order."""
    versions = [m.version for m in migrations]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"duplicate migration versions in {versions}")
    applied_now = []
    with connect(settings) as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        try:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version text PRIMARY KEY,"
                " applied_at timestamptz NOT NULL DEFAULT now())"
            )
            done = {row[0] for row in connection.execute("SELECT version FROM schema_migrations")}
            for migration in migrations:
                if migration.version in done:
                    continue
                with connection.transaction():
                    migration.apply(connection, settings)
                    connection.execute(
                        "INSERT INTO schema_migrations (version) VALUES (%s)", (migration.version,)
                    )
                logger.info("migration applied", extra={"version": migration.version})
                applied_now.append(migration.version)
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
    return applied_now


def main(migrations: Sequence[Migration] = tuple(MIGRATIONS)) -> int:
    """Entry point of the migration task: 0 when the schema is current, 1 otherwise."""
    settings = Settings()
    configure_logging(f"{settings.service_name}-migrate", settings.log_level)
    try:
        applied = migrate(settings, migrations)
    except (MigrationError, psycopg.Error) as error:
        logger.error(
            "migration failed", extra={"error_type": type(error).__name__, "error": str(error)}
        )
        return 1
    logger.info("schema is current", extra={"applied": applied, "migrations": len(migrations)})
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The migration task against a real PostgreSQL server.

TEST_DATABASE_URL names a server and a superuser that plays RDS's master user (CI's postgres
service sets it: see .github/workflows/ci.yml); each test gets a database of its own and an
`rds_iam` role like the one RDS has. Without TEST_DATABASE_URL these tests are skipped, saying
why. Run them locally against any PostgreSQL you may create databases in, for example:

    TEST_DATABASE_URL=postgresql://postgres:postgres@localhost:5432/postgres make test
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql

from orders_api import migrate as migrate_module
from orders_api.migrate import MIGRATIONS, Migration, MigrationError, main, migrate
from orders_api.settings import Settings

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="TEST_DATABASE_URL is not set: the migration tests need a PostgreSQL server "
    "(CI's postgres service sets it)",
)


def admin() -> psycopg.Connection[Any]:
    """A connection to the test server's maintenance database as its superuser."""
    return psycopg.connect(os.environ["TEST_DATABASE_URL"], autocommit=True)


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """A fresh database and app user name; the server's superuser is the master user."""
    info = psycopg.conninfo.conninfo_to_dict(os.environ["TEST_DATABASE_URL"])
    suffix = uuid.uuid4().hex[:8]
    database, user = f"migrate_{suffix}", f"app_{suffix}"
    with admin() as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        # RDS has this role; a plain PostgreSQL server needs it made (it is cluster-wide).
        connection.execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rds_iam') "
            "THEN CREATE ROLE rds_iam NOLOGIN; END IF; END $$"
        )
    values = {
        "db_host": str(info.get("host", "localhost")),
        "db_port": int(info.get("port", 5432)),
        "db_name": database,
        "db_user": user,
        "db_iam_auth": False,
        "db_master_user": str(info.get("user", "postgres")),
        "db_master_password": str(info.get("password", "")),
    }
    for key, value in values.items():
        monkeypatch.setenv(f"APP_{key.upper()}", str(value))
    yield Settings()
    with admin() as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
        )
        connection.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(user)))


def query(settings: Settings, text: str, *params: object) -> list[tuple[Any, ...]]:
    """Rows of `text` run in the test database as the master user."""
    info = psycopg.conninfo.conninfo_to_dict(os.environ["TEST_DATABASE_URL"])
    info["dbname"] = settings.db_name
    with psycopg.connect(**info, autocommit=True) as connection:
        return connection.execute(text, params).fetchall()  # type: ignore[arg-type]


def test_the_first_run_creates_the_app_user_and_a_second_applies_nothing(
    settings: Settings,
) -> None:
    assert migrate(settings) == [m.version for m in MIGRATIONS]
    assert migrate(settings) == []

    assert query(settings, "SELECT version FROM schema_migrations") == [("0001_app_user",)]
    assert query(
        settings, "SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", settings.db_user
    ) == [(True,)]


def test_with_iam_authentication_the_user_is_granted_rds_iam(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # IAM authentication also requires TLS (as RDS does), which the test server may not offer:
    # connect without it, and grant as with IAM authentication.
    plain_connect = migrate_module.connect
    monkeypatch.setattr(
        migrate_module,
        "connect",
        lambda s: plain_connect(s.model_copy(update={"db_iam_auth": False})),
    )

    assert migrate(settings.model_copy(update={"db_iam_auth": True})) == ["0001_app_user"]

    members = query(
        settings,
        "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
        "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = %s",
        settings.db_user,
    )
    assert members == [("rds_iam",)]


def test_the_app_user_may_use_the_tables_later_migrations_create(settings: Settings) -> None:
    def orders_table(connection: psycopg.Connection[Any], _: Settings) -> None:
        connection.execute("CREATE TABLE orders (id bigserial PRIMARY KEY, item text NOT NULL)")

    migrate(settings, [*MIGRATIONS, Migration("0002_orders", orders_table)])

    info = psycopg.conninfo.conninfo_to_dict(os.environ["TEST_DATABASE_URL"])
    info["dbname"] = settings.db_name
    with psycopg.connect(**info, autocommit=True) as connection:
        connection.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(settings.db_user)))
        connection.execute("INSERT INTO orders (item) VALUES ('book')")
        assert connection.execute("SELECT item FROM orders").fetchall() == [("book",)]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("DROP TABLE orders")


def test_a_failed_migration_is_rolled_back_and_not_recorded(settings: Settings) -> None:
    def broken(connection: psycopg.Connection[Any], _: Settings) -> None:
        connection.execute("CREATE TABLE half_done (id int)")
        connection.execute("SELECT * FROM no_such_table")

    assert main([*MIGRATIONS, Migration("0002_broken", broken)]) == 1

    assert query(settings, "SELECT version FROM schema_migrations") == [("0001_app_user",)]
    assert query(settings, "SELECT to_regclass('half_done')") == [(None,)]


def test_iam_authentication_needs_the_rds_iam_role(settings: Settings) -> None:
    def without_rds_iam(connection: psycopg.Connection[Any], current: Settings) -> None:
        # Inside the migration's transaction: rolled back with it, unseen by other sessions.
        connection.execute("ALTER ROLE rds_iam RENAME TO rds_iam_hidden")
        MIGRATIONS[0].apply(connection, current.model_copy(update={"db_iam_auth": True}))

    with pytest.raises(MigrationError, match="rds_iam does not exist"):
        migrate(settings, [Migration("0001_app_user", without_rds_iam)])
    assert query(settings, "SELECT count(*) FROM pg_roles WHERE rolname = 'rds_iam'") == [(1,)]


def test_the_master_user_is_required(settings: Settings) -> None:
    with pytest.raises(MigrationError, match="APP_DB_MASTER_USER"):
        migrate(settings.model_copy(update={"db_master_user": ""}))

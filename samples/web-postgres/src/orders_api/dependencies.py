"""FastAPI dependencies: the per-app objects that route handlers receive."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from orders_api.database import Database
from orders_api.lifecycle import Lifecycle
from orders_api.settings import Settings


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_lifecycle(request: Request) -> Lifecycle:
    """The process lifecycle (serving or draining)."""
    lifecycle: Lifecycle = request.app.state.lifecycle
    return lifecycle


def get_database(request: Request) -> Database:
    """The PostgreSQL database; open connections with `async with await database.connect()`."""
    database: Database = request.app.state.database
    return database


SettingsDep = Annotated[Settings, Depends(get_settings)]
LifecycleDep = Annotated[Lifecycle, Depends(get_lifecycle)]
DatabaseDep = Annotated[Database, Depends(get_database)]

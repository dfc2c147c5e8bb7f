"""FastAPI dependencies: the per-app objects that route handlers receive.

The integrations' own dependencies live beside them (`database.DatabaseDep`, when the service
has a database).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from pricing_api.lifecycle import Lifecycle
from pricing_api.settings import Settings


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_lifecycle(request: Request) -> Lifecycle:
    """The process lifecycle (serving or draining)."""
    lifecycle: Lifecycle = request.app.state.lifecycle
    return lifecycle


SettingsDep = Annotated[Settings, Depends(get_settings)]
LifecycleDep = Annotated[Lifecycle, Depends(get_lifecycle)]

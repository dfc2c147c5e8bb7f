"""The application factory."""

from __future__ import annotations

from fastapi import FastAPI

from orders_api import __version__, api, health, wiring
from orders_api.lifecycle import Lifecycle
from orders_api.middleware import RequestContextMiddleware
from orders_api.settings import Settings


def create_app(settings: Settings | None = None, lifecycle: Lifecycle | None = None) -> FastAPI:
    """Build the app: health endpoints, the v1 API and the request context middleware.

    `settings` defaults to the environment (`APP_*`); `lifecycle` to a new, serving one. The
    integrations the service's answers chose (`wiring`) attach their clients to `app.state`.
    """
    settings = settings or Settings()
    app = FastAPI(title=settings.service_name, version=__version__)
    app.state.settings = settings
    app.state.lifecycle = lifecycle or Lifecycle()
    wiring.attach(app, settings)
    app.include_router(health.router)
    app.include_router(api.router)
    app.add_middleware(RequestContextMiddleware, quiet_paths=health.PROBE_PATHS)
    return app

"""Request context middleware: request IDs, one JSON access log line per request, 500s."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orders_api.logs import log_context

REQUEST_ID_HEADER = "X-Request-ID"

#: Incoming request IDs are kept only if short and made of safe characters; others are replaced.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

access_logger = logging.getLogger("orders_api.access")
logger = logging.getLogger(__name__)


def request_id_for(headers: Headers) -> str:
    """The caller's X-Request-ID when it is sane, else a new random UUID."""
    incoming = headers.get(REQUEST_ID_HEADER)
    if incoming is not None and _SAFE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return str(uuid.uuid4())


class RequestContextMiddleware:
    """Give every HTTP request an ID, log it, echo it, and turn unhandled errors into JSON 500s.

    The ID is put in `logs.log_context`, so every log line written while handling the request
    carries `request_id`. Requests to `quiet_paths` (health probes) are logged at DEBUG.
    """

    def __init__(self, app: ASGIApp, quiet_paths: Iterable[str] = ()) -> None:
        self.app = app
        self.quiet_paths = frozenset(quiet_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_for(Headers(scope=scope))
        context = log_context.set({**(log_context.get() or {}), "request_id": request_id})
        started = time.perf_counter()
        response_status: int | None = None

        async def send_with_request_id(message: Message) -> None:
            nonlocal response_status
            if message["type"] == "http.response.start":
                response_status = message["status"]
                MutableHeaders(scope=message).append(REQUEST_ID_HEADER, request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_request_id)
        except Exception:
            logger.exception("unhandled error")
            if response_status is not None:
                raise
            error = JSONResponse({"detail": "Internal Server Error"}, status_code=500)
            await error(scope, receive, send_with_request_id)
        finally:
            self._log_access(scope, response_status or 500, started)
            log_context.reset(context)

    def _log_access(self, scope: Scope, status: int, started: float) -> None:
        """Write the access log line; `request_id` comes from the log context."""
        path: str = scope["path"]
        level = logging.DEBUG if path in self.quiet_paths else logging.INFO
        access_logger.log(
            level,
            "request",
            extra={
                "method": scope["method"],
                "path": path,
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            },
        )

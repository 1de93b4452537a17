"""What every process records about each HTTP request: its metrics, one log line, and the
request id on every line logged while serving it.

The request id is the W3C trace id (``kcp.tracing``): the router takes it from the client's
``traceparent`` or starts a trace, and passes it to the subgraphs, which take it from the header
the router sent. The application sees ``traceparent`` replaced by this process's own span in that
trace: what the router forwards as is, and the id logged here. One middleware does all three so a request pays for
one wrapper, one clock and one status capture.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import structlog

from kcp.error_reports import tag_request
from kcp.metrics import observe_request
from kcp.tracing import continue_trace

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger(__name__)

# Probes and scrapes arrive every few seconds; they are logged only at debug level.
QUIET_PATHS = frozenset({"/health", "/ready", "/metrics"})
_TRACEPARENT = b"traceparent"
# A client chooses the path: logged bounded, and never with its query string.
_MAX_LOGGED_PATH = 200


class TelemetryMiddleware:
    def __init__(self, app: ASGIApp, *, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        incoming = next((value.decode("latin-1") for name, value in headers if name == _TRACEPARENT), None)
        trace_id, own_span = continue_trace(incoming)
        replaced = [(name, value) for name, value in headers if name != _TRACEPARENT]
        replaced.append((_TRACEPARENT, own_span.encode("latin-1")))
        scope = {**scope, "headers": replaced}
        status = 500
        started = time.perf_counter()

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        tag_request(trace_id)
        with structlog.contextvars.bound_contextvars(request_id=trace_id):
            try:
                await self.app(scope, receive, send_with_status)
            finally:
                seconds = time.perf_counter() - started
                path, method = scope["path"], scope["method"]
                observe_request(self.service, method, path, status, seconds)
                emit = log.debug if path in QUIET_PATHS else log.info
                emit(
                    "http.request",
                    method=method,
                    path=path[:_MAX_LOGGED_PATH],
                    status=status,
                    duration_ms=round(seconds * 1000, 2),
                )

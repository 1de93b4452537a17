"""Events a service reports to analytics (a search made, a ticket solved), off the request path.

``emit`` only appends to a bounded in-memory queue, so the request that causes an event never
waits for analytics; a background task sends the queue in batches through analytics' public
``trackEvents`` mutation, signed as a service caller. When analytics is down or slow, events are
dropped and counted (``kcp_events_dropped_total``) rather than piling up: analytics is a
statistic, never a reason to slow down or fail the operation itself.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx
import structlog
from prometheus_client import Counter

from kcp.edge.signature import signed_json
from kcp.identity.caller import Caller, CallerKind
from kcp.identity.signed_headers import identity_headers

if TYPE_CHECKING:
    from kcp.settings import Settings

log = structlog.get_logger()

EVENTS_SENT = Counter("kcp_events_sent_total", "Events delivered to analytics.", ["service"])
EVENTS_DROPPED = Counter(
    "kcp_events_dropped_total", "Events not delivered to analytics, by reason.", ["service", "reason"]
)

TRACK_EVENTS = "mutation ServiceEvents($inputs: [TrackEventInput!]!) { trackEvents(inputs: $inputs) { id } }"
ANALYTICS_WRITE = "analytics:write"
QUEUE_SIZE = 10_000
BATCH_SIZE = 200
SEND_TIMEOUT_SECONDS = 2.0


class EventEmitter:
    """One per process: ``start()`` at app start-up, ``stop()`` at shutdown (sends what is left)."""

    def __init__(self, settings: Settings, *, service: str, client: httpx.AsyncClient | None = None) -> None:
        self._service = service
        self._url = settings.analytics_service_url
        secret = settings.kcp_identity_secret
        self._secret = None if secret is None else secret.get_secret_value()
        self._caller = Caller(kind=CallerKind.SERVICE, subject=service, scopes=frozenset({ANALYTICS_WRITE}))
        self._client = client
        self._owns_client = client is None
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self._task: asyncio.Task[None] | None = None

    def emit(self, kind: str, **fields: Any) -> None:
        """Queue one event: ``kind`` as analytics names it (``"search"``), fields in camelCase."""
        event = {"kind": kind.upper(), "occurredAt": datetime.now(UTC).isoformat(), **fields}
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            EVENTS_DROPPED.labels(self._service, "queue_full").inc()

    async def start(self) -> None:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=SEND_TIMEOUT_SECONDS)
        self._task = asyncio.create_task(self._run(), name=f"{self._service}-events")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._send(self._drain())
        if self._owns_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    async def flush(self) -> None:
        """Send everything queued now (tests and shutdown; the background task does it otherwise)."""
        await self._send(self._drain())

    def _drain(self) -> list[dict[str, Any]]:
        batch: list[dict[str, Any]] = []
        while not self._queue.empty() and len(batch) < QUEUE_SIZE:
            batch.append(self._queue.get_nowait())
        return batch

    async def _run(self) -> None:
        while True:
            first = await self._queue.get()
            batch = [first]
            while len(batch) < BATCH_SIZE and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            await self._send(batch)

    async def _send(self, events: list[dict[str, Any]]) -> None:
        for start in range(0, len(events), BATCH_SIZE):
            await self._send_batch(events[start : start + BATCH_SIZE])

    async def _send_batch(self, batch: list[dict[str, Any]]) -> None:
        if not batch or self._client is None:
            return
        headers = {} if self._secret is None else identity_headers(self._caller, self._secret)
        body, signed = signed_json(self._url, {"query": TRACK_EVENTS, "variables": {"inputs": batch}}, self._secret)
        try:
            response = await self._client.post(self._url, content=body, headers={**headers, **signed})
            body = response.json()
        except (httpx.HTTPError, ValueError) as error:
            EVENTS_DROPPED.labels(self._service, "unavailable").inc(len(batch))
            log.warning("events.analytics_unavailable", dropped=len(batch), error=type(error).__name__)
            return
        if isinstance(body, dict) and body.get("errors"):
            EVENTS_DROPPED.labels(self._service, "refused").inc(len(batch))
            first = body["errors"][0] if isinstance(body["errors"], list) and body["errors"] else {}
            code = first.get("extensions", {}).get("code") if isinstance(first, dict) else None
            log.warning("events.refused", dropped=len(batch), code=code)
            return
        EVENTS_SENT.labels(self._service).inc(len(batch))

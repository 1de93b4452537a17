"""Validates events per kind and stores them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import structlog

from subgraphs.analytics.events.errors import InvalidEventError
from subgraphs.analytics.events.kinds import EventKind

if TYPE_CHECKING:
    from collections.abc import Sequence

    from subgraphs.analytics.events.repository import EventRepository

log = structlog.get_logger()

MAX_BATCH = 500
MAX_ID_LENGTH = 64
MAX_QUERY_LENGTH = 500
# Clocks of the browsers and services that send events drift; beyond this an event is bogus.
FUTURE_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class NewEvent:
    kind: EventKind
    product_id: str | None = None
    article_id: str | None = None
    user_id: str | None = None
    query: str | None = None
    result_count: int | None = None
    helpful: bool | None = None
    occurred_at: datetime | None = None


@dataclass(frozen=True)
class StoredEvent:
    id: str
    kind: EventKind
    occurred_at: datetime


def _utc(moment: datetime) -> datetime:
    """Aware UTC; a timestamp without a zone is taken to be UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _field_problem(event: NewEvent, now: datetime) -> str | None:
    """Bounds every kind shares, in the client's terms (GraphQL field names)."""
    for name, value in (("productId", event.product_id), ("articleId", event.article_id), ("userId", event.user_id)):
        if value is not None and not 1 <= len(value) <= MAX_ID_LENGTH:
            return f"{name} must be 1 to {MAX_ID_LENGTH} characters"
    if event.query is not None and len(event.query) > MAX_QUERY_LENGTH:
        return f"query must be at most {MAX_QUERY_LENGTH} characters"
    if event.result_count is not None and event.result_count < 0:
        return "resultCount cannot be negative"
    if event.occurred_at is not None and _utc(event.occurred_at) > now + FUTURE_TOLERANCE:
        return "occurredAt cannot be in the future"
    return None


def _kind_problem(event: NewEvent) -> str | None:
    """What the event's kind needs and the event lacks. Unknown product/article ids are fine:
    analytics does not own them."""
    match event.kind:
        case EventKind.SEARCH if not (event.query or "").strip():
            return "search events need a non-empty query"
        case EventKind.SEARCH_CLICK if event.product_id is None and event.article_id is None:
            return "search_click events need the clicked productId or articleId"
        case EventKind.ARTICLE_VIEW if event.article_id is None:
            return "article_view events need an articleId"
        case EventKind.ARTICLE_FEEDBACK if event.article_id is None or event.helpful is None:
            return "article_feedback events need an articleId and helpful"
        case EventKind.CONTENT_GENERATED if event.product_id is None:
            return "content_generated events need a productId"
    return None


class EventService:
    def __init__(self, repository: EventRepository) -> None:
        self._repository = repository

    async def track(self, event: NewEvent) -> StoredEvent:
        return (await self.track_many([event], batch=False))[0]

    async def track_many(self, events: Sequence[NewEvent], *, batch: bool = True) -> list[StoredEvent]:
        """Validate every event first, then store them all in one transaction (or none)."""
        if len(events) > MAX_BATCH:
            msg = f"trackEvents takes at most {MAX_BATCH} events per call; got {len(events)}"
            raise InvalidEventError(msg)
        now = datetime.now(UTC)
        for index, event in enumerate(events):
            problem = _field_problem(event, now) or _kind_problem(event)
            if problem is not None:
                raise InvalidEventError(f"inputs[{index}]: {problem}" if batch else problem)
        stored = [
            StoredEvent(
                id=f"evt-{uuid.uuid4().hex}",
                kind=event.kind,
                occurred_at=now if event.occurred_at is None else _utc(event.occurred_at),
            )
            for event in events
        ]
        if stored:
            await self._repository.insert(
                [
                    {
                        "id": s.id,
                        "kind": str(e.kind),
                        "occurred_at": s.occurred_at,
                        "user_id": e.user_id,
                        "product_id": e.product_id,
                        "article_id": e.article_id,
                        "query": e.query,
                        "result_count": e.result_count,
                        "helpful": e.helpful,
                    }
                    for s, e in zip(stored, events, strict=True)
                ]
            )
        log.info("analytics.events_tracked", count=len(stored))
        return stored

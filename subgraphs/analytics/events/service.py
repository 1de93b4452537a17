"""Validates events per kind and per sender, and stores them idempotently."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import structlog
from prometheus_client import Counter

from kcp.errors import ForbiddenError, UnauthenticatedError
from kcp.identity import CallerKind
from subgraphs.analytics.events.errors import InvalidEventError
from subgraphs.analytics.events.kinds import SERVER_KINDS, EventKind
from subgraphs.analytics.events.repository import NewEventRow, StoredRow
from subgraphs.analytics.scopes import ANALYTICS_WRITE

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kcp.identity import Caller, Identity
    from subgraphs.analytics.events.repository import EventRepository

log = structlog.get_logger()

MAX_BATCH = 500
MAX_ID_LENGTH = 64
MAX_QUERY_LENGTH = 500
PROVIDERS = frozenset({"template", "openai", "anthropic"})
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
    ticket_id: str | None = None
    content_id: str | None = None
    solution_id: str | None = None
    deflected: bool | None = None
    provider: str | None = None
    client_event_id: str | None = None


@dataclass(frozen=True)
class StoredEvent:
    id: str
    kind: EventKind
    occurred_at: datetime
    client_event_id: str | None = None


def _utc(moment: datetime) -> datetime:
    """Aware UTC; a timestamp without a zone is taken to be UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _field_problem(event: NewEvent, now: datetime) -> str | None:
    """Bounds every kind shares, in the client's terms (GraphQL field names)."""
    for name, value in (
        ("productId", event.product_id),
        ("articleId", event.article_id),
        ("userId", event.user_id),
        ("ticketId", event.ticket_id),
        ("contentId", event.content_id),
        ("solutionId", event.solution_id),
        ("clientEventId", event.client_event_id),
    ):
        if value is not None and not 1 <= len(value) <= MAX_ID_LENGTH:
            return f"{name} must be 1 to {MAX_ID_LENGTH} characters"
    if event.query is not None and len(event.query) > MAX_QUERY_LENGTH:
        return f"query must be at most {MAX_QUERY_LENGTH} characters"
    if event.result_count is not None and event.result_count < 0:
        return "resultCount cannot be negative"
    if event.occurred_at is not None and _utc(event.occurred_at) > now + FUTURE_TOLERANCE:
        return "occurredAt cannot be in the future"
    if event.provider is not None and event.provider not in PROVIDERS:
        return f"provider must be one of {', '.join(sorted(PROVIDERS))}"
    return None


def _kind_problem(event: NewEvent) -> str | None:  # noqa: PLR0911 - one answer per kind
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
        case EventKind.TICKET_CREATED | EventKind.TICKET_SOLVED if event.ticket_id is None or event.product_id is None:
            return f"{event.kind} events need a ticketId and a productId"
        case EventKind.TICKET_DEFLECTED if event.product_id is None or event.solution_id is None:
            return "ticket_deflected events need a productId and the solutionId that helped"
        case EventKind.CONTENT_GENERATED if event.product_id is None:
            return "content_generated events need a productId"
    return None


def source_of(caller: Caller) -> str:
    """The sender an idempotency key belongs to: the same key from two senders is two events."""
    return "anonymous" if caller.kind is CallerKind.ANONYMOUS else f"{caller.kind}:{caller.subject}"


def _sender_check(identity: Identity, events: Sequence[NewEvent]) -> Caller:
    """Client kinds may come from anyone; server kinds, and naming another user, need analytics:write."""
    if identity.problem is not None:
        raise identity.problem
    caller = identity.caller
    if caller.has(ANALYTICS_WRITE):
        return caller
    for event in events:
        if event.kind in SERVER_KINDS:
            if not caller.authenticated:
                msg = f"{event.kind} events come from our services only: log in with the analytics:write scope"
                raise UnauthenticatedError(msg)
            msg = f"Missing scope {ANALYTICS_WRITE} for {event.kind} events"
            raise ForbiddenError(msg)
        if event.user_id is not None and event.user_id != caller.subject:
            msg = f"Only a caller with {ANALYTICS_WRITE} may report events of another user"
            raise ForbiddenError(msg)
    return caller


class EventService:
    def __init__(self, repository: EventRepository) -> None:
        self._repository = repository

    async def track(self, identity: Identity, event: NewEvent) -> StoredEvent:
        return (await self.track_many(identity, [event], batch=False))[0]

    async def track_many(
        self, identity: Identity, events: Sequence[NewEvent], *, batch: bool = True
    ) -> list[StoredEvent]:
        """Validate every event first, then store the new ones in one transaction (or none).

        An event whose ``clientEventId`` this sender already used is not stored again: the
        answer is the event stored the first time.
        """
        if len(events) > MAX_BATCH:
            msg = f"trackEvents takes at most {MAX_BATCH} events per call; got {len(events)}"
            raise InvalidEventError(msg)
        caller = _sender_check(identity, events)
        now = datetime.now(UTC)
        for index, event in enumerate(events):
            problem = _field_problem(event, now) or _kind_problem(event)
            if problem is not None:
                raise InvalidEventError(f"inputs[{index}]: {problem}" if batch else problem)
        source = source_of(caller)
        # A signed-in visitor's own events count as theirs without the client naming them.
        if caller.kind is CallerKind.USER:
            events = [e if e.user_id is not None else replace(e, user_id=caller.subject) for e in events]
        rows = [
            NewEventRow(
                id=f"evt-{uuid.uuid4().hex}",
                kind=str(e.kind),
                occurred_at=now if e.occurred_at is None else _utc(e.occurred_at),
                user_id=e.user_id,
                product_id=e.product_id,
                article_id=e.article_id,
                query=None if e.query is None else e.query.strip(),
                result_count=e.result_count,
                helpful=e.helpful,
                ticket_id=e.ticket_id,
                content_id=e.content_id,
                solution_id=e.solution_id,
                deflected=e.deflected,
                provider=e.provider,
                source=source,
                client_event_id=e.client_event_id,
            )
            for e in events
        ]
        stored = await self._repository.insert_idempotent(rows)
        for row, outcome in zip(rows, stored, strict=True):
            if outcome.new:
                BUSINESS_EVENTS.labels(row.kind, _outcome(row)).inc()
        log.info("analytics.events_tracked", count=len(rows), new=sum(s.new for s in stored))
        return [_stored(s) for s in stored]


BUSINESS_EVENTS = Counter(
    "kcp_business_events_total",
    "Events stored by analytics, by kind and outcome: the Business Metrics dashboard's searches, "
    "zero-result searches, article helpfulness, tickets created/solved (deflected or not), content generated.",
    ["kind", "outcome"],
)
# Every series the dashboard reads exists from the start at 0, so its panels show 0, not "no data".
for _kind, _outcome_label in (
    (EventKind.SEARCH, "results"),
    (EventKind.SEARCH, "zero_results"),
    (EventKind.ARTICLE_FEEDBACK, "helpful"),
    (EventKind.ARTICLE_FEEDBACK, "not_helpful"),
    (EventKind.TICKET_CREATED, "none"),
    (EventKind.TICKET_SOLVED, "deflected"),
    (EventKind.TICKET_SOLVED, "not_deflected"),
    (EventKind.CONTENT_GENERATED, "none"),
):
    BUSINESS_EVENTS.labels(str(_kind), _outcome_label)


def _outcome(row: NewEventRow) -> str:
    """A bounded label: what the dashboard splits each kind by (never a free-text value)."""
    if row.kind == EventKind.SEARCH:
        return "zero_results" if row.result_count == 0 else "results"
    if row.kind == EventKind.ARTICLE_FEEDBACK:
        return "helpful" if row.helpful else "not_helpful"
    if row.deflected is not None:
        return "deflected" if row.deflected else "not_deflected"
    return "none"


def _stored(row: StoredRow) -> StoredEvent:
    return StoredEvent(
        id=row.id, kind=EventKind(row.kind), occurred_at=row.occurred_at, client_event_id=row.client_event_id
    )

"""All store access of the metrics: aggregate queries over the events table, one statement each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, case, desc, func, select

from subgraphs.analytics.events.kinds import KNOWN_KINDS, EventKind
from subgraphs.analytics.metrics.buckets import bucket_start
from subgraphs.analytics.tables import EventRow

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from kcp.stores.relational import RelationalStore
    from subgraphs.analytics.metrics.buckets import TimeBucket, TimeRange


@dataclass(frozen=True)
class KindCount:
    kind: str
    count: int
    last_at: datetime | None
    deflected: int = 0
    """Of ticket_solved events: how many were deflected (solved before any agent replied)."""


@dataclass(frozen=True)
class ArticleCounts:
    views: int
    helpful: int
    unhelpful: int


@dataclass(frozen=True)
class QueryCount:
    query: str
    count: int
    average_results: float | None


@dataclass(frozen=True)
class ProductTickets:
    product_id: str
    created: int
    solved: int
    deflected: int
    self_service_deflections: int = 0
    """ticket_deflected events: tickets never opened because a suggested solution helped first."""


def _is(kind: EventKind) -> Any:
    return EventRow.kind == str(kind)


def _count_of(kind: EventKind) -> Any:
    return func.sum(case((_is(kind), 1), else_=0))


def _in(window: TimeRange) -> Any:
    return and_(EventRow.occurred_at >= window.start, EventRow.occurred_at < window.end)


class MetricsRepository:
    def __init__(self, store: RelationalStore) -> None:
        self._store = store

    @property
    def _dialect(self) -> str:
        return self._store.engine.dialect.name

    async def _rows(self, query: Any) -> Sequence[Any]:
        async with self._store.reading() as session:
            return (await session.execute(query)).all()

    async def counts_by_product(self, product_ids: Sequence[str]) -> dict[str, list[KindCount]]:
        """Event counts per kind for every product asked for: one GROUP BY query."""
        if not product_ids:
            return {}
        query = (
            select(
                EventRow.product_id,
                EventRow.kind,
                func.count(),
                func.max(EventRow.occurred_at),
                func.sum(case((EventRow.deflected.is_(True), 1), else_=0)),
            )
            .where(EventRow.product_id.in_(set(product_ids)))
            .group_by(EventRow.product_id, EventRow.kind)
        )
        found: dict[str, list[KindCount]] = {}
        for product_id, kind, count, last_at, deflected in await self._rows(query):
            found.setdefault(str(product_id), []).append(
                KindCount(kind=kind, count=int(count), last_at=last_at, deflected=int(deflected or 0))
            )
        return found

    async def counts_by_article(self, article_ids: Sequence[str]) -> dict[str, ArticleCounts]:
        """Views and feedback votes for every article asked for: one GROUP BY query."""
        if not article_ids:
            return {}
        return dict(await self._article_counts(EventRow.article_id.in_(set(article_ids))))

    async def _article_counts(self, where: Any, *, limit: int | None = None) -> list[tuple[str, ArticleCounts]]:
        feedback = _is(EventKind.ARTICLE_FEEDBACK)
        views = _count_of(EventKind.ARTICLE_VIEW)
        query = (
            select(
                EventRow.article_id,
                views,
                func.sum(case((and_(feedback, EventRow.helpful.is_(True)), 1), else_=0)),
                func.sum(case((and_(feedback, EventRow.helpful.is_(False)), 1), else_=0)),
            )
            .where(where, EventRow.article_id.is_not(None))
            .group_by(EventRow.article_id)
            .order_by(desc(views), EventRow.article_id)
            .limit(limit)
        )
        return [
            (str(article_id), ArticleCounts(views=int(v or 0), helpful=int(h or 0), unhelpful=int(u or 0)))
            for article_id, v, h, u in await self._rows(query)
        ]

    async def top_articles(self, window: TimeRange, limit: int) -> list[tuple[str, ArticleCounts]]:
        """The most viewed articles of the range, with their votes in it."""
        kinds = (str(EventKind.ARTICLE_VIEW), str(EventKind.ARTICLE_FEEDBACK))
        return await self._article_counts(and_(_in(window), EventRow.kind.in_(kinds)), limit=limit)

    async def counts_by_kind(self, window: TimeRange, kind: EventKind | None) -> dict[str, int]:
        """Events per known kind in the range."""
        kinds = [str(kind)] if kind is not None else sorted(KNOWN_KINDS)
        query = select(EventRow.kind, func.count()).where(EventRow.kind.in_(kinds), _in(window)).group_by(EventRow.kind)
        return {kind_: int(count) for kind_, count in await self._rows(query)}

    async def volume(
        self,
        window: TimeRange,
        bucket: TimeBucket,
        kind: EventKind,
        *,
        product_id: str | None = None,
        distinct_users: bool = False,
    ) -> dict[datetime, int]:
        """Events of ``kind`` (or distinct users, with ``distinct_users``) per bucket of the range."""
        start = bucket.expression(EventRow.occurred_at, self._dialect).label("bucket")
        counted = func.count(func.distinct(EventRow.user_id)) if distinct_users else func.count()
        conditions = [_in(window)]
        if distinct_users:
            conditions.append(EventRow.user_id.is_not(None))
        else:
            conditions.append(_is(kind))
        if product_id is not None:
            conditions.append(EventRow.product_id == product_id)
        query = select(start, counted).where(*conditions).group_by(start)
        return {bucket_start(value): int(count) for value, count in await self._rows(query)}

    async def active_user_count(self, window: TimeRange) -> int:
        query = select(func.count(func.distinct(EventRow.user_id))).where(_in(window), EventRow.user_id.is_not(None))
        return int((await self._rows(query))[0][0])

    async def queries(self, window: TimeRange, limit: int, *, zero_results_only: bool) -> list[QueryCount]:
        """Search texts (case-folded) by how often they were searched in the range."""
        text = func.lower(EventRow.query).label("text")
        conditions = [_in(window), _is(EventKind.SEARCH), EventRow.query.is_not(None)]
        if zero_results_only:
            conditions.append(EventRow.result_count == 0)
        query = (
            select(text, func.count().label("n"), func.avg(EventRow.result_count))
            .where(*conditions)
            .group_by(text)
            .order_by(desc("n"), text)
            .limit(limit)
        )
        return [
            QueryCount(query=str(q), count=int(n), average_results=None if avg is None else float(avg))
            for q, n, avg in await self._rows(query)
        ]

    async def tickets_by_product(self, window: TimeRange, limit: int) -> list[ProductTickets]:
        """Tickets created, solved and deflected, and tickets avoided before submission, per product
        in the range, busiest first."""
        created = _count_of(EventKind.TICKET_CREATED).label("created")
        solved = _count_of(EventKind.TICKET_SOLVED)
        deflected = func.sum(case((and_(_is(EventKind.TICKET_SOLVED), EventRow.deflected.is_(True)), 1), else_=0))
        avoided = _count_of(EventKind.TICKET_DEFLECTED)
        kinds = (str(EventKind.TICKET_CREATED), str(EventKind.TICKET_SOLVED), str(EventKind.TICKET_DEFLECTED))
        query = (
            select(EventRow.product_id, created, solved, deflected, avoided)
            .where(_in(window), EventRow.kind.in_(kinds), EventRow.product_id.is_not(None))
            .group_by(EventRow.product_id)
            .order_by(desc("created"), EventRow.product_id)
            .limit(limit)
        )
        return [
            ProductTickets(
                product_id=str(p),
                created=int(c or 0),
                solved=int(s or 0),
                deflected=int(d or 0),
                self_service_deflections=int(a or 0),
            )
            for p, c, s, d, a in await self._rows(query)
        ]

    async def generations_by_provider(self, window: TimeRange) -> dict[str, int]:
        provider = func.coalesce(EventRow.provider, "unknown").label("provider")
        query = (
            select(provider, func.count())
            .where(_in(window), _is(EventKind.CONTENT_GENERATED))
            .group_by(provider)
            .order_by(provider)
        )
        return {str(p): int(n) for p, n in await self._rows(query)}

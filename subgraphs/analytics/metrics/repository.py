"""All store access of the metrics: aggregate queries over the events table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import and_, case, func, select

from subgraphs.analytics.events.kinds import KNOWN_KINDS, EventKind
from subgraphs.analytics.tables import EventRow

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from kcp.stores.relational import RelationalStore


@dataclass(frozen=True)
class KindCount:
    kind: str
    count: int
    last_at: datetime | None


@dataclass(frozen=True)
class ArticleCounts:
    views: int
    helpful: int
    unhelpful: int


class MetricsRepository:
    def __init__(self, store: RelationalStore) -> None:
        self._store = store

    async def counts_by_product(self, product_ids: Sequence[str]) -> dict[str, list[KindCount]]:
        """Event counts per kind for every product asked for: one GROUP BY query."""
        if not product_ids:
            return {}
        query = (
            select(EventRow.product_id, EventRow.kind, func.count(), func.max(EventRow.occurred_at))
            .where(EventRow.product_id.in_(set(product_ids)))
            .group_by(EventRow.product_id, EventRow.kind)
        )
        found: dict[str, list[KindCount]] = {}
        async with self._store.reading() as session:
            for product_id, kind, count, last_at in (await session.execute(query)).all():
                found.setdefault(str(product_id), []).append(KindCount(kind=kind, count=int(count), last_at=last_at))
        return found

    async def counts_by_article(self, article_ids: Sequence[str]) -> dict[str, ArticleCounts]:
        """Views and feedback votes for every article asked for: one GROUP BY query."""
        if not article_ids:
            return {}
        feedback = EventRow.kind == str(EventKind.ARTICLE_FEEDBACK)
        query = (
            select(
                EventRow.article_id,
                func.sum(case((EventRow.kind == str(EventKind.ARTICLE_VIEW), 1), else_=0)),
                func.sum(case((and_(feedback, EventRow.helpful.is_(True)), 1), else_=0)),
                func.sum(case((and_(feedback, EventRow.helpful.is_(False)), 1), else_=0)),
            )
            .where(EventRow.article_id.in_(set(article_ids)))
            .group_by(EventRow.article_id)
        )
        async with self._store.reading() as session:
            rows = (await session.execute(query)).all()
        return {
            article_id: ArticleCounts(views=int(views or 0), helpful=int(helpful or 0), unhelpful=int(unhelpful or 0))
            for article_id, views, helpful, unhelpful in rows
        }

    async def counts_by_kind(self, start: datetime, end: datetime, kind: EventKind | None) -> dict[str, int]:
        """Events per known kind with ``start <= occurred_at < end``."""
        kinds = [str(kind)] if kind is not None else sorted(KNOWN_KINDS)
        query = (
            select(EventRow.kind, func.count())
            .where(EventRow.kind.in_(kinds), EventRow.occurred_at >= start, EventRow.occurred_at < end)
            .group_by(EventRow.kind)
        )
        async with self._store.reading() as session:
            return {kind_: int(count) for kind_, count in (await session.execute(query)).all()}

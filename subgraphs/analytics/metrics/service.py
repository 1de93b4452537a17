"""Metrics over time ranges; everything but the public counts needs ``analytics:read``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kcp.pagination import check_first
from subgraphs.analytics.events.kinds import EventKind
from subgraphs.analytics.metrics.buckets import TimeRange
from subgraphs.analytics.scopes import ANALYTICS_READ

if TYPE_CHECKING:
    from datetime import datetime

    from kcp.identity import Identity
    from subgraphs.analytics.metrics.buckets import TimeBucket
    from subgraphs.analytics.metrics.repository import ArticleCounts, MetricsRepository, ProductTickets, QueryCount


@dataclass(frozen=True)
class KindTotal:
    kind: EventKind
    count: int


class MetricsService:
    def __init__(self, repository: MetricsRepository) -> None:
        self._repository = repository

    async def event_counts(self, start: datetime, end: datetime, kind: EventKind | None) -> list[KindTotal]:
        """Counts of each kind (or of one kind) in ``[start, end)``, zeros included, in enum order."""
        counts = await self._repository.counts_by_kind(TimeRange.of(start, end), kind)
        kinds = [kind] if kind is not None else list(EventKind)
        return [KindTotal(kind=k, count=counts.get(str(k), 0)) for k in kinds]

    def open_report(self, identity: Identity, start: datetime, end: datetime) -> TimeRange:
        """The checked range of a metrics report, for a caller with ``analytics:read``."""
        identity.require(ANALYTICS_READ)
        return TimeRange.of(start, end)

    async def volume(
        self, window: TimeRange, bucket: TimeBucket, kind: EventKind, product_id: str | None = None
    ) -> list[tuple[datetime, int]]:
        window.buckets(bucket)  # refuse too many buckets before querying
        return window.filled(bucket, await self._repository.volume(window, bucket, kind, product_id=product_id))

    async def active_users(self, window: TimeRange, bucket: TimeBucket) -> list[tuple[datetime, int]]:
        window.buckets(bucket)
        counts = await self._repository.volume(window, bucket, EventKind.PAGE_VIEW, distinct_users=True)
        return window.filled(bucket, counts)

    async def active_user_count(self, window: TimeRange) -> int:
        return await self._repository.active_user_count(window)

    async def top_queries(self, window: TimeRange, first: int, *, zero_results_only: bool) -> list[QueryCount]:
        return await self._repository.queries(window, check_first(first), zero_results_only=zero_results_only)

    async def top_articles(self, window: TimeRange, first: int) -> list[tuple[str, ArticleCounts]]:
        return await self._repository.top_articles(window, check_first(first))

    async def tickets_by_product(self, window: TimeRange, first: int) -> list[ProductTickets]:
        return await self._repository.tickets_by_product(window, check_first(first))

    async def generations_by_provider(self, window: TimeRange) -> dict[str, int]:
        return await self._repository.generations_by_provider(window)

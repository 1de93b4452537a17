"""What every analytics resolver gets: services and per-request DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from subgraphs.analytics.metrics.loaders import article_counts_loader, product_counts_loader

if TYPE_CHECKING:
    from starlette.requests import Request
    from strawberry.dataloader import DataLoader

    from kcp.identity import Identity, IdentityResolver
    from subgraphs.analytics.events.service import EventService
    from subgraphs.analytics.metrics.repository import ArticleCounts, KindCount, MetricsRepository
    from subgraphs.analytics.metrics.service import MetricsService


@dataclass(frozen=True)
class AnalyticsContext:
    events: EventService
    metrics: MetricsService
    product_counts: DataLoader[str, list[KindCount]]
    article_counts: DataLoader[str, ArticleCounts]
    identity: Identity


@dataclass(frozen=True)
class AnalyticsContextFactory:
    events: EventService
    metrics: MetricsService
    repository: MetricsRepository
    identities: IdentityResolver

    async def __call__(self, request: Request) -> AnalyticsContext:
        return AnalyticsContext(
            identity=await self.identities(request.headers),
            events=self.events,
            metrics=self.metrics,
            product_counts=product_counts_loader(self.repository),
            article_counts=article_counts_loader(self.repository),
        )

"""DataLoaders of the metrics, built once per request: one query per `_entities` batch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcp.batching import grouped_by_id, values_by_id
from subgraphs.analytics.metrics.repository import ArticleCounts

if TYPE_CHECKING:
    from strawberry.dataloader import DataLoader

    from subgraphs.analytics.metrics.repository import KindCount, MetricsRepository

NO_ARTICLE_EVENTS = ArticleCounts(views=0, helpful=0, unhelpful=0)


def product_counts_loader(repository: MetricsRepository) -> DataLoader[str, list[KindCount]]:
    return grouped_by_id(repository.counts_by_product)


def article_counts_loader(repository: MetricsRepository) -> DataLoader[str, ArticleCounts]:
    return values_by_id(repository.counts_by_article, NO_ARTICLE_EVENTS)

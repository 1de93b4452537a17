"""DataLoaders of the metrics, built once per request: one query per `_entities` batch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from strawberry.dataloader import DataLoader

from subgraphs.analytics.metrics.repository import ArticleCounts

if TYPE_CHECKING:
    from collections.abc import Sequence

    from subgraphs.analytics.metrics.repository import KindCount, MetricsRepository

NO_ARTICLE_EVENTS = ArticleCounts(views=0, helpful=0, unhelpful=0)


def product_counts_loader(repository: MetricsRepository) -> DataLoader[str, list[KindCount]]:
    async def load(ids: Sequence[str]) -> list[list[KindCount]]:
        found = await repository.counts_by_product(ids)
        return [found.get(product_id, []) for product_id in ids]

    return DataLoader(load_fn=load)


def article_counts_loader(repository: MetricsRepository) -> DataLoader[str, ArticleCounts]:
    async def load(ids: Sequence[str]) -> list[ArticleCounts]:
        found = await repository.counts_by_article(ids)
        return [found.get(article_id, NO_ARTICLE_EVENTS) for article_id in ids]

    return DataLoader(load_fn=load)

"""Per-request DataLoaders of articles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kcp.batching import grouped_by_id, records_by_id

if TYPE_CHECKING:
    from strawberry.dataloader import DataLoader

    from subgraphs.knowledge.articles.repository import ArticleRepository
    from subgraphs.knowledge.tables import ArticleRow, ArticleVersionRow


@dataclass(frozen=True, slots=True)
class ArticleLoaders:
    article: DataLoader[str, ArticleRow | None]
    # What relations (`Solution.articles`, `Product.articles`) show: a draft loads as None.
    published_article: DataLoader[str, ArticleRow | None]
    versions: DataLoader[str, list[ArticleVersionRow]]

    @classmethod
    def build(cls, repository: ArticleRepository) -> ArticleLoaders:
        return cls(
            article=records_by_id(repository.articles, lambda row: row.id),
            published_article=records_by_id(repository.published_articles, lambda row: row.id),
            versions=grouped_by_id(repository.versions_of),
        )

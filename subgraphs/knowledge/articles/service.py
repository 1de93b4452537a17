"""Article lookups, listings and search."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcp.pagination import check_first
from subgraphs.knowledge.articles.errors import MAX_QUERY_LENGTH, InvalidSearchQueryError
from subgraphs.knowledge.articles.repository import PUBLISHED

if TYPE_CHECKING:
    from subgraphs.knowledge.articles.loaders import ArticleLoaders
    from subgraphs.knowledge.articles.repository import ArticleRepository
    from subgraphs.knowledge.tables import ArticleRow


class ArticleService:
    def __init__(self, repository: ArticleRepository, loaders: ArticleLoaders) -> None:
        self._repository = repository
        self._loaders = loaders

    async def article(self, article_id: str) -> ArticleRow | None:
        return await self._loaders.article.load(article_id)

    async def article_by_slug(self, slug: str) -> ArticleRow | None:
        row = await self._repository.article_by_slug(slug)
        if row is not None:
            self._loaders.article.prime(row.id, row)
        return row

    async def articles(self, *, kind: str | None, status: str | None, first: int) -> list[ArticleRow]:
        rows = await self._repository.article_page(kind=kind, status=status, limit=check_first(first))
        self._loaders.article.prime_many({row.id: row for row in rows})
        return rows

    async def search(self, query: str, *, first: int) -> list[ArticleRow]:
        """Published articles containing every word of ``query`` in their title or body."""
        limit = check_first(first)
        if len(query) > MAX_QUERY_LENGTH:
            raise InvalidSearchQueryError.too_long(len(query))
        terms = list(dict.fromkeys(query.split()))
        if not terms:
            raise InvalidSearchQueryError.empty()
        rows = await self._repository.search(terms, status=PUBLISHED, limit=limit)
        self._loaders.article.prime_many({row.id: row for row in rows})
        return rows

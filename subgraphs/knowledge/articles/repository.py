"""All relational access for articles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, case, desc, literal, or_, select

from subgraphs.knowledge.tables import ArticleRow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kcp.stores.relational import RelationalStore


PUBLISHED = "published"


def _contains(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class ArticleRepository:
    def __init__(self, relational: RelationalStore) -> None:
        self._relational = relational

    async def articles(self, ids: Sequence[str]) -> list[ArticleRow]:
        async with self._relational.reading() as session:
            return list(await session.scalars(select(ArticleRow).where(ArticleRow.id.in_(ids))))

    async def published_articles(self, ids: Sequence[str]) -> list[ArticleRow]:
        """The published ones among the given articles: what relations may show (drafts stay unlisted)."""
        statement = select(ArticleRow).where(ArticleRow.id.in_(ids), ArticleRow.status == PUBLISHED)
        async with self._relational.reading() as session:
            return list(await session.scalars(statement))

    async def article_by_slug(self, slug: str) -> ArticleRow | None:
        async with self._relational.reading() as session:
            return await session.scalar(select(ArticleRow).where(ArticleRow.slug == slug))

    async def article_page(self, *, kind: str | None, status: str | None, limit: int) -> list[ArticleRow]:
        """Articles, newest first."""
        statement = select(ArticleRow).order_by(desc(ArticleRow.published_at), ArticleRow.id).limit(limit)
        if kind is not None:
            statement = statement.where(ArticleRow.kind == kind)
        if status is not None:
            statement = statement.where(ArticleRow.status == status)
        async with self._relational.reading() as session:
            return list(await session.scalars(statement))

    async def search(self, terms: Sequence[str], *, status: str, limit: int) -> list[ArticleRow]:
        """Articles whose title or body contains every term (case-insensitive); title hits first."""
        matches = [
            or_(
                ArticleRow.title.ilike(_contains(term), escape="\\"),
                ArticleRow.body.ilike(_contains(term), escape="\\"),
            )
            for term in terms
        ]
        title_hits: ColumnElement[int] = literal(0)
        for term in terms:
            title_hits = title_hits + case((ArticleRow.title.ilike(_contains(term), escape="\\"), 1), else_=0)
        statement = (
            select(ArticleRow)
            .where(and_(ArticleRow.status == status, *matches))
            .order_by(desc(title_hits), desc(ArticleRow.published_at), ArticleRow.id)
            .limit(limit)
        )
        async with self._relational.reading() as session:
            return list(await session.scalars(statement))

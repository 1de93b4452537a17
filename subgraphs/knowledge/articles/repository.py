"""All relational access for articles and their versions.

Reads open their own session; writes take the caller's transaction (``writing()``) so that the
article, its new version and its search-index entry commit together or not at all.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, cast, desc, func, select
from sqlalchemy.dialects.postgresql import JSONB

from subgraphs.knowledge.search.repository import index_article
from subgraphs.knowledge.tables import ArticleRow, ArticleVersionRow

if TYPE_CHECKING:
    import contextlib
    from collections.abc import Sequence

    from sqlalchemy.ext.asyncio import AsyncSession

    from kcp.stores.relational import RelationalStore


PUBLISHED = "published"


class ArticleRepository:
    def __init__(self, relational: RelationalStore) -> None:
        self._relational = relational

    def writing(self) -> contextlib.AbstractAsyncContextManager[AsyncSession]:
        return self._relational.transaction()

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

    async def article_page(  # noqa: PLR0913 - the filters of one listing
        self, *, kind: str | None, statuses: Sequence[str], locale: str | None, tag: str | None, offset: int, limit: int
    ) -> tuple[list[ArticleRow], int]:
        """Articles, newest first (published, then last changed), and how many match in all."""
        condition: list[ColumnElement[bool]] = [ArticleRow.status.in_(statuses)]
        if kind is not None:
            condition.append(ArticleRow.kind == kind)
        if locale is not None:
            condition.append(ArticleRow.locale == locale)
        if tag is not None:  # tags are a JSON list: one element equals the tag
            if self._relational.engine.dialect.name == "postgresql":
                condition.append(func.jsonb_exists(cast(ArticleRow.tags, JSONB), tag))
            else:
                each = func.json_each(ArticleRow.tags).table_valued("value")
                condition.append(select(each.c.value).where(each.c.value == tag).exists())
        page = (
            select(ArticleRow)
            .where(*condition)
            .order_by(desc(ArticleRow.published_at), desc(ArticleRow.updated_at), ArticleRow.id)
            .offset(offset)
            .limit(limit)
        )
        async with self._relational.reading() as session:
            rows = list(await session.scalars(page))
            total = int(await session.scalar(select(func.count()).select_from(ArticleRow).where(*condition)) or 0)
        return rows, total

    async def versions_of(self, article_ids: Sequence[str]) -> dict[str, list[ArticleVersionRow]]:
        """Every version of each article, newest first."""
        statement = (
            select(ArticleVersionRow)
            .where(ArticleVersionRow.article_id.in_(article_ids))
            .order_by(ArticleVersionRow.article_id, desc(ArticleVersionRow.number))
        )
        grouped: dict[str, list[ArticleVersionRow]] = defaultdict(list)
        async with self._relational.reading() as session:
            for row in await session.scalars(statement):
                grouped[row.article_id].append(row)
        return grouped

    # ---- writes, in the caller's transaction --------------------------------------------------

    @staticmethod
    async def slug_owner(session: AsyncSession, slug: str) -> str | None:
        return await session.scalar(select(ArticleRow.id).where(ArticleRow.slug == slug))

    @staticmethod
    async def for_update(session: AsyncSession, article_id: str) -> ArticleRow | None:
        return await session.get(ArticleRow, article_id)

    @staticmethod
    async def save(session: AsyncSession, row: ArticleRow, version: ArticleVersionRow) -> None:
        """Store the article as it now is, its new version and its index entry."""
        session.add(row)
        session.add(version)
        await session.flush()
        await index_article(session, row)

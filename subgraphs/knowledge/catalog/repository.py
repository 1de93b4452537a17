"""All relational access for categories, products and features."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from sqlalchemy import select

from subgraphs.knowledge.tables import CategoryRow, FeatureRow, ProductRow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kcp.stores.relational import RelationalStore


class CatalogRepository:
    def __init__(self, relational: RelationalStore) -> None:
        self._relational = relational

    async def categories(self, ids: Sequence[str] | None = None) -> list[CategoryRow]:
        """The categories with the given ids, or all of them, by name."""
        statement = select(CategoryRow).order_by(CategoryRow.name, CategoryRow.id)
        if ids is not None:
            statement = statement.where(CategoryRow.id.in_(ids))
        async with self._relational.reading() as session:
            return list(await session.scalars(statement))

    async def products(self, ids: Sequence[str]) -> list[ProductRow]:
        async with self._relational.reading() as session:
            return list(await session.scalars(select(ProductRow).where(ProductRow.id.in_(ids))))

    async def product_by_slug(self, slug: str) -> ProductRow | None:
        async with self._relational.reading() as session:
            return await session.scalar(select(ProductRow).where(ProductRow.slug == slug))

    async def product_page(self, *, category_slug: str | None, after: str | None, limit: int) -> list[ProductRow]:
        """Products ordered by id, from just after the product id ``after``."""
        statement = select(ProductRow).order_by(ProductRow.id).limit(limit)
        if category_slug is not None:
            statement = statement.join(CategoryRow, CategoryRow.id == ProductRow.category_id).where(
                CategoryRow.slug == category_slug
            )
        if after is not None:
            statement = statement.where(ProductRow.id > after)
        async with self._relational.reading() as session:
            return list(await session.scalars(statement))

    async def products_in_categories(self, category_ids: Sequence[str]) -> dict[str, list[ProductRow]]:
        statement = select(ProductRow).where(ProductRow.category_id.in_(category_ids)).order_by(ProductRow.id)
        grouped: dict[str, list[ProductRow]] = defaultdict(list)
        async with self._relational.reading() as session:
            for row in await session.scalars(statement):
                grouped[row.category_id].append(row)
        return grouped

    async def features(self, ids: Sequence[str]) -> list[FeatureRow]:
        async with self._relational.reading() as session:
            return list(await session.scalars(select(FeatureRow).where(FeatureRow.id.in_(ids))))

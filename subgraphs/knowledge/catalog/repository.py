"""All relational access for categories, products and features."""

from __future__ import annotations

from collections import defaultdict
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, asc, desc, func, select

from subgraphs.knowledge.tables import CategoryRow, FeatureRow, FirmwareRow, ProductRow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kcp.stores.relational import RelationalStore


class ProductOrder(StrEnum):
    NAME = "name"
    NEWEST = "newest"
    OLDEST = "oldest"
    PRICE_LOW_TO_HIGH = "price_low_to_high"
    PRICE_HIGH_TO_LOW = "price_high_to_low"


SORT_COLUMNS: dict[ProductOrder, tuple[Any, bool]] = {  # (column, descending)
    ProductOrder.NAME: (ProductRow.name, False),
    ProductOrder.NEWEST: (ProductRow.released_at, True),
    ProductOrder.OLDEST: (ProductRow.released_at, False),
    ProductOrder.PRICE_LOW_TO_HIGH: (ProductRow.price_cents, False),
    ProductOrder.PRICE_HIGH_TO_LOW: (ProductRow.price_cents, True),
}


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

    async def product_page(  # noqa: PLR0913 - the filters of one listing
        self,
        *,
        category_slug: str | None,
        series: str | None,
        among: Sequence[str] | None,
        sort: ProductOrder,
        offset: int,
        limit: int,
    ) -> tuple[list[ProductRow], int]:
        """A page of products in ``sort`` order (ties by id) and how many match in all.

        ``among`` restricts the page to those ids (what the graph said has a feature).
        """
        condition: list[ColumnElement[bool]] = []
        if category_slug is not None:
            condition.append(
                ProductRow.category_id.in_(select(CategoryRow.id).where(CategoryRow.slug == category_slug))
            )
        if series is not None:
            condition.append(func.lower(ProductRow.series) == series.lower())
        if among is not None:
            condition.append(ProductRow.id.in_(among))
        column, descending = SORT_COLUMNS[sort]
        page = (
            select(ProductRow)
            .where(*condition)
            .order_by(desc(column) if descending else asc(column), ProductRow.id)
            .offset(offset)
            .limit(limit)
        )
        async with self._relational.reading() as session:
            rows = list(await session.scalars(page))
            total = int(await session.scalar(select(func.count()).select_from(ProductRow).where(*condition)) or 0)
        return rows, total

    async def all_features(self) -> list[FeatureRow]:
        async with self._relational.reading() as session:
            return list(await session.scalars(select(FeatureRow).order_by(FeatureRow.name, FeatureRow.id)))

    async def firmware(self, ids: Sequence[str]) -> list[FirmwareRow]:
        async with self._relational.reading() as session:
            return list(await session.scalars(select(FirmwareRow).where(FirmwareRow.id.in_(ids))))

    async def firmware_of_products(self, product_ids: Sequence[str]) -> dict[str, list[FirmwareRow]]:
        """Each product's firmware, oldest first."""
        statement = (
            select(FirmwareRow)
            .where(FirmwareRow.product_id.in_(product_ids))
            .order_by(FirmwareRow.product_id, FirmwareRow.released_at, FirmwareRow.id)
        )
        grouped: dict[str, list[FirmwareRow]] = defaultdict(list)
        async with self._relational.reading() as session:
            for row in await session.scalars(statement):
                grouped[row.product_id].append(row)
        return grouped

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

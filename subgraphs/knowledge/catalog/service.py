"""Catalog queries: lookups by id or slug, pages of products, categories."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcp.pagination import check_first

if TYPE_CHECKING:
    from subgraphs.knowledge.catalog.loaders import CatalogLoaders
    from subgraphs.knowledge.catalog.repository import CatalogRepository
    from subgraphs.knowledge.tables import CategoryRow, ProductRow


class CatalogService:
    def __init__(self, repository: CatalogRepository, loaders: CatalogLoaders) -> None:
        self._repository = repository
        self._loaders = loaders

    async def product(self, product_id: str) -> ProductRow | None:
        return await self._loaders.product.load(product_id)

    async def product_by_slug(self, slug: str) -> ProductRow | None:
        row = await self._repository.product_by_slug(slug)
        if row is not None:
            self._loaders.product.prime(row.id, row)
        return row

    async def products(self, *, category_slug: str | None, first: int, after: str | None) -> list[ProductRow]:
        """A page of products by id; an unknown category slug gives an empty page."""
        rows = await self._repository.product_page(category_slug=category_slug, after=after, limit=check_first(first))
        self._loaders.product.prime_many({row.id: row for row in rows})
        return rows

    async def categories(self) -> list[CategoryRow]:
        rows = await self._repository.categories()
        self._loaders.category.prime_many({row.id: row for row in rows})
        return rows

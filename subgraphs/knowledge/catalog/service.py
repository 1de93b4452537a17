"""Catalog queries: lookups by id or slug, filtered and sorted pages of products, categories, features."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcp.pagination import Window
from subgraphs.knowledge.relations.repository import Traversal

if TYPE_CHECKING:
    from subgraphs.knowledge.catalog.loaders import CatalogLoaders
    from subgraphs.knowledge.catalog.repository import CatalogRepository, ProductOrder
    from subgraphs.knowledge.relations.repository import RelationRepository
    from subgraphs.knowledge.tables import CategoryRow, FeatureRow, ProductRow


class CatalogService:
    def __init__(self, repository: CatalogRepository, loaders: CatalogLoaders, relations: RelationRepository) -> None:
        self._repository = repository
        self._loaders = loaders
        self._relations = relations

    async def product(self, product_id: str) -> ProductRow | None:
        return await self._loaders.product.load(product_id)

    async def product_by_slug(self, slug: str) -> ProductRow | None:
        row = await self._repository.product_by_slug(slug)
        if row is not None:
            self._loaders.product.prime(row.id, row)
        return row

    async def products(  # noqa: PLR0913 - the filters of one listing
        self,
        *,
        category_slug: str | None,
        series: str | None,
        feature_id: str | None,
        sort: ProductOrder,
        first: int,
        after: str | None,
    ) -> tuple[list[ProductRow], int, Window]:
        """A page of products; unknown category, series or feature give an empty page."""
        window = Window.of(first, after)
        among = None
        if feature_id is not None:  # the graph knows who has the feature; SQL filters, sorts and pages
            among = (await self._relations.related(Traversal.PRODUCTS_WITH_FEATURE, [feature_id])).get(feature_id, [])
        rows, total = await self._repository.product_page(
            category_slug=category_slug,
            series=series,
            among=among,
            sort=sort,
            offset=window.offset,
            limit=window.limit + 1,
        )
        self._loaders.product.prime_many({row.id: row for row in rows})
        return rows, total, window

    async def categories(self) -> list[CategoryRow]:
        rows = await self._repository.categories()
        self._loaders.category.prime_many({row.id: row for row in rows})
        return rows

    async def features(self) -> list[FeatureRow]:
        rows = await self._repository.all_features()
        self._loaders.feature.prime_many({row.id: row for row in rows})
        return rows

    async def feature(self, feature_id: str) -> FeatureRow | None:
        return await self._loaders.feature.load(feature_id)

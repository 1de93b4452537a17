"""Per-request DataLoaders of catalog records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kcp.batching import grouped_by_id, records_by_id

if TYPE_CHECKING:
    from strawberry.dataloader import DataLoader

    from subgraphs.knowledge.catalog.repository import CatalogRepository
    from subgraphs.knowledge.tables import CategoryRow, FeatureRow, FirmwareRow, ProductRow


@dataclass(frozen=True, slots=True)
class CatalogLoaders:
    category: DataLoader[str, CategoryRow | None]
    product: DataLoader[str, ProductRow | None]
    products_in_category: DataLoader[str, list[ProductRow]]
    feature: DataLoader[str, FeatureRow | None]
    firmware: DataLoader[str, FirmwareRow | None]
    firmware_of_product: DataLoader[str, list[FirmwareRow]]

    @classmethod
    def build(cls, repository: CatalogRepository) -> CatalogLoaders:
        return cls(
            category=records_by_id(repository.categories, lambda row: row.id),
            product=records_by_id(repository.products, lambda row: row.id),
            products_in_category=grouped_by_id(repository.products_in_categories),
            feature=records_by_id(repository.features, lambda row: row.id),
            firmware=records_by_id(repository.firmware, lambda row: row.id),
            firmware_of_product=grouped_by_id(repository.firmware_of_products),
        )

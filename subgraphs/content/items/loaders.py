"""DataLoaders of the content domain, built once per request: one store query per batch."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from strawberry.dataloader import DataLoader

if TYPE_CHECKING:
    from collections.abc import Sequence

    from subgraphs.content.items.repository import ContentItemRecord, ContentRepository, RevisionRecord

MAX_BATCH = 500


@dataclass(frozen=True, slots=True)
class ContentLoaders:
    item_by_id: DataLoader[str, ContentItemRecord | None]
    revisions_by_item: DataLoader[str, list[RevisionRecord]]
    items_by_product: DataLoader[str, list[ContentItemRecord]]


def build_loaders(repository: ContentRepository) -> ContentLoaders:
    async def load_items(ids: Sequence[str]) -> list[ContentItemRecord | None]:
        found = {item.id: item for item in await repository.items_by_ids(ids)}
        return [found.get(item_id) for item_id in ids]

    async def load_revisions(item_ids: Sequence[str]) -> list[list[RevisionRecord]]:
        grouped: dict[str, list[RevisionRecord]] = defaultdict(list)
        for revision in await repository.revisions_for_items(item_ids):
            grouped[revision.content_item_id].append(revision)
        return [grouped.get(item_id, []) for item_id in item_ids]

    async def load_product_items(product_ids: Sequence[str]) -> list[list[ContentItemRecord]]:
        grouped: dict[str, list[ContentItemRecord]] = defaultdict(list)
        for item in await repository.items_for_products(product_ids):
            grouped[item.product_id].append(item)
        return [grouped.get(product_id, []) for product_id in product_ids]

    return ContentLoaders(
        item_by_id=DataLoader(load_fn=load_items, max_batch_size=MAX_BATCH),
        revisions_by_item=DataLoader(load_fn=load_revisions, max_batch_size=MAX_BATCH),
        items_by_product=DataLoader(load_fn=load_product_items, max_batch_size=MAX_BATCH),
    )

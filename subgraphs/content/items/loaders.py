"""DataLoaders of the content domain, built once per request: one store query per batch."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from strawberry.dataloader import DataLoader

if TYPE_CHECKING:
    from collections.abc import Sequence

    from subgraphs.content.items.repository import ContentItemRecord, ContentRepository, RevisionRecord
    from subgraphs.content.templates.repository import TemplateRecord, TemplateRepository

MAX_BATCH = 500


@dataclass(frozen=True, slots=True)
class ContentLoaders:
    item_by_id: DataLoader[str, ContentItemRecord | None]
    revisions_by_item: DataLoader[str, list[RevisionRecord]]
    items_by_product: DataLoader[str, list[ContentItemRecord]]
    translations_by_original: DataLoader[str, list[ContentItemRecord]]
    template_by_id: DataLoader[str, TemplateRecord | None]


def build_loaders(repository: ContentRepository, templates: TemplateRepository) -> ContentLoaders:
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

    async def load_translations(original_ids: Sequence[str]) -> list[list[ContentItemRecord]]:
        grouped: dict[str, list[ContentItemRecord]] = defaultdict(list)
        for item in await repository.translations_of(original_ids):
            grouped[str(item.translation_of)].append(item)
        return [grouped.get(original_id, []) for original_id in original_ids]

    async def load_templates(ids: Sequence[str]) -> list[TemplateRecord | None]:
        found = {template.id: template for template in await templates.by_ids(ids)}
        return [found.get(template_id) for template_id in ids]

    return ContentLoaders(
        item_by_id=DataLoader(load_fn=load_items, max_batch_size=MAX_BATCH),
        revisions_by_item=DataLoader(load_fn=load_revisions, max_batch_size=MAX_BATCH),
        items_by_product=DataLoader(load_fn=load_product_items, max_batch_size=MAX_BATCH),
        translations_by_original=DataLoader(load_fn=load_translations, max_batch_size=MAX_BATCH),
        template_by_id=DataLoader(load_fn=load_templates, max_batch_size=MAX_BATCH),
    )

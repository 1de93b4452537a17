"""DataLoaders of the content domain, built once per request: one store query per batch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kcp.batching import grouped_records, records_by_id

if TYPE_CHECKING:
    from strawberry.dataloader import DataLoader

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
    return ContentLoaders(
        item_by_id=records_by_id(repository.items_by_ids, lambda item: item.id, max_batch_size=MAX_BATCH),
        revisions_by_item=grouped_records(
            repository.revisions_for_items, lambda revision: revision.content_item_id, max_batch_size=MAX_BATCH
        ),
        items_by_product=grouped_records(
            repository.items_for_products, lambda item: item.product_id, max_batch_size=MAX_BATCH
        ),
        translations_by_original=grouped_records(
            repository.translations_of, lambda item: str(item.translation_of), max_batch_size=MAX_BATCH
        ),
        template_by_id=records_by_id(templates.by_ids, lambda template: template.id, max_batch_size=MAX_BATCH),
    )

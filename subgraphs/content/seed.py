"""Load the demo dataset's content items and revisions; idempotent (stable ids, insert-if-missing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import structlog

from kcp.seeding import chunks
from subgraphs.content.items.repository import ContentItemRecord, ContentRepository, RevisionRecord
from subgraphs.content.stores import ContentStores

if TYPE_CHECKING:
    from demo.model import DemoData
    from kcp.seeding import SeedProgress
    from kcp.settings import Settings

log = structlog.get_logger()


async def seed(settings: Settings, data: DemoData, progress: SeedProgress) -> None:
    stores = ContentStores.open(settings)
    try:
        await stores.ensure_schema()
        repository = ContentRepository(stores.documents)
        items: list[ContentItemRecord] = []
        revisions: list[RevisionRecord] = []
        for demo in data.content_items:
            ordered = sorted(demo.revisions, key=lambda r: r.number)
            if not ordered:
                log.warning("content.seed_item_skipped", content_item_id=demo.id, reason="no revisions")
                continue
            items.append(
                ContentItemRecord(
                    id=demo.id,
                    product_id=demo.product_id,
                    kind=demo.kind,
                    title=demo.title,
                    locale=demo.locale,
                    status=demo.status,
                    created_at=ordered[0].created_at,
                )
            )
            revisions.extend(
                RevisionRecord(
                    id=r.id,
                    content_item_id=demo.id,
                    number=r.number,
                    body=r.body,
                    author_id=r.author_id,
                    created_at=r.created_at,
                )
                for r in ordered
            )
        inserted_items = inserted_revisions = 0
        # Revisions before items, as in the service: an item is never visible without its revisions.
        progress.start("content revisions", len(revisions))
        for chunk in chunks(revisions):
            inserted_revisions += await repository.insert_revisions_missing(chunk)
            progress.advance(len(chunk))
        progress.start("content items", len(items))
        for chunk_items in chunks(items):
            inserted_items += await repository.insert_items_missing(chunk_items)
            progress.advance(len(chunk_items))
        log.info("content.seeded", items=inserted_items, revisions=inserted_revisions)
    finally:
        await stores.close()

"""Load the demo dataset's content: items with revisions and reviews, templates, generation jobs.

Idempotent (stable ids, insert-if-missing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import structlog

from kcp.seeding import chunks
from subgraphs.content.generation.repository import JobRecord, JobRepository
from subgraphs.content.items.repository import ContentItemRecord, ContentRepository, ReviewRecord, RevisionRecord
from subgraphs.content.stores import ContentStores
from subgraphs.content.templates.placeholders import variables_of
from subgraphs.content.templates.repository import TemplateRecord, TemplateRepository

if TYPE_CHECKING:
    from demo.model import DemoContentItem, DemoData
    from kcp.seeding import SeedProgress
    from kcp.settings import Settings

log = structlog.get_logger()


def _item(demo: DemoContentItem, ordered: list[RevisionRecord]) -> ContentItemRecord:
    reviews = tuple(
        ReviewRecord(r.from_status, r.to_status, r.by, r.at, r.revision_number, r.comment) for r in demo.reviews
    )
    published = [r.revision_number for r in reviews if r.to_status == "published"]
    last = reviews[-1] if reviews else None
    return ContentItemRecord(
        id=demo.id,
        product_id=demo.product_id,
        kind=demo.kind,
        title=demo.title,
        locale=demo.locale,
        status=demo.status,
        created_at=ordered[0].created_at,
        created_by=ordered[0].author_id,
        translation_of=demo.translation_of,
        template_id=demo.template_id,
        published_revision=published[-1] if published else None,
        status_changed_at=None if last is None else last.at,
        status_changed_by=None if last is None else last.by,
        reviews=reviews,
    )


async def seed(settings: Settings, data: DemoData, progress: SeedProgress) -> None:
    stores = ContentStores.open(settings)
    try:
        await stores.ensure_schema()
        repository = ContentRepository(stores.documents)
        items: list[ContentItemRecord] = []
        revisions: list[RevisionRecord] = []
        for demo in data.content_items:
            ordered = [
                RevisionRecord(
                    id=r.id,
                    content_item_id=demo.id,
                    number=r.number,
                    body=r.body,
                    author_id=r.author_id,
                    created_at=r.created_at,
                )
                for r in sorted(demo.revisions, key=lambda r: r.number)
            ]
            if not ordered:
                log.warning("content.seed_item_skipped", content_item_id=demo.id, reason="no revisions")
                continue
            items.append(_item(demo, ordered))
            revisions.extend(ordered)
        templates = [
            TemplateRecord(
                id=t.id, name=t.name, kind=t.kind, locale=t.locale, description=t.description, body=t.body,
                variables=tuple(variables_of(t.body)), created_by=t.created_by, created_at=t.created_at,
            )
            for t in data.content_templates
        ]  # fmt: skip
        jobs = [
            JobRecord(
                id=j.id, product_id=j.product_id, kind=j.kind, locale=j.locale, status=j.status,
                provider=j.provider, template_id=j.template_id, content_item_id=j.content_item_id,
                facts=j.facts, note=j.note, created_by=j.created_by, created_at=j.created_at,
            )
            for j in data.generation_jobs
        ]  # fmt: skip
        inserted = {"revisions": 0, "items": 0, "templates": 0, "jobs": 0}
        # Revisions before items, as in the service: an item is never visible without its revisions.
        progress.start("content revisions", len(revisions))
        for chunk in chunks(revisions):
            inserted["revisions"] += await repository.insert_revisions_missing(chunk)
            progress.advance(len(chunk))
        progress.start("content items", len(items))
        for chunk_items in chunks(items):
            inserted["items"] += await repository.insert_items_missing(chunk_items)
            progress.advance(len(chunk_items))
        progress.start("content templates", len(templates))
        inserted["templates"] = await TemplateRepository(stores.documents).insert_missing(templates)
        progress.advance(len(templates))
        progress.start("generation jobs", len(jobs))
        inserted["jobs"] = await JobRepository(stores.documents).insert_missing(jobs)
        progress.advance(len(jobs))
        log.info("content.seeded", **inserted)
    finally:
        await stores.close()

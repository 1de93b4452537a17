"""Loads the demo events in chunks (insert-if-missing: running twice changes nothing)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import structlog

from kcp.seeding import chunks
from subgraphs.analytics.events.kinds import KNOWN_KINDS
from subgraphs.analytics.events.repository import EventRepository
from subgraphs.analytics.stores import AnalyticsStores

if TYPE_CHECKING:
    from demo.model import DemoData
    from kcp.seeding import SeedProgress
    from kcp.settings import Settings

log = structlog.get_logger()

EVENTS_PER_CHUNK = 2_000  # rows per executemany: one transaction each


async def seed(settings: Settings, data: DemoData, progress: SeedProgress) -> None:
    stores = AnalyticsStores.open(settings)
    try:
        await stores.ensure_schema()
        repository = EventRepository(stores.relational)
        before = await repository.count()
        unknown = sorted({event.kind for event in data.events} - KNOWN_KINDS)
        if unknown:
            # Stored anyway (the table takes any kind), but no metric counts them.
            log.warning("analytics.seed_unknown_kinds", kinds=unknown)
        progress.start("events", len(data.events))
        for chunk in chunks(data.events, EVENTS_PER_CHUNK):
            rows: list[dict[str, Any]] = [
                {
                    "id": e.id,
                    "kind": e.kind,
                    "occurred_at": e.occurred_at,
                    "user_id": e.user_id,
                    "product_id": e.product_id,
                    "article_id": e.article_id,
                    "query": e.query,
                    "result_count": e.result_count,
                    "helpful": e.helpful,
                    "ticket_id": e.ticket_id,
                    "content_id": e.content_id,
                    "deflected": e.deflected,
                    "provider": e.provider,
                }
                for e in chunk
            ]
            await repository.insert_missing(rows)
            progress.advance(len(chunk))
        log.info("analytics.seeded", events=len(data.events), inserted=await repository.count() - before)
    finally:
        await stores.close()

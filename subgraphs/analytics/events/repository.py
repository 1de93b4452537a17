"""All store access of event ingestion."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, func, insert, select

from subgraphs.analytics.tables import EventRow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kcp.stores.relational import RelationalStore

# Bulk writes go through the Core table: the ORM's bulk path is ~15x slower for 10,000 rows.
EVENTS = cast("Table", EventRow.__table__)


def _insert_ignoring_duplicates(dialect: str) -> Any:
    """``INSERT ... ON CONFLICT (id) DO NOTHING`` for the engine's dialect."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert  # noqa: PLC0415 - per dialect

        return pg_insert(EVENTS).on_conflict_do_nothing(index_elements=["id"])
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert  # noqa: PLC0415 - per dialect

    return sqlite_insert(EVENTS).on_conflict_do_nothing(index_elements=["id"])


class EventRepository:
    def __init__(self, store: RelationalStore) -> None:
        self._store = store

    async def insert(self, rows: Sequence[dict[str, Any]]) -> None:
        """Store new events in one transaction (one executemany): all or none."""
        async with self._store.transaction() as session:
            await session.execute(insert(EVENTS), list(rows))

    async def insert_missing(self, rows: Sequence[dict[str, Any]]) -> None:
        """Store events whose id is not taken yet; existing events are left as they are."""
        if not rows:
            return
        async with self._store.transaction() as session:
            await session.execute(_insert_ignoring_duplicates(self._store.engine.dialect.name), list(rows))

    async def count(self) -> int:
        async with self._store.reading() as session:
            return int((await session.execute(select(func.count()).select_from(EventRow))).scalar_one())

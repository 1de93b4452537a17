"""The analytics subgraph's stores: one relational database holding the events table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcp.stores.relational import RelationalStore, create_engine
from subgraphs.analytics.tables import AnalyticsBase

if TYPE_CHECKING:
    from kcp.settings import Settings

SERVICE = "analytics"


class AnalyticsStores:
    """Opens, prepares and closes the analytics subgraph's stores."""

    def __init__(self, relational: RelationalStore) -> None:
        self.relational = relational

    @classmethod
    def open(cls, settings: Settings) -> AnalyticsStores:
        return cls(RelationalStore(create_engine(settings, SERVICE)))

    async def ensure_schema(self) -> None:
        """Create missing tables and indexes (Alembic migrations replace this later)."""
        async with self.relational.engine.begin() as connection:
            await connection.run_sync(AnalyticsBase.metadata.create_all)

    async def close(self) -> None:
        await self.relational.close()

"""The support subgraph's stores: one relational database (PostgreSQL, or SQLite embedded)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kcp.stores.relational import RelationalStore, create_engine
from subgraphs.support.tables import SupportBase

if TYPE_CHECKING:
    from kcp.settings import Settings

SERVICE = "support"


@dataclass(frozen=True, slots=True)
class SupportStores:
    relational: RelationalStore

    @classmethod
    def open(cls, settings: Settings) -> SupportStores:
        return cls(relational=RelationalStore(create_engine(settings, SERVICE)))

    async def ensure_schema(self) -> None:
        """Create missing tables and indexes (Alembic migrations replace this later)."""
        async with self.relational.engine.begin() as connection:
            await connection.run_sync(SupportBase.metadata.create_all)

    async def close(self) -> None:
        await self.relational.close()

"""The support subgraph's stores: one relational database (PostgreSQL, or SQLite embedded)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kcp.migrations import Migrations
from kcp.stores.relational import RelationalStore, open_relational_store
from subgraphs.support.tables import SupportBase

if TYPE_CHECKING:
    from kcp.settings import Settings

SERVICE = "support"
MIGRATIONS = Migrations(SERVICE, SupportBase.metadata, Path(__file__).parent / "migrations")


@dataclass(frozen=True, slots=True)
class SupportStores:
    relational: RelationalStore

    @classmethod
    def open(cls, settings: Settings) -> SupportStores:
        return cls(relational=open_relational_store(settings, SERVICE, MIGRATIONS))

    async def ensure_schema(self) -> None:
        """Apply the pending migrations (see kcp.migrations)."""
        await self.relational.ensure_schema()

    async def close(self) -> None:
        await self.relational.close()

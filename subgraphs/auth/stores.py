"""The auth subgraph's stores: one relational database (users, partners, keys, tokens, audit)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kcp.migrations import Migrations
from kcp.stores.relational import RelationalStore, open_relational_store
from subgraphs.auth.tables import AuthBase

if TYPE_CHECKING:
    from kcp.settings import Settings

SERVICE = "auth"
MIGRATIONS = Migrations(SERVICE, AuthBase.metadata, Path(__file__).parent / "migrations")


class AuthStores:
    """Opens, prepares and closes the auth subgraph's stores."""

    def __init__(self, relational: RelationalStore) -> None:
        self.relational = relational

    @classmethod
    def open(cls, settings: Settings) -> AuthStores:
        return cls(open_relational_store(settings, SERVICE, MIGRATIONS))

    async def ensure_schema(self) -> None:
        """Apply the pending migrations (see kcp.migrations)."""
        await self.relational.ensure_schema()

    async def close(self) -> None:
        await self.relational.close()

"""The auth subgraph's stores: one relational database holding the users table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcp.stores.relational import RelationalStore, create_engine
from subgraphs.auth.tables import AuthBase

if TYPE_CHECKING:
    from kcp.settings import Settings

SERVICE = "auth"


class AuthStores:
    """Opens, prepares and closes the auth subgraph's stores."""

    def __init__(self, relational: RelationalStore) -> None:
        self.relational = relational

    @classmethod
    def open(cls, settings: Settings) -> AuthStores:
        return cls(RelationalStore(create_engine(settings, SERVICE)))

    async def ensure_schema(self) -> None:
        """Create missing tables (Alembic migrations replace this later)."""
        async with self.relational.engine.begin() as connection:
            await connection.run_sync(AuthBase.metadata.create_all)

    async def close(self) -> None:
        await self.relational.close()

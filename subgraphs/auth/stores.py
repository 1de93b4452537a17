"""The auth subgraph's stores: one relational database (users, partners, keys, tokens, audit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from kcp.stores.relational import RelationalStore, create_engine
from subgraphs.auth.tables import AuthBase

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from kcp.settings import Settings

SERVICE = "auth"


def _add_missing_columns(connection: Connection) -> None:
    """Add nullable columns that newer versions define to tables an older version created.

    ``create_all`` creates missing tables only; until Alembic migrations arrive this keeps an
    existing data folder usable. Only nullable columns without server defaults are added.
    """
    inspector = inspect(connection)
    for table in AuthBase.metadata.sorted_tables:
        present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present and column.nullable:
                kind = column.type.compile(dialect=connection.dialect)
                connection.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))


class AuthStores:
    """Opens, prepares and closes the auth subgraph's stores."""

    def __init__(self, relational: RelationalStore) -> None:
        self.relational = relational

    @classmethod
    def open(cls, settings: Settings) -> AuthStores:
        return cls(RelationalStore(create_engine(settings, SERVICE)))

    async def ensure_schema(self) -> None:
        """Create missing tables and columns (Alembic migrations replace this later)."""
        async with self.relational.engine.begin() as connection:
            await connection.run_sync(AuthBase.metadata.create_all)
            await connection.run_sync(_add_missing_columns)

    async def close(self) -> None:
        await self.relational.close()

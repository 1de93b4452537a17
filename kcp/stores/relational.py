"""Relational store: SQLite under ``KCP_DATA_DIR`` (PostgreSQL via ``DATABASE_URL`` comes later).

Each subgraph owns its tables (its own SQLAlchemy metadata); this module only opens the engine
and hands out sessions whose transaction commits on success and rolls back on error.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from kcp.stores import require_embedded_stores

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from kcp.settings import Settings


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers proceed during a write; foreign keys are off by default in SQLite;
    # the busy timeout makes a second writer wait instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def sqlite_engine(path: Path, pool_size: int) -> AsyncEngine:
    """An aiosqlite engine on ``path`` with every connection tuned as above."""
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}", pool_size=pool_size, max_overflow=0)
    event.listen(engine.sync_engine, "connect", _tune_sqlite)
    return engine


def create_engine(settings: Settings, service: str) -> AsyncEngine:
    """Open the service's engine with a pool of at most ``settings.pool_size`` connections."""
    require_embedded_stores(settings)
    return sqlite_engine(settings.service_data_dir(service) / f"{service}.sqlite3", settings.pool_size)


class RelationalStore:
    """An engine plus its session factory."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose work commits when the block ends cleanly and rolls back otherwise."""
        async with self.sessions() as session, session.begin():
            yield session

    @contextlib.asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A session for reads only; nothing it does is committed."""
        async with self.sessions() as session:
            yield session

    async def ping(self) -> None:
        """Raise unless the database answers a trivial query."""
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def close(self) -> None:
        await self.engine.dispose()

"""Relational store: PostgreSQL when ``DATABASE_URL`` is set, else SQLite under ``KCP_DATA_DIR``.

Each subgraph owns its tables (its own SQLAlchemy metadata and Alembic history); this module
opens the engine and hands out sessions whose transaction commits on success and rolls back on
error.

On PostgreSQL every service gets its own *schema* (named after the service) in the one database
``DATABASE_URL`` names: the deployment guide has a single URL and one database user, so a
schema per service needs no CREATEDB privilege and no per-service URL, while each service still
sees only its own tables (its connections' ``search_path`` is its schema) and keeps its own
migration history. Embedded, each service has its own SQLite file, which isolates the same way.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import asyncpg
import structlog
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kcp.metrics import STORE_POOLS
from kcp.migrations import upgrade
from kcp.stores.engines import create_engine

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from sqlalchemy.ext.asyncio import AsyncEngine

    from kcp.migrations import Migrations
    from kcp.settings import Settings

log = structlog.get_logger()


def open_relational_store(settings: Settings, service: str, migrations: Migrations | None = None) -> RelationalStore:
    """The service's store: its own PostgreSQL schema named after it, or its own SQLite file."""
    schema = service if settings.database_url else None
    engine = create_engine(settings, service)
    STORE_POOLS.watch(service, engine.sync_engine.pool)
    return RelationalStore(engine, migrations, schema)


# asyncpg's errors for a server that is gone, starting, or shutting down (SQLSTATE 08 and 57P0x).
_UNREACHABLE = (
    OSError,
    TimeoutError,
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
)


def is_unreachable(error: BaseException) -> bool:
    """Whether ``error`` says the database cannot be reached (as opposed to refusing a statement).

    SQLAlchemy wraps the driver's error (``DBAPIError.orig``, which wraps asyncpg's in turn), so
    the whole chain is looked at.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, _UNREACHABLE):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        orig = current.orig if isinstance(current, DBAPIError) else None
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return False


class RelationalStore:
    """An engine plus its session factory, and the migrations that shape its schema."""

    def __init__(self, engine: AsyncEngine, migrations: Migrations | None = None, schema: str | None = None) -> None:
        self.engine = engine
        self.schema = schema  # PostgreSQL: the schema the engine's search_path names; SQLite: None
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        self.migrations = migrations
        self._schema_current = migrations is None

    async def ensure_schema(self) -> None:
        """Bring the schema to the newest migration.

        A database that cannot be reached at start is not fatal: the service starts, ``/ready``
        reports the store, and the first successful readiness probe runs the migrations. Any
        other failure (a migration that does not apply) stops the start with its message.
        """
        if self.migrations is None:
            return
        try:
            await upgrade(self.engine, self.migrations, self.schema)
        except Exception as error:
            if not is_unreachable(error):
                raise
            log.warning("relational.unreachable_at_start", service=self.migrations.service, error=str(error))
            return
        self._schema_current = True

    async def ping(self) -> None:
        """Raise unless the database answers (and, if start-up could not reach it, is migrated now)."""
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        if not self._schema_current:
            await self.ensure_schema()
            if not self._schema_current:
                raise ConnectionError("the database answered but its migrations could not run yet")

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

    async def close(self) -> None:
        await self.engine.dispose()

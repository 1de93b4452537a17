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
import re
from typing import TYPE_CHECKING, Any

import asyncpg
import structlog
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from kcp.metrics import STORE_POOLS
from kcp.stores import StoreConfigurationError, require_embedded_stores

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from kcp.migrations import Migrations
    from kcp.settings import Settings

log = structlog.get_logger()

# asyncpg waits 60 s for a connection by default; a store that is down should be reported
# (by /ready, by a failing request) in seconds instead.
CONNECT_TIMEOUT_SECONDS = 5.0
_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


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


def asyncpg_url(url: str) -> str:
    """``url`` with SQLAlchemy's asyncpg driver, whichever PostgreSQL spelling it came in."""
    parsed = make_url(url)
    if parsed.get_backend_name() not in {"postgresql", "postgres"}:
        raise StoreConfigurationError(
            f"DATABASE_URL must be a PostgreSQL URL (postgresql+asyncpg://user:password@host:port/database), "
            f"not {parsed.get_backend_name()}://…"
        )
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def postgres_engine(url: str, schema: str, pool_size: int) -> AsyncEngine:
    """An asyncpg engine whose connections see ``schema`` first and keep at most ``pool_size`` open."""
    if not _SCHEMA_NAME.fullmatch(schema):
        raise StoreConfigurationError(f"{schema!r} is not a plain lower-case PostgreSQL schema name")
    return create_async_engine(
        asyncpg_url(url),
        pool_size=pool_size,
        max_overflow=0,
        # After a server restart every pooled connection is dead; checking on checkout lets the
        # service recover without a restart of its own instead of failing one request per connection.
        pool_pre_ping=True,
        connect_args={"server_settings": {"search_path": schema}, "timeout": CONNECT_TIMEOUT_SECONDS},
    )


def create_engine(settings: Settings, service: str) -> AsyncEngine:
    """Open the service's engine with a pool of at most ``settings.pool_size`` connections."""
    require_embedded_stores(settings)
    if settings.database_url:
        return postgres_engine(settings.database_url, service, settings.pool_size)
    return sqlite_engine(settings.service_data_dir(service) / f"{service}.sqlite3", settings.pool_size)


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
        from kcp.migrations import upgrade  # noqa: PLC0415 - Alembic loads only where migrations run

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

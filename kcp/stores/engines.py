"""How to reach a relational database: the tuned SQLite engine, and PostgreSQL through asyncpg.

The lowest layer of the relational store: ``kcp.migrations`` (which needs a scratch SQLite
database) and ``kcp.stores.relational`` (engine plus sessions plus migrations) both build on it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from kcp.stores import StoreConfigurationError, require_embedded_stores

if TYPE_CHECKING:
    from pathlib import Path

    from kcp.settings import Settings

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

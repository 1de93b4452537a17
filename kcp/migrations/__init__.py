"""Alembic migrations: one history per subgraph, the same files on SQLite and PostgreSQL.

A subgraph declares its history next to its tables (``subgraphs/<domain>/migrations/``, numbered
``m0001_<slug>.py``) with a ``Migrations`` value in its ``stores.py``; this module runs them.
The Alembic environment (``env.py``) and the revision template live here once, and each
subgraph's folder is passed to Alembic as its only version location, so every service has its
own linear history and its own version table (in its own schema on PostgreSQL, in its own file
on SQLite).

Migrations are rendered in Alembic's batch mode, which SQLite needs to alter a table and which
PostgreSQL runs as plain ``ALTER TABLE``; so both paths share one set of files.

    kcp migrate                          upgrade every relational store configured
    kcp migrate check                    fail if a model changed without a migration
    kcp migrate revision support -m "add ticket tags"   write the next migration from the models
"""

from __future__ import annotations

import contextlib
import functools
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy import MetaData, inspect, text
from sqlalchemy.types import TypeDecorator

from kcp.stores.engines import sqlite_engine

if TYPE_CHECKING:
    from alembic.autogenerate.api import AutogenContext
    from alembic.runtime.migration import MigrationInfo
    from sqlalchemy import Connection
    from sqlalchemy.ext.asyncio import AsyncEngine

HERE = Path(__file__).parent
# Revision ids are sequence numbers per service, so a history reads in order: m0001_initial.py, …
FILE_TEMPLATE = "m%%(rev)s_%%(slug)s"

AppliedCallback = Callable[[str, str], None]
"""Called with a revision id and its message after that migration has run."""


@dataclass(frozen=True)
class Migrations:
    """One subgraph's migration history and the models it must produce."""

    service: str
    metadata: MetaData
    versions: Path


class MigrationError(RuntimeError):
    """The database cannot be brought to the newest migration; the message says what to do."""


def alembic_config(migrations: Migrations) -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.set_main_option("version_locations", str(migrations.versions))
    config.set_main_option("path_separator", "os")
    config.set_main_option("file_template", FILE_TEMPLATE)
    config.attributes["migrations"] = migrations
    return config


def _render_item(type_: str, item: Any, _autogen_context: AutogenContext) -> str | Literal[False]:
    # Our column types (kcp.stores.columns) are Python-side conversions of a plain SQL type:
    # a migration records the SQL type, so it never imports application code that may change.
    if type_ == "type" and isinstance(item, TypeDecorator):
        return f"sa.{item.impl!r}"
    return False


def run_environment() -> None:
    """Body of ``env.py``: configure Alembic on the connection the runner handed in, then migrate."""
    from alembic import context  # noqa: PLC0415 - Alembic's proxy exists only while it runs env.py

    config = context.config
    migrations: Migrations = config.attributes["migrations"]
    on_applied: AppliedCallback | None = config.attributes.get("on_applied")

    def on_version_apply(
        ctx: MigrationContext,  # noqa: ARG001 - Alembic's signature
        step: MigrationInfo,
        heads: Collection[Any],  # noqa: ARG001
        run_args: Mapping[str, Any],  # noqa: ARG001
    ) -> None:
        revision = step.up_revision
        if on_applied is not None and isinstance(revision, Script):
            on_applied(revision.revision, revision.doc)

    context.configure(
        connection=config.attributes["connection"],
        target_metadata=migrations.metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
        on_version_apply=on_version_apply,
    )
    with context.begin_transaction():
        context.run_migrations()


def _migration_context(connection: Connection, migrations: Migrations) -> MigrationContext:
    # No version_table_schema: on PostgreSQL the connection's search_path is the service's
    # schema, so the version table lands there like every other table, and autogenerate sees
    # it as its own (it would report an explicitly schema-qualified one as a table to drop).
    return MigrationContext.configure(
        connection,
        opts={
            "target_metadata": migrations.metadata,
            "compare_type": True,
            "render_item": _render_item,
        },
    )


@functools.cache
def _script_directory(versions: Path) -> ScriptDirectory:
    """A history's parsed revision files, once per process (services start once per test, too)."""
    return ScriptDirectory.from_config(alembic_config(Migrations("", MetaData(), versions)))


def _pending(connection: Connection, migrations: Migrations) -> list[str]:
    script = _script_directory(migrations.versions)
    current = _migration_context(connection, migrations).get_current_heads()
    lower = current[0] if current else "base"
    return [revision.revision for revision in reversed(list(script.iterate_revisions("heads", lower)))]


def _differences(connection: Connection, migrations: Migrations) -> list[Any]:
    return list(compare_metadata(_migration_context(connection, migrations), migrations.metadata))


def _upgrade_sync(
    connection: Connection, migrations: Migrations, schema: str | None, on_applied: AppliedCallback | None
) -> list[str]:
    if connection.dialect.name == "postgresql" and schema is not None:
        # Replicas starting together take turns; the lock ends with this transaction.
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"kcp.migrate.{schema}"})
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    pending = _pending(connection, migrations)
    if not pending:
        return []
    config = alembic_config(migrations)
    config.attributes.update(connection=connection, on_applied=on_applied)
    version_table_missing = not _migration_context(connection, migrations).get_current_heads()
    model_tables = set(migrations.metadata.tables)
    if version_table_missing and model_tables & set(inspect(connection).get_table_names(schema=schema)):
        # Tables made before this service had migrations (create_all): adopt them if they are
        # exactly what the newest migration makes, else stop rather than guess.
        if _differences(connection, migrations):
            raise MigrationError(
                f"the {migrations.service} database has tables that no migration created and that differ "
                "from the models; move the data aside (embedded: delete its file under KCP_DATA_DIR) and start again"
            )
        command.stamp(config, "heads")
        return []
    # What `alembic upgrade heads` does, with the parsed history kept and env.py's one call made
    # directly: loading env.py and the revision files again dominated a service's start.
    script = _script_directory(migrations.versions)
    with EnvironmentContext(
        config,
        script,
        fn=lambda revision, _context: script._upgrade_revs("heads", revision),  # noqa: SLF001 - as alembic.command.upgrade
        destination_rev="heads",
    ):
        run_environment()
    return pending


async def upgrade(
    engine: AsyncEngine, migrations: Migrations, schema: str | None = None, on_applied: AppliedCallback | None = None
) -> list[str]:
    """Apply the migrations the database has not had yet, in one transaction; their ids, oldest first."""
    async with engine.begin() as connection:
        applied: list[str] = await connection.run_sync(_upgrade_sync, migrations, schema, on_applied)
        return applied


async def pending_revisions(engine: AsyncEngine, migrations: Migrations) -> list[str]:
    """The migrations not applied yet, oldest first."""
    async with engine.connect() as connection:
        pending: list[str] = await connection.run_sync(_pending, migrations)
        return pending


async def model_differences(engine: AsyncEngine, migrations: Migrations) -> list[Any]:
    """What Alembic's autogenerate would write: empty when the database matches the models."""
    async with engine.connect() as connection:
        differences: list[Any] = await connection.run_sync(_differences, migrations)
        return differences


def next_revision_id(migrations: Migrations) -> str:
    script = ScriptDirectory.from_config(alembic_config(migrations))
    numbers = [int(revision.revision) for revision in script.walk_revisions() if revision.revision.isdigit()]
    return f"{max(numbers, default=0) + 1:04d}"


@contextlib.asynccontextmanager
async def _scratch_database_at_head(migrations: Migrations) -> AsyncIterator[AsyncEngine]:

    with tempfile.TemporaryDirectory(prefix="kcp-migrate-") as scratch:
        engine = sqlite_engine(Path(scratch) / "head.sqlite3", pool_size=1)
        try:
            await upgrade(engine, migrations)
            yield engine
        finally:
            await engine.dispose()


async def unmigrated_model_changes(migrations: Migrations) -> list[Any]:
    """The model changes no migration makes yet (``alembic check``), found on a scratch SQLite database."""
    async with _scratch_database_at_head(migrations) as engine:
        return await model_differences(engine, migrations)


async def write_revision(migrations: Migrations, message: str) -> Path | None:
    """Autogenerate the next migration from the models against a scratch SQLite database at head.

    No server is needed; the file is plain SQLAlchemy types in batch mode, so PostgreSQL runs it
    too. Returns None when the models already match the newest migration.
    """
    async with _scratch_database_at_head(migrations) as engine:
        if not await model_differences(engine, migrations):
            return None
        async with engine.begin() as connection:
            path: Path = await connection.run_sync(_write_revision_sync, migrations, message)
            return path


def _write_revision_sync(connection: Connection, migrations: Migrations, message: str) -> Path:
    config = alembic_config(migrations)
    config.attributes.update(connection=connection)
    migrations.versions.mkdir(parents=True, exist_ok=True)
    (migrations.versions / "__init__.py").touch()
    script = command.revision(config, message=message, autogenerate=True, rev_id=next_revision_id(migrations))
    if script is None or isinstance(script, list):
        raise MigrationError(f"Alembic wrote no single revision for {migrations.service}")
    path = Path(script.path)
    _tidy(path)
    return path


def _tidy(path: Path) -> None:
    """Format the generated file the way the repository's linter wants it (ruff is a dev tool)."""
    for arguments in (["format", "--quiet"], ["check", "--fix", "--quiet"]):
        try:
            subprocess.run([sys.executable, "-m", "ruff", *arguments, str(path)], check=False)  # noqa: S603 - our own linter on our own file
        except OSError:
            return

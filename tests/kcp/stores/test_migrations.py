"""Each subgraph's Alembic history: it builds exactly the models, on SQLite and on PostgreSQL.

``test_every_model_change_has_a_migration`` is the CI gate: change a table in
``subgraphs/<d>/tables.py`` without ``kcp migrate revision <d> -m ...`` and it fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
import pytest_asyncio
from sqlalchemy import Column, Integer, MetaData, func, select, text

from commands.subgraphs import SUBGRAPHS, service_migrations
from kcp.migrations import (
    MigrationError,
    Migrations,
    model_differences,
    pending_revisions,
    unmigrated_model_changes,
    upgrade,
)
from kcp.stores.engines import postgres_engine, sqlite_engine
from kcp.stores.relational import RelationalStore

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable
    from pathlib import Path

HISTORIES = service_migrations(SUBGRAPHS)


def test_the_relational_subgraphs_each_have_a_history() -> None:
    assert set(HISTORIES) == {"auth", "knowledge", "support", "analytics"}


@pytest.mark.parametrize("service", sorted(HISTORIES))
@pytest.mark.asyncio
async def test_every_model_change_has_a_migration(service: str) -> None:
    changes = await unmigrated_model_changes(HISTORIES[service])
    assert changes == [], f"run: kcp migrate revision {service} -m '...' ({changes})"


@pytest.mark.asyncio
async def test_a_model_change_without_a_migration_is_caught() -> None:
    history = HISTORIES["support"]
    changed = MetaData()
    for table in history.metadata.tables.values():
        table.to_metadata(changed)
    changed.tables["tickets"].append_column(Column("column_nobody_migrated", Integer, nullable=True))
    changes = await unmigrated_model_changes(Migrations("support", changed, history.versions))
    assert [change[0] for change in changes] == ["add_column"]


@pytest_asyncio.fixture(params=["sqlite", "postgres"])
async def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Callable[[str], RelationalStore]]:
    opened: list[RelationalStore] = []
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None

    def factory(service: str) -> RelationalStore:
        if url is None:
            store = RelationalStore(sqlite_engine(tmp_path / f"{service}.sqlite3", 5), HISTORIES[service])
        else:
            store = RelationalStore(postgres_engine(url, service, 5), HISTORIES[service], schema=service)
        opened.append(store)
        return store

    yield factory
    for store in opened:
        await store.close()


@pytest.mark.asyncio
async def test_each_history_builds_its_models_and_applies_once(open_store: Callable[[str], RelationalStore]) -> None:
    for service, history in HISTORIES.items():
        store = open_store(service)
        everything = await pending_revisions(store.engine, history)
        assert everything
        assert await upgrade(store.engine, history, store.schema) == everything
        assert await model_differences(store.engine, history) == []
        assert await upgrade(store.engine, history, store.schema) == []
        assert await pending_revisions(store.engine, history) == []


@pytest.mark.asyncio
async def test_start_up_migrates_and_the_services_share_one_database(
    open_store: Callable[[str], RelationalStore],
) -> None:
    stores = [open_store(service) for service in HISTORIES]
    for store in stores:
        await store.ensure_schema()
        await store.ping()
    support = next(store for store in stores if store.migrations is HISTORIES["support"])
    tickets = HISTORIES["support"].metadata.tables["tickets"]
    async with support.reading() as session:
        assert await session.scalar(select(func.count()).select_from(tickets)) == 0


@pytest.mark.asyncio
async def test_tables_made_before_migrations_are_adopted_with_their_rows(
    open_store: Callable[[str], RelationalStore],
) -> None:
    store = open_store("support")
    history = HISTORIES["support"]
    async with store.engine.begin() as connection:
        if store.schema:
            await connection.execute(text(f'CREATE SCHEMA "{store.schema}"'))
        await connection.run_sync(history.metadata.create_all)
        # Through the table, so columns with model defaults (tags...) get them.
        now = datetime.now(UTC)
        await connection.execute(
            history.metadata.tables["tickets"]
            .insert()
            .values(
                id="t1",
                subject="s",
                description="d",
                status="open",
                priority="normal",
                channel="web",
                product_id="p",
                customer_id="c",
                created_at=now,
                updated_at=now,
                version=1,
            )
        )
    await store.ensure_schema()
    assert await pending_revisions(store.engine, history) == []
    async with store.reading() as session:
        assert await session.scalar(text("SELECT count(*) FROM tickets")) == 1


@pytest.mark.asyncio
async def test_tables_that_differ_from_the_models_are_not_adopted(
    open_store: Callable[[str], RelationalStore],
) -> None:
    store = open_store("support")
    async with store.engine.begin() as connection:
        if store.schema:
            await connection.execute(text(f'CREATE SCHEMA "{store.schema}"'))
        await connection.execute(text("CREATE TABLE tickets (id VARCHAR(64) PRIMARY KEY)"))
    with pytest.raises(MigrationError, match="differ from the models"):
        await store.ensure_schema()


def run_kcp(*arguments: str, **environment: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "commands", *arguments],
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_kcp_migrate_upgrades_postgresql_and_says_so(postgres_url: str, tmp_path: Path) -> None:
    first = run_kcp("migrate", DATABASE_URL=postgres_url, KCP_DATA_DIR=str(tmp_path))
    assert first.returncode == 0, first.stderr
    assert "Migrating PostgreSQL" in first.stdout
    for service in HISTORIES:
        assert f"{service}: current" in first.stdout
    again = run_kcp("migrate", DATABASE_URL=postgres_url, KCP_DATA_DIR=str(tmp_path))
    assert again.returncode == 0, again.stderr


def test_kcp_migrate_upgrades_the_embedded_stores(tmp_path: Path) -> None:
    result = run_kcp("migrate", KCP_DATA_DIR=str(tmp_path), DATABASE_URL="")
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in tmp_path.glob("*/*.sqlite3")) == sorted(f"{s}.sqlite3" for s in HISTORIES)


def test_kcp_migrate_names_a_database_it_cannot_reach(tmp_path: Path) -> None:
    result = run_kcp("migrate", DATABASE_URL="postgresql+asyncpg://kcp@127.0.0.1:1/kcp", KCP_DATA_DIR=str(tmp_path))
    assert result.returncode == 1
    assert "the database cannot be reached" in result.stderr
    assert "Traceback" not in result.stderr


def test_kcp_migrate_check_passes_on_this_tree() -> None:
    result = run_kcp("migrate", "check")
    assert result.returncode == 0, result.stderr

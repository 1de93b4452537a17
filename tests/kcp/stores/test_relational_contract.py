"""One contract for the relational store, run against embedded SQLite and a real PostgreSQL.

The tables below are the shapes the subgraphs use (string ids, UTC timestamps, a parent with
children that cascade, a counter); the operations are theirs: get by id, filtered lists newest
first, keyset and offset pages, counts, insert-if-missing, updates, deletes, transactions.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING

import pytest
import pytest_asyncio
from sqlalchemy import ForeignKey, Index, String, Text, func, inspect, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kcp.settings import Settings
from kcp.stores.columns import UtcDateTime
from kcp.stores.engines import postgres_engine, sqlite_engine
from kcp.stores.relational import RelationalStore, is_unreachable, open_relational_store

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable
    from pathlib import Path

pytestmark = pytest.mark.asyncio
T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


class ContractBase(DeclarativeBase):
    pass


class TicketRow(ContractBase):
    __tablename__ = "tickets"
    __table_args__ = (Index("ix_tickets_product_created", "product_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    product_id: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class MessageRow(ContractBase):
    __tablename__ = "messages"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)


class CounterRow(ContractBase):
    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int]


@pytest_asyncio.fixture(params=["sqlite", "postgres"])
async def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Callable[..., RelationalStore]]:
    """Opens a store for a service name (its own file, or its own schema), tables created."""
    opened: list[RelationalStore] = []
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None

    def factory(service: str = "contract", pool_size: int = 20) -> RelationalStore:
        if url is None:
            store = RelationalStore(sqlite_engine(tmp_path / f"{service}.sqlite3", pool_size))
        else:
            store = RelationalStore(postgres_engine(url, service, pool_size), schema=service)
        opened.append(store)
        return store

    yield factory
    for store in opened:
        await store.close()


async def create_tables(store: RelationalStore) -> RelationalStore:
    async with store.engine.begin() as connection:
        if store.schema is not None:
            await connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{store.schema}"'))
        await connection.run_sync(ContractBase.metadata.create_all)
    return store


@pytest_asyncio.fixture
async def store(open_store: Callable[..., RelationalStore]) -> RelationalStore:
    return await create_tables(open_store())


def ticket(number: int, product: str = "p1", minutes: int | None = None) -> TicketRow:
    created = T0 + timedelta(minutes=number if minutes is None else minutes)
    return TicketRow(id=f"t{number:03d}", product_id=product, subject=f"subject {number}", created_at=created)


async def add(store: RelationalStore, *rows: object) -> None:
    async with store.transaction() as session:
        session.add_all(rows)


async def test_a_stored_row_is_read_back_by_id(store: RelationalStore) -> None:
    await add(store, ticket(1))
    async with store.reading() as session:
        row = await session.get(TicketRow, "t001")
    assert row is not None
    assert (row.product_id, row.subject, row.created_at) == ("p1", "subject 1", T0 + timedelta(minutes=1))


async def test_an_unknown_id_reads_as_none(store: RelationalStore) -> None:
    async with store.reading() as session:
        assert await session.get(TicketRow, "missing") is None
        assert (await session.scalars(select(TicketRow).where(TicketRow.product_id == "none"))).all() == []


async def test_timestamps_come_back_aware_and_in_utc(store: RelationalStore) -> None:
    paris = timezone(timedelta(hours=1))
    await add(
        store,
        TicketRow(id="aware", product_id="p", subject="s", created_at=datetime(2026, 3, 1, 13, 0, tzinfo=paris)),
        TicketRow(id="naive", product_id="p", subject="s", created_at=datetime(2026, 3, 1, 12, 0)),  # noqa: DTZ001 - naive means UTC
    )
    async with store.reading() as session:
        rows = {row.id: row.created_at for row in await session.scalars(select(TicketRow))}
    assert rows == {"aware": datetime(2026, 3, 1, 12, 0, tzinfo=UTC), "naive": datetime(2026, 3, 1, 12, 0, tzinfo=UTC)}
    assert all(value.tzinfo == UTC for value in rows.values())


async def test_lists_are_filtered_and_newest_first_with_ties_broken_by_id(store: RelationalStore) -> None:
    await add(store, ticket(1), ticket(2), ticket(3, product="p2"), ticket(4, minutes=2), ticket(5, minutes=2))
    query = (
        select(TicketRow.id)
        .where(TicketRow.product_id == "p1")
        .order_by(TicketRow.created_at.desc(), TicketRow.id.desc())
    )
    async with store.reading() as session:
        assert (await session.scalars(query)).all() == ["t005", "t004", "t002", "t001"]


async def test_keyset_pages_cover_every_row_once_in_order(store: RelationalStore) -> None:
    await add(store, *(ticket(n, minutes=n // 3) for n in range(1, 24)))  # ties every three rows
    order = (TicketRow.created_at.desc(), TicketRow.id.desc())
    seen: list[str] = []
    after: tuple[datetime, str] | None = None
    async with store.reading() as session:
        while True:
            query = select(TicketRow).order_by(*order).limit(5)
            if after is not None:
                created, last_id = after
                query = query.where(
                    (TicketRow.created_at < created) | ((TicketRow.created_at == created) & (TicketRow.id < last_id))
                )
            page = (await session.scalars(query)).all()
            if not page:
                break
            seen += [row.id for row in page]
            after = (page[-1].created_at, page[-1].id)
        everything = (await session.scalars(select(TicketRow.id).order_by(*order))).all()
    assert seen == everything
    assert len(seen) == 23


async def test_offset_pages_and_counts(store: RelationalStore) -> None:
    await add(store, *(ticket(n) for n in range(1, 13)))
    async with store.reading() as session:
        pages = [
            (await session.scalars(select(TicketRow.id).order_by(TicketRow.id).offset(offset).limit(5))).all()
            for offset in (0, 5, 10, 15)
        ]
        total = await session.scalar(select(func.count()).select_from(TicketRow))
        per_product = (
            await session.execute(select(TicketRow.product_id, func.count()).group_by(TicketRow.product_id))
        ).all()
    assert [len(page) for page in pages] == [5, 5, 2, 0]
    assert total == 12
    assert [tuple(row) for row in per_product] == [("p1", 12)]


async def test_a_failed_transaction_stores_nothing(store: RelationalStore) -> None:
    async def write_then_fail() -> None:
        async with store.transaction() as session:
            session.add(ticket(1))
            await session.flush()
            raise RuntimeError("abort")

    with pytest.raises(RuntimeError, match="abort"):
        await write_then_fail()
    async with store.reading() as session:
        assert await session.get(TicketRow, "t001") is None


async def test_a_duplicate_id_is_refused_and_the_stored_row_kept(store: RelationalStore) -> None:
    await add(store, ticket(1))
    duplicate = ticket(1)
    duplicate.subject = "overwritten?"
    with pytest.raises(IntegrityError):
        await add(store, duplicate)
    async with store.reading() as session:
        row = await session.get(TicketRow, "t001")
    assert row is not None
    assert row.subject == "subject 1"


async def test_insert_if_missing_leaves_stored_rows_untouched(store: RelationalStore) -> None:
    await add(store, ticket(1))
    insert = postgresql.insert if store.engine.dialect.name == "postgresql" else sqlite.insert
    rows = [{"id": f"t{n:03d}", "product_id": "p9", "subject": "seeded", "created_at": T0} for n in (1, 2)]
    async with store.transaction() as session:
        await session.execute(insert(TicketRow).on_conflict_do_nothing(), rows)
    async with store.reading() as session:
        subjects = {row.id: row.subject for row in await session.execute(select(TicketRow.id, TicketRow.subject))}
    assert subjects == {"t001": "subject 1", "t002": "seeded"}


async def test_updates_and_deletes_report_what_they_touched(store: RelationalStore) -> None:
    await add(store, ticket(1))
    async with store.transaction() as session:
        changed = await session.execute(update(TicketRow).where(TicketRow.id == "t001").values(subject="new"))
        missing = await session.execute(update(TicketRow).where(TicketRow.id == "nope").values(subject="new"))
    assert (changed.rowcount, missing.rowcount) == (1, 0)  # type: ignore[attr-defined]
    async with store.transaction() as session:
        row = await session.get(TicketRow, "t001")
        assert row is not None
        assert row.subject == "new"
        await session.delete(row)
    async with store.reading() as session:
        assert await session.get(TicketRow, "t001") is None


async def test_children_need_their_parent_and_go_with_it(store: RelationalStore) -> None:
    await add(store, ticket(1))
    await add(store, MessageRow(id="m1", ticket_id="t001", body="hello"))
    with pytest.raises(IntegrityError):
        await add(store, MessageRow(id="m2", ticket_id="no-such-ticket", body="orphan"))
    async with store.transaction() as session:
        await session.execute(TicketRow.__table__.delete().where(TicketRow.id == "t001"))
    async with store.reading() as session:
        assert await session.scalar(select(func.count()).select_from(MessageRow)) == 0


async def test_concurrent_writers_all_land(store: RelationalStore) -> None:
    await asyncio.gather(*(add(store, ticket(n)) for n in range(1, 61)))
    async with store.reading() as session:
        assert await session.scalar(select(func.count()).select_from(TicketRow)) == 60


async def test_concurrent_increments_are_not_lost(store: RelationalStore) -> None:
    await add(store, CounterRow(name="views", value=0))

    async def increment() -> None:
        async with store.transaction() as session:
            views = update(CounterRow).where(CounterRow.name == "views")
            await session.execute(views.values(value=CounterRow.value + 1))

    await asyncio.gather(*(increment() for _ in range(50)))
    async with store.reading() as session:
        assert await session.scalar(select(CounterRow.value)) == 50


async def test_the_pool_never_opens_more_than_its_size(open_store: Callable[..., RelationalStore]) -> None:
    store = await create_tables(open_store(pool_size=3))
    checked_out: list[int] = []

    async def read() -> None:
        async with store.reading() as session:
            await session.execute(select(func.count()).select_from(TicketRow))
            checked_out.append(store.engine.pool.checkedout())  # type: ignore[attr-defined]
            await asyncio.sleep(0.01)

    await asyncio.gather(*(read() for _ in range(20)))
    assert len(checked_out) == 20
    assert max(checked_out) <= 3


async def test_each_service_sees_only_its_own_tables(open_store: Callable[..., RelationalStore]) -> None:
    ours = await create_tables(open_store("alpha"))
    theirs = open_store("beta")
    await add(ours, ticket(1))
    async with theirs.engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    assert "tickets" not in tables


async def test_ping_answers(store: RelationalStore) -> None:
    await store.ping()


async def test_database_url_selects_postgresql_with_a_schema_per_service(postgres_url: str, tmp_path: Path) -> None:
    embedded = open_relational_store(Settings(kcp_data_dir=tmp_path, database_url=None), "support")
    real = open_relational_store(Settings(kcp_data_dir=tmp_path, database_url=postgres_url), "support")
    try:
        assert (embedded.engine.dialect.name, embedded.schema) == ("sqlite", None)
        assert (real.engine.dialect.name, real.schema) == ("postgresql", "support")
        assert real.engine.pool.size() == 20  # type: ignore[attr-defined]
        await real.ping()
    finally:
        await embedded.close()
        await real.close()


async def test_a_database_that_is_down_is_reported_as_unreachable() -> None:
    store = RelationalStore(postgres_engine("postgresql://kcp@127.0.0.1:1/kcp", "support", 2), schema="support")
    try:
        with pytest.raises(Exception) as raised:  # noqa: PT011 - the driver's own error type is the point
            await store.ping()
        assert is_unreachable(raised.value)
    finally:
        await store.close()

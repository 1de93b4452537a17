"""All store access of the users sub-domain."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, func, select, update

from subgraphs.auth.tables import UserRow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kcp.stores.relational import RelationalStore

USERS = cast("Table", UserRow.__table__)  # bulk inserts take the Core path, much faster than the ORM's


def _insert_ignoring_conflicts(dialect: str) -> Any:
    """``INSERT ... ON CONFLICT DO NOTHING`` for the engine's dialect (id or e-mail taken)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert  # noqa: PLC0415 - per dialect

        return insert(USERS).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert  # noqa: PLC0415 - per dialect

    return sqlite_insert(USERS).on_conflict_do_nothing()


class UserRepository:
    def __init__(self, store: RelationalStore) -> None:
        self._store = store

    async def get_many(self, ids: Sequence[str]) -> dict[str, UserRow]:
        """The users with these ids, in one query."""
        if not ids:
            return {}
        async with self._store.reading() as session:
            rows = (await session.scalars(select(UserRow).where(UserRow.id.in_(set(ids))))).all()
        return {row.id: row for row in rows}

    async def by_email(self, email: str) -> UserRow | None:
        async with self._store.reading() as session:
            return (await session.scalars(select(UserRow).where(UserRow.email == email))).one_or_none()

    async def list(self, *, role: str | None, limit: int) -> list[UserRow]:
        query = select(UserRow).order_by(UserRow.id).limit(limit)
        if role is not None:
            query = query.where(UserRow.role == role)
        async with self._store.reading() as session:
            return list((await session.scalars(query)).all())

    async def set_password_hash(self, user_id: str, password_hash: str) -> None:
        async with self._store.transaction() as session:
            await session.execute(update(UserRow).where(UserRow.id == user_id).values(password_hash=password_hash))

    async def insert_missing(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert users whose id and e-mail are both free; existing users are left untouched."""
        if not rows:
            return
        async with self._store.transaction() as session:
            await session.execute(_insert_ignoring_conflicts(self._store.engine.dialect.name), list(rows))

    async def count(self) -> int:
        async with self._store.reading() as session:
            return int((await session.execute(select(func.count()).select_from(UserRow))).scalar_one())

"""All store access of the users sub-domain, inside the session (and transaction) it is given."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, func, select, update

from subgraphs.auth.tables import UserRow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.ext.asyncio import AsyncSession

USERS = cast("Table", UserRow.__table__)  # bulk inserts take the Core path, much faster than the ORM's


def insert_ignoring_conflicts(table: Table, dialect: str) -> Any:
    """``INSERT ... ON CONFLICT DO NOTHING`` for the engine's dialect (a unique column taken)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert  # noqa: PLC0415 - per dialect

        return insert(table).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert  # noqa: PLC0415 - per dialect

    return sqlite_insert(table).on_conflict_do_nothing()


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, user_id: str) -> UserRow | None:
        return await self._session.get(UserRow, user_id)

    async def get_many(self, ids: Sequence[str]) -> dict[str, UserRow]:
        """The users with these ids, in one query."""
        if not ids:
            return {}
        rows = (await self._session.scalars(select(UserRow).where(UserRow.id.in_(set(ids))))).all()
        return {row.id: row for row in rows}

    async def by_email(self, email: str) -> UserRow | None:
        return (await self._session.scalars(select(UserRow).where(UserRow.email == email))).one_or_none()

    async def members_of(self, partner_ids: Sequence[str]) -> list[UserRow]:
        query = select(UserRow).where(UserRow.partner_id.in_(set(partner_ids))).order_by(UserRow.id)
        return list((await self._session.scalars(query)).all())

    async def page(
        self, *, role: str | None, active: bool | None, offset: int, limit: int
    ) -> tuple[list[UserRow], int]:
        """Users ordered by id: ``limit`` of them from ``offset``, and how many match in all."""
        query = select(UserRow)
        if role is not None:
            query = query.where(UserRow.role == role)
        if active is not None:
            query = query.where(UserRow.disabled.is_(not active))
        total = await self._session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await self._session.scalars(query.order_by(UserRow.id).offset(offset).limit(limit))
        return list(rows.all()), int(total or 0)

    def add(self, row: UserRow) -> None:
        self._session.add(row)

    async def set_password_hash(self, user_id: str, password_hash: str) -> None:
        await self._session.execute(update(UserRow).where(UserRow.id == user_id).values(password_hash=password_hash))

    async def insert_missing(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert users whose id and e-mail are both free; existing users are left untouched."""
        if rows:
            await self._session.execute(
                insert_ignoring_conflicts(USERS, self._session.get_bind().dialect.name), list(rows)
            )

    async def count(self) -> int:
        return int((await self._session.execute(select(func.count()).select_from(UserRow))).scalar_one())

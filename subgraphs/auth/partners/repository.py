"""All store access of the partners sub-domain, inside the session it is given."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, func, select

from subgraphs.auth.tables import ApiKeyRow, PartnerRow
from subgraphs.auth.users.repository import insert_ignoring_conflicts

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.ext.asyncio import AsyncSession

PARTNERS = cast("Table", PartnerRow.__table__)
API_KEYS = cast("Table", ApiKeyRow.__table__)


class PartnerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, partner_id: str) -> PartnerRow | None:
        return await self._session.get(PartnerRow, partner_id)

    async def get_many(self, ids: Sequence[str]) -> dict[str, PartnerRow]:
        rows = (await self._session.scalars(select(PartnerRow).where(PartnerRow.id.in_(set(ids))))).all()
        return {row.id: row for row in rows}

    async def by_name(self, name: str) -> PartnerRow | None:
        query = select(PartnerRow).where(func.lower(PartnerRow.name) == name.lower())
        return (await self._session.scalars(query)).one_or_none()

    async def page(self, *, offset: int, limit: int) -> tuple[list[PartnerRow], int]:
        total = await self._session.scalar(select(func.count()).select_from(PartnerRow))
        rows = await self._session.scalars(select(PartnerRow).order_by(PartnerRow.name).offset(offset).limit(limit))
        return list(rows.all()), int(total or 0)

    def add(self, row: PartnerRow | ApiKeyRow) -> None:
        self._session.add(row)

    async def key(self, key_id: str) -> ApiKeyRow | None:
        return await self._session.get(ApiKeyRow, key_id)

    async def keys_of(self, partner_ids: Sequence[str]) -> list[ApiKeyRow]:
        query = select(ApiKeyRow).where(ApiKeyRow.partner_id.in_(set(partner_ids)))
        return list((await self._session.scalars(query.order_by(ApiKeyRow.created_at, ApiKeyRow.id))).all())

    async def insert_missing(self, partners: Sequence[dict[str, Any]], keys: Sequence[dict[str, Any]]) -> None:
        dialect = self._session.get_bind().dialect.name
        if partners:
            await self._session.execute(insert_ignoring_conflicts(PARTNERS, dialect), list(partners))
        if keys:
            await self._session.execute(insert_ignoring_conflicts(API_KEYS, dialect), list(keys))

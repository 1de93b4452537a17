"""All store access of the audit log. Writes join the caller's transaction, so an event is
recorded exactly when the change it describes is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from subgraphs.auth.audit.kinds import AuditKind
from subgraphs.auth.tables import AuditEventRow

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class AuditFilter:
    kind: AuditKind | None = None
    actor_id: str | None = None
    target_id: str | None = None


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def record(  # noqa: PLR0913 - keyword-only columns of one event
        self,
        kind: AuditKind,
        at: datetime,
        *,
        actor_id: str | None = None,
        target_id: str | None = None,
        email: str | None = None,
        client_address: str | None = None,
        detail: str | None = None,
    ) -> None:
        self._session.add(
            AuditEventRow(
                kind=str(kind),
                occurred_at=at,
                actor_id=actor_id,
                target_id=target_id,
                email=email,
                client_address=client_address,
                detail=None if detail is None else detail[:500],
            )
        )

    async def page(self, where: AuditFilter, *, offset: int, limit: int) -> tuple[list[AuditEventRow], int]:
        """Newest first: ``limit`` events from ``offset``, and how many match in all."""
        query = select(AuditEventRow)
        if where.kind is not None:
            query = query.where(AuditEventRow.kind == str(where.kind))
        if where.actor_id is not None:
            query = query.where(AuditEventRow.actor_id == where.actor_id)
        if where.target_id is not None:
            query = query.where(AuditEventRow.target_id == where.target_id)
        total = await self._session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await self._session.scalars(query.order_by(AuditEventRow.id.desc()).offset(offset).limit(limit))
        return list(rows.all()), int(total or 0)

    async def recent_logins_for_email(self, email: str, since: datetime) -> list[AuditEventRow]:
        """Login successes and failures for an e-mail since ``since``, newest first."""
        kinds = (str(AuditKind.LOGIN_SUCCEEDED), str(AuditKind.LOGIN_FAILED))
        query = (
            select(AuditEventRow)
            .where(AuditEventRow.email == email, AuditEventRow.kind.in_(kinds), AuditEventRow.occurred_at > since)
            .order_by(AuditEventRow.id.desc())
            .limit(100)
        )
        return list((await self._session.scalars(query)).all())

    async def recent_failures_from(self, address: str, since: datetime, limit: int) -> list[datetime]:
        """When the latest ``limit`` failed logins from ``address`` since ``since`` happened, newest first."""
        query = (
            select(AuditEventRow.occurred_at)
            .where(
                AuditEventRow.client_address == address,
                AuditEventRow.kind == str(AuditKind.LOGIN_FAILED),
                AuditEventRow.occurred_at > since,
            )
            .order_by(AuditEventRow.id.desc())
            .limit(limit)
        )
        return list((await self._session.scalars(query)).all())

"""All relational access for known issues and solutions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, desc, func, select

from subgraphs.knowledge.tables import KnownIssueRow, SolutionRow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kcp.stores.relational import RelationalStore


class TroubleshootingRepository:
    def __init__(self, relational: RelationalStore) -> None:
        self._relational = relational

    async def known_issues(self, ids: Sequence[str]) -> list[KnownIssueRow]:
        async with self._relational.reading() as session:
            return list(await session.scalars(select(KnownIssueRow).where(KnownIssueRow.id.in_(ids))))

    async def known_issue_page(
        self, *, severity: str | None, status: str | None, offset: int, limit: int
    ) -> tuple[list[KnownIssueRow], int]:
        """Known issues, most recently reported first, and how many match in all."""
        condition: list[ColumnElement[bool]] = []
        if severity is not None:
            condition.append(KnownIssueRow.severity == severity)
        if status is not None:
            condition.append(KnownIssueRow.status == status)
        page = (
            select(KnownIssueRow)
            .where(*condition)
            .order_by(desc(KnownIssueRow.reported_at), KnownIssueRow.id)
            .offset(offset)
            .limit(limit)
        )
        async with self._relational.reading() as session:
            rows = list(await session.scalars(page))
            total = int(await session.scalar(select(func.count()).select_from(KnownIssueRow).where(*condition)) or 0)
        return rows, total

    async def solutions(self, ids: Sequence[str]) -> list[SolutionRow]:
        async with self._relational.reading() as session:
            return list(await session.scalars(select(SolutionRow).where(SolutionRow.id.in_(ids))))

"""All relational access for known issues and solutions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

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

    async def solutions(self, ids: Sequence[str]) -> list[SolutionRow]:
        async with self._relational.reading() as session:
            return list(await session.scalars(select(SolutionRow).where(SolutionRow.id.in_(ids))))

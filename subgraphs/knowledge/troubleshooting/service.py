"""Known-issue lookups and listings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcp.pagination import Window

if TYPE_CHECKING:
    from subgraphs.knowledge.tables import KnownIssueRow
    from subgraphs.knowledge.troubleshooting.loaders import TroubleshootingLoaders
    from subgraphs.knowledge.troubleshooting.repository import TroubleshootingRepository


class TroubleshootingService:
    def __init__(self, repository: TroubleshootingRepository, loaders: TroubleshootingLoaders) -> None:
        self._repository = repository
        self._loaders = loaders

    async def known_issue(self, issue_id: str) -> KnownIssueRow | None:
        return await self._loaders.known_issue.load(issue_id)

    async def known_issues(
        self, *, severity: str | None, status: str | None, first: int, after: str | None
    ) -> tuple[list[KnownIssueRow], int, Window]:
        window = Window.of(first, after)
        rows, total = await self._repository.known_issue_page(
            severity=severity, status=status, offset=window.offset, limit=window.limit + 1
        )
        self._loaders.known_issue.prime_many({row.id: row for row in rows})
        return rows, total, window

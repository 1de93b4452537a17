"""Known-issue lookups."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from subgraphs.knowledge.tables import KnownIssueRow
    from subgraphs.knowledge.troubleshooting.loaders import TroubleshootingLoaders


class TroubleshootingService:
    def __init__(self, loaders: TroubleshootingLoaders) -> None:
        self._loaders = loaders

    async def known_issue(self, issue_id: str) -> KnownIssueRow | None:
        return await self._loaders.known_issue.load(issue_id)

"""Per-request DataLoaders of known issues and solutions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kcp.batching import records_by_id

if TYPE_CHECKING:
    from strawberry.dataloader import DataLoader

    from subgraphs.knowledge.tables import KnownIssueRow, SolutionRow
    from subgraphs.knowledge.troubleshooting.repository import TroubleshootingRepository


@dataclass(frozen=True, slots=True)
class TroubleshootingLoaders:
    known_issue: DataLoader[str, KnownIssueRow | None]
    solution: DataLoader[str, SolutionRow | None]

    @classmethod
    def build(cls, repository: TroubleshootingRepository) -> TroubleshootingLoaders:
        return cls(
            known_issue=records_by_id(repository.known_issues, lambda row: row.id),
            solution=records_by_id(repository.solutions, lambda row: row.id),
        )

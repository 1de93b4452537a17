"""GraphQL types of known issues and their solutions."""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - Strawberry reads annotations at runtime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from subgraphs.knowledge.articles.types import Article
from subgraphs.knowledge.context import Info  # noqa: TC001 - Strawberry reads annotations at runtime
from subgraphs.knowledge.relations.repository import Traversal

if TYPE_CHECKING:
    from subgraphs.knowledge.catalog.types import FirmwareVersion, Product
    from subgraphs.knowledge.tables import KnownIssueRow, SolutionRow


@strawberry.enum
class Severity(Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


@strawberry.enum
class IssueStatus(Enum):
    OPEN = "open"
    INVESTIGATING = "investigating"
    RESOLVED = "resolved"


@strawberry.type(description="A way to resolve a known issue: steps in the order to follow them.")
class Solution:
    id: strawberry.ID
    title: str
    steps: list[str]
    success_rate: float = strawberry.field(description="Share of attempts that resolved the issue, 0 to 1.")

    @classmethod
    def from_model(cls, row: SolutionRow) -> Solution:
        return cls(id=strawberry.ID(row.id), title=row.title, steps=list(row.steps), success_rate=row.success_rate)

    @strawberry.field(description="Published articles documenting this solution.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def articles(self, info: Info) -> list[Article]:
        loaders = info.context.loaders
        rows = await loaders.relations.follow(
            Traversal.ARTICLES_OF_SOLUTION, self.id, loaders.articles.published_article
        )
        return [Article.from_model(row) for row in rows]


@strawberry.type(description="A problem known to affect one or more products.")
class KnownIssue:
    id: strawberry.ID
    title: str
    description: str
    severity: Severity
    status: IssueStatus
    symptoms: list[str]
    reported_at: dt.datetime

    @classmethod
    def from_model(cls, row: KnownIssueRow) -> KnownIssue:
        return cls(
            id=strawberry.ID(row.id),
            title=row.title,
            description=row.description,
            severity=Severity(row.severity),
            status=IssueStatus(row.status),
            symptoms=list(row.symptoms),
            reported_at=row.reported_at,
        )

    @strawberry.field(description="Solutions in the order to try them.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def solutions(self, info: Info) -> list[Solution]:
        loaders = info.context.loaders
        rows = await loaders.relations.follow(Traversal.SOLUTIONS_OF_ISSUE, self.id, loaders.troubleshooting.solution)
        return [Solution.from_model(row) for row in rows]

    @strawberry.field(description="The firmware versions the issue was seen on.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def affected_firmware(
        self, info: Info
    ) -> list[Annotated[FirmwareVersion, strawberry.lazy("subgraphs.knowledge.catalog.types")]]:
        ids = await info.context.loaders.relations[Traversal.AFFECTED_FIRMWARE].load(self.id)
        return await info.context.upper.firmware(info, ids)

    @strawberry.field
    async def affected_products(
        self, info: Info
    ) -> list[Annotated[Product, strawberry.lazy("subgraphs.knowledge.catalog.types")]]:
        ids = await info.context.loaders.relations[Traversal.PRODUCTS_AFFECTED_BY].load(self.id)
        return await info.context.upper.products(info, ids)

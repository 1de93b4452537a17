"""The public GraphQL type of generation jobs."""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 - Strawberry reads field annotations at runtime
from enum import Enum

import strawberry

from subgraphs.content.context import Context  # noqa: TC001 - Strawberry resolves Info[Context] at runtime
from subgraphs.content.generation.repository import JobRecord  # noqa: TC001 - runtime mapper argument
from subgraphs.content.items.kinds import ContentKind
from subgraphs.content.items.types import ContentItem, Product, visible
from subgraphs.content.templates.types import ContentTemplate
from subgraphs.content.users import User


@strawberry.enum(description="How a generation job ended.")
class GenerationStatus(Enum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@strawberry.type(description="One generateContent call: what was asked, who wrote it, from which facts.")
class GenerationJob:
    id: strawberry.ID
    kind: ContentKind
    locale: str
    status: GenerationStatus
    provider: str = strawberry.field(description="template (deterministic, no LLM key set), openai or anthropic.")
    facts: list[str] = strawberry.field(description="The knowledge-base facts the copy is grounded in.")
    note: str = strawberry.field(description="How the copy was written, or why the job failed.")
    created_by: User
    created_at: datetime
    record: strawberry.Private[JobRecord]

    @classmethod
    def from_record(cls, record: JobRecord) -> GenerationJob:
        return cls(
            id=strawberry.ID(record.id),
            kind=ContentKind(record.kind),
            locale=record.locale,
            status=GenerationStatus(record.status),
            provider=record.provider,
            facts=list(record.facts),
            note=record.note,
            created_by=User(id=strawberry.ID(record.created_by)),
            created_at=record.created_at,
            record=record,
        )

    @strawberry.field
    def product(self) -> Product | None:
        return Product(id=strawberry.ID(self.record.product_id))

    @strawberry.field(description="The draft item the job wrote (none when it failed).")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def content_item(self, info: strawberry.Info[Context, None]) -> ContentItem | None:
        if self.record.content_item_id is None:
            return None
        record = await info.context.loaders.item_by_id.load(self.record.content_item_id)
        return ContentItem.from_record(record) if record is not None and visible(info, record) else None

    @strawberry.field
    async def template(self, info: strawberry.Info[Context, None]) -> ContentTemplate | None:
        if self.record.template_id is None:
            return None
        record = await info.context.loaders.template_by_id.load(self.record.template_id)
        return None if record is None else ContentTemplate.from_record(record)

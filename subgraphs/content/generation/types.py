"""The public GraphQL type of generation jobs."""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 - Strawberry reads field annotations at runtime
from enum import Enum

import strawberry

from subgraphs.content.context import Context  # noqa: TC001 - Strawberry resolves Info[Context] at runtime
from subgraphs.content.generation.grounding import Passage  # noqa: TC001 - runtime mapper argument
from subgraphs.content.generation.repository import JobRecord  # noqa: TC001 - runtime mapper argument
from subgraphs.content.items.kinds import ContentKind
from subgraphs.content.items.types import ContentItem, Product, visible
from subgraphs.content.templates.types import ContentTemplate
from subgraphs.content.users import User


@strawberry.enum(description="How a generation job ended.")
class GenerationStatus(Enum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@strawberry.type(description="A knowledge-base passage a generated draft cites as [number].")
class GenerationCitation:
    number: int = strawberry.field(description="The [number] that marks it in the draft and its Sources section.")
    kind: str = strawberry.field(description="article or solution.")
    source_id: strawberry.ID = strawberry.field(description="The cited article's or solution's id.")
    title: str
    version: int | None = strawberry.field(description="The article's version the passage was read from.")
    passage: str = strawberry.field(description="The retrieved text the draft stands on.")

    @classmethod
    def from_passage(cls, passage: Passage) -> GenerationCitation:
        return cls(
            number=passage.number,
            kind=passage.kind,
            source_id=strawberry.ID(passage.source_id),
            title=passage.title,
            version=passage.version,
            passage=passage.text,
        )


@strawberry.type(description="One generateContent call: what was asked, who wrote it, from which facts.")
class GenerationJob:
    id: strawberry.ID
    kind: ContentKind
    locale: str
    status: GenerationStatus
    provider: str = strawberry.field(description="template (deterministic, no LLM key set), openai or anthropic.")
    facts: list[str] = strawberry.field(description="The knowledge-base facts the copy is grounded in.")
    note: str = strawberry.field(description="How the copy was written, or why the job failed.")
    grounded: bool = strawberry.field(
        description="True when the draft cites passages retrieved from the knowledge base (`citations`)."
    )
    ungrounded_reason: str | None = strawberry.field(
        description="Why it cites none: KNOWLEDGE_UNAVAILABLE, RETRIEVAL_REFUSED:<code>, NO_PASSAGES, "
        "or NOT_RECORDED (a job from before grounding); null when grounded."
    )
    retrieval_degraded: str | None = strawberry.field(
        description="Knowledge's label when its retrieval was weaker than usual, e.g. KEYWORD_ONLY:NOT_INDEXED."
    )
    citations: list[GenerationCitation] = strawberry.field(
        description="The retrieved passages the draft cites, by number."
    )
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
            grounded=record.ungrounded_reason is None,
            ungrounded_reason=record.ungrounded_reason,
            retrieval_degraded=record.retrieval_degraded,
            citations=[GenerationCitation.from_passage(p) for p in record.citations],
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

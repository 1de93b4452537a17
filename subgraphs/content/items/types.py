"""The public GraphQL types of content items, mapped from repository records."""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 - Strawberry reads field annotations at runtime
from enum import Enum

import strawberry

from subgraphs.content.context import Context  # noqa: TC001 - Strawberry resolves Info[Context] at runtime
from subgraphs.content.items.repository import ContentItemRecord, RevisionRecord  # noqa: TC001


@strawberry.enum(description="What a content item is for.")
class ContentKind(Enum):
    PRODUCT_DESCRIPTION = "product_description"
    MARKETING_EMAIL = "marketing_email"
    SOCIAL_POST = "social_post"
    SUPPORT_MACRO = "support_macro"


@strawberry.enum(description="Where a content item is in the review workflow.")
class ContentStatus(Enum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    PUBLISHED = "published"


@strawberry.type(description="One immutable version of a content item's body.")
class Revision:
    id: strawberry.ID
    number: int
    body: str
    author_id: strawberry.ID = strawberry.field(description="The `User` who wrote this revision.")
    created_at: datetime

    @classmethod
    def from_record(cls, record: RevisionRecord) -> Revision:
        return cls(
            id=strawberry.ID(record.id),
            number=record.number,
            body=record.body,
            author_id=strawberry.ID(record.author_id),
            created_at=record.created_at,
        )


@strawberry.federation.type(keys=["id"], description="A piece of product copy with its revision history.")
class ContentItem:
    id: strawberry.ID
    kind: ContentKind
    title: str
    locale: str
    status: ContentStatus
    created_at: datetime
    product_id: strawberry.Private[str]

    @classmethod
    def from_record(cls, record: ContentItemRecord) -> ContentItem:
        return cls(
            id=strawberry.ID(record.id),
            kind=ContentKind(record.kind),
            title=record.title,
            locale=record.locale,
            status=ContentStatus(record.status),
            created_at=record.created_at,
            product_id=record.product_id,
        )

    @classmethod
    async def resolve_reference(cls, info: strawberry.Info[Context, None], id: strawberry.ID) -> ContentItem | None:  # noqa: A002 - the key field is called id
        record = await info.context.loaders.item_by_id.load(str(id))
        return None if record is None else cls.from_record(record)

    # Nullable on purpose: the `Product` is owned by another subgraph; when it does not exist or that
    # subgraph is down, the router nulls it, and a non-null type would bubble the null up and
    # erase the whole content item (and every list holding it). The id-carrying stub stays.
    @strawberry.field
    def product(self) -> Product | None:
        return Product(id=strawberry.ID(self.product_id))

    @strawberry.field(description="All revisions, oldest (number 1) first.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def revisions(self, info: strawberry.Info[Context, None]) -> list[Revision]:
        records = await info.context.loaders.revisions_by_item.load(str(self.id))
        return [Revision.from_record(r) for r in records]

    @strawberry.field(description="The highest-numbered revision.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def current_revision(self, info: strawberry.Info[Context, None]) -> Revision:
        records = await info.context.loaders.revisions_by_item.load(str(self.id))
        return Revision.from_record(records[-1])

    @strawberry.field(description="When the current revision was written.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def updated_at(self, info: strawberry.Info[Context, None]) -> datetime:
        records = await info.context.loaders.revisions_by_item.load(str(self.id))
        return records[-1].created_at if records else self.created_at


@strawberry.federation.type(keys=["id"])
class Product:
    """Knowledge owns `Product` and its description; content adds `content`."""

    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Product:  # noqa: A002 - the key field is called id
        return cls(id=id)

    # Nullable on purpose: a field this subgraph adds to another's entity must not null the
    # whole entity when this subgraph is down (null would bubble up past a non-null type).
    @strawberry.field(description="The product's content items, oldest first, optionally of one kind.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def content(
        self, info: strawberry.Info[Context, None], kind: ContentKind | None = None
    ) -> list[ContentItem] | None:
        records = await info.context.loaders.items_by_product.load(str(self.id))
        return [ContentItem.from_record(r) for r in records if kind is None or r.kind == kind.value]

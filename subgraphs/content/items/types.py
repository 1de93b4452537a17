"""The public GraphQL types of content items, mapped from repository records."""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 - Strawberry reads field annotations at runtime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from subgraphs.content.context import Context  # noqa: TC001 - Strawberry resolves Info[Context] at runtime
from subgraphs.content.items.kinds import ContentKind
from subgraphs.content.items.repository import ContentItemRecord, ReviewRecord, RevisionRecord  # noqa: TC001
from subgraphs.content.items.service import ContentItemService, visible_statuses
from subgraphs.content.scopes import CONTENT_READ
from subgraphs.content.templates.types import ContentTemplate
from subgraphs.content.users import User

if TYPE_CHECKING:
    from subgraphs.content.items.diff import RevisionDiff as RevisionDiffRecord


@strawberry.enum(description="Where a content item is in the review workflow.")
class ContentStatus(Enum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    PUBLISHED = "published"


def _user(user_id: str | None) -> User | None:
    return None if user_id is None else User(id=strawberry.ID(user_id))


def visible(info: strawberry.Info[Context, None], record: ContentItemRecord | None) -> bool:
    statuses = visible_statuses(info.context.identity)
    return record is not None and (statuses is None or record.status in statuses)


@strawberry.type(description="One immutable version of a content item's body.")
class Revision:
    id: strawberry.ID
    number: int
    body: str
    author_id: strawberry.ID = strawberry.field(description="The `User` who wrote this revision.")
    note: str | None = strawberry.field(description="Why it was written (an editor's summary, a generator's note).")
    created_at: datetime

    @strawberry.field(description="Who wrote this revision.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    def author(self) -> User:
        return User(id=self.author_id)

    @classmethod
    def from_record(cls, record: RevisionRecord) -> Revision:
        return cls(
            id=strawberry.ID(record.id),
            number=record.number,
            body=record.body,
            author_id=strawberry.ID(record.author_id),
            note=record.note,
            created_at=record.created_at,
        )


@strawberry.type(description="One move of the review workflow: who, when, from where to where, and why.")
class ReviewEvent:
    from_status: ContentStatus = strawberry.field(name="from")
    to_status: ContentStatus = strawberry.field(name="to")
    by: User
    at: datetime
    revision_number: int = strawberry.field(description="The revision that was current when the move was made.")
    comment: str | None

    @classmethod
    def from_record(cls, record: ReviewRecord) -> ReviewEvent:
        return cls(
            from_status=ContentStatus(record.from_status),
            to_status=ContentStatus(record.to_status),
            by=User(id=strawberry.ID(record.by)),
            at=record.at,
            revision_number=record.revision_number,
            comment=record.comment,
        )


@strawberry.type(description="What changed between two revisions, as a unified diff.")
class RevisionDiff:
    from_number: int = strawberry.field(name="from")
    to_number: int = strawberry.field(name="to")
    unified: str = strawberry.field(description="difflib's unified diff; empty when the bodies are equal.")
    added_lines: int
    removed_lines: int

    @classmethod
    def from_record(cls, record: RevisionDiffRecord) -> RevisionDiff:
        return cls(
            from_number=record.from_number,
            to_number=record.to_number,
            unified=record.unified,
            added_lines=record.added_lines,
            removed_lines=record.removed_lines,
        )


@strawberry.federation.type(keys=["id"], description="A piece of product copy with its revision history.")
class ContentItem:
    id: strawberry.ID
    kind: ContentKind
    title: str
    locale: str
    status: ContentStatus
    created_at: datetime
    status_changed_at: datetime | None = strawberry.field(description="When the item last moved in the workflow.")
    record: strawberry.Private[ContentItemRecord]

    @classmethod
    def from_record(cls, record: ContentItemRecord) -> ContentItem:
        return cls(
            id=strawberry.ID(record.id),
            kind=ContentKind(record.kind),
            title=record.title,
            locale=record.locale,
            status=ContentStatus(record.status),
            created_at=record.created_at,
            status_changed_at=record.status_changed_at,
            record=record,
        )

    @classmethod
    async def resolve_reference(cls, info: strawberry.Info[Context, None], id: strawberry.ID) -> ContentItem | None:  # noqa: A002 - the key field is called id
        record = await info.context.loaders.item_by_id.load(str(id))
        return cls.from_record(record) if record is not None and visible(info, record) else None

    # Nullable on purpose: the `Product` is owned by another subgraph; when it does not exist or that
    # subgraph is down, the router nulls it, and a non-null type would bubble the null up and
    # erase the whole content item (and every list holding it). The id-carrying stub stays.
    @strawberry.field
    def product(self) -> Product | None:
        return Product(id=strawberry.ID(self.record.product_id))

    @strawberry.field(description="Who created the item.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    def created_by(self) -> User | None:
        return _user(self.record.created_by)

    @strawberry.field(description="Who made the last workflow move.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    def status_changed_by(self) -> User | None:
        return _user(self.record.status_changed_by)

    @strawberry.field(description="All revisions, oldest (number 1) first; needs content:read.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def revisions(self, info: strawberry.Info[Context, None]) -> list[Revision] | None:
        info.context.identity.require(CONTENT_READ)
        records = await info.context.loaders.revisions_by_item.load(str(self.id))
        return [Revision.from_record(r) for r in records]

    @strawberry.field(description="The highest-numbered revision.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def current_revision(self, info: strawberry.Info[Context, None]) -> Revision:
        records = await info.context.loaders.revisions_by_item.load(str(self.id))
        return Revision.from_record(records[-1])

    @strawberry.field(description="The revision that was published last, if the item was ever published.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def published_revision(self, info: strawberry.Info[Context, None]) -> Revision | None:
        if self.record.published_revision is None:
            return None
        records = await info.context.loaders.revisions_by_item.load(str(self.id))
        found = [r for r in records if r.number == self.record.published_revision]
        return Revision.from_record(found[0]) if found else None

    @strawberry.field(description="When the current revision was written.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def updated_at(self, info: strawberry.Info[Context, None]) -> datetime:
        records = await info.context.loaders.revisions_by_item.load(str(self.id))
        return records[-1].created_at if records else self.created_at

    @strawberry.field(description="The unified diff between two revisions (by number); needs content:read.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def diff(
        self,
        info: strawberry.Info[Context, None],
        from_: Annotated[int, strawberry.argument(name="from")],
        to: int,
    ) -> RevisionDiff | None:
        info.context.identity.require(CONTENT_READ)
        records = await info.context.loaders.revisions_by_item.load(str(self.id))
        return RevisionDiff.from_record(ContentItemService.diff(records, str(self.id), from_, to))

    @strawberry.field(description="Every workflow move, oldest first; needs content:read.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    def reviews(self, info: strawberry.Info[Context, None]) -> list[ReviewEvent] | None:
        info.context.identity.require(CONTENT_READ)
        return [ReviewEvent.from_record(r) for r in self.record.reviews]

    @strawberry.field(description="The original this item translates, if it is a translation.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def translation_of(self, info: strawberry.Info[Context, None]) -> ContentItem | None:
        if self.record.translation_of is None:
            return None
        record = await info.context.loaders.item_by_id.load(self.record.translation_of)
        return ContentItem.from_record(record) if record is not None and visible(info, record) else None

    @strawberry.field(description="The same copy in other locales (original and translations), by locale.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def translations(self, info: strawberry.Info[Context, None]) -> list[ContentItem]:
        original_id = self.record.translation_of or str(self.id)
        group = await info.context.loaders.translations_by_original.load(original_id)
        original = await info.context.loaders.item_by_id.load(original_id)
        others = [r for r in (original, *group) if r is not None and r.id != str(self.id) and visible(info, r)]
        return [ContentItem.from_record(r) for r in sorted(others, key=lambda r: (r.locale, r.id))]

    @strawberry.field(description="The template the item was filled from, if any; needs content:read.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def template(self, info: strawberry.Info[Context, None]) -> ContentTemplate | None:
        if self.record.template_id is None:
            return None
        info.context.identity.require(CONTENT_READ)
        record = await info.context.loaders.template_by_id.load(self.record.template_id)
        return None if record is None else ContentTemplate.from_record(record)


@strawberry.federation.type(keys=["id"])
class Product:
    """Knowledge owns `Product` and its description; content adds `content`."""

    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Product:  # noqa: A002 - the key field is called id
        return cls(id=id)

    # Nullable on purpose: a field this subgraph adds to another's entity must not null the
    # whole entity when this subgraph is down (null would bubble up past a non-null type).
    @strawberry.field(description="The product's content items, oldest first (unpublished ones with content:read).")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def content(
        self,
        info: strawberry.Info[Context, None],
        kind: ContentKind | None = None,
        status: ContentStatus | None = None,
        locale: str | None = None,
    ) -> list[ContentItem] | None:
        records = await info.context.loaders.items_by_product.load(str(self.id))
        return [
            ContentItem.from_record(r)
            for r in records
            if visible(info, r)
            and (kind is None or r.kind == kind.value)
            and (status is None or r.status == status.value)
            and (locale is None or r.locale == locale)
        ]

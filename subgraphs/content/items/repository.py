"""All document-store access of content items, their revisions and their review history.

Two collections: ``content_items`` (the item; only its workflow fields ever change, by
compare-and-set, and its review history lives inside it, so a move and its record are one write)
and ``content_revisions`` (one document per revision, never changed once written). An item's
current revision and its ``updatedAt`` are those of its highest-numbered revision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from kcp.stores.documents import Document, DocumentStore

ITEMS = "content_items"
REVISIONS = "content_revisions"


def to_stored_time(moment: datetime) -> str:
    """UTC ISO text of fixed width, so the store's text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_stored_time(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _optional_time(value: Any) -> datetime | None:
    return None if value is None else from_stored_time(str(value))


def _optional(value: Any) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """One move of the workflow: who moved the item from where to where, when, and why."""

    from_status: str
    to_status: str
    by: str
    at: datetime
    revision_number: int
    comment: str | None = None

    def to_document(self) -> Document:
        return {
            "from": self.from_status,
            "to": self.to_status,
            "by": self.by,
            "at": to_stored_time(self.at),
            "revisionNumber": self.revision_number,
            "comment": self.comment,
        }

    @classmethod
    def from_document(cls, document: Document) -> ReviewRecord:
        return cls(
            from_status=str(document["from"]),
            to_status=str(document["to"]),
            by=str(document["by"]),
            at=from_stored_time(document["at"]),
            revision_number=int(document["revisionNumber"]),
            comment=_optional(document.get("comment")),
        )


@dataclass(frozen=True, slots=True)
class ContentItemRecord:
    id: str
    product_id: str
    kind: str
    title: str
    locale: str
    status: str
    created_at: datetime
    created_by: str | None = None
    translation_of: str | None = None
    """The item this one translates (the original of its translation group), if any."""
    template_id: str | None = None
    published_revision: int | None = None
    status_changed_at: datetime | None = None
    status_changed_by: str | None = None
    reviews: tuple[ReviewRecord, ...] = ()

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "productId": self.product_id,
            "kind": self.kind,
            "title": self.title,
            "locale": self.locale,
            "status": self.status,
            "createdAt": to_stored_time(self.created_at),
            "createdBy": self.created_by,
            "translationOf": self.translation_of,
            "templateId": self.template_id,
            "publishedRevision": self.published_revision,
            "statusChangedAt": None if self.status_changed_at is None else to_stored_time(self.status_changed_at),
            "statusChangedBy": self.status_changed_by,
            "reviews": [r.to_document() for r in self.reviews],
        }

    @classmethod
    def from_document(cls, document: Document) -> ContentItemRecord:
        published = document.get("publishedRevision")
        return cls(
            id=str(document["_id"]),
            product_id=str(document["productId"]),
            kind=str(document["kind"]),
            title=str(document["title"]),
            locale=str(document["locale"]),
            status=str(document["status"]),
            created_at=from_stored_time(document["createdAt"]),
            created_by=_optional(document.get("createdBy")),
            translation_of=_optional(document.get("translationOf")),
            template_id=_optional(document.get("templateId")),
            published_revision=None if published is None else int(published),
            status_changed_at=_optional_time(document.get("statusChangedAt")),
            status_changed_by=_optional(document.get("statusChangedBy")),
            reviews=tuple(ReviewRecord.from_document(r) for r in document.get("reviews") or ()),
        )


@dataclass(frozen=True, slots=True)
class RevisionRecord:
    id: str
    content_item_id: str
    number: int
    body: str
    author_id: str
    created_at: datetime
    note: str | None = None
    """Why this revision was written (a generator's disclosure, an editor's summary)."""

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "contentItemId": self.content_item_id,
            "number": self.number,
            "body": self.body,
            "authorId": self.author_id,
            "createdAt": to_stored_time(self.created_at),
            "note": self.note,
        }

    @classmethod
    def from_document(cls, document: Document) -> RevisionRecord:
        return cls(
            id=str(document["_id"]),
            content_item_id=str(document["contentItemId"]),
            number=int(document["number"]),
            body=str(document["body"]),
            author_id=str(document["authorId"]),
            created_at=from_stored_time(document["createdAt"]),
            note=_optional(document.get("note")),
        )


def revision_id(item_id: str, number: int) -> str:
    """Revision ids derive from item and number: two writers of the same number collide."""
    return f"{item_id}-r{number}"


@dataclass(frozen=True, slots=True)
class ItemFilter:
    product_id: str | None = None
    status: str | None = None
    statuses: tuple[str, ...] | None = None
    """Any of these (what the caller may see); combined with ``status``."""
    kind: str | None = None
    locale: str | None = None

    def where(self) -> dict[str, Any]:
        given = (("productId", self.product_id), ("kind", self.kind), ("locale", self.locale))
        where: dict[str, Any] = {field: value for field, value in given if value is not None}
        if self.status is not None:
            where["status"] = self.status if self.statuses is None or self.status in self.statuses else []
        elif self.statuses is not None:
            where["status"] = list(self.statuses)
        return where


class ContentRepository:
    """Reads and writes content items, revisions and reviews; no other module touches the store."""

    def __init__(self, documents: DocumentStore) -> None:
        self._documents = documents

    async def ensure_indexes(self) -> None:
        for field in ("productId", "status", "kind", "locale", "translationOf", "createdAt"):
            await self._documents.ensure_index(ITEMS, field)
        await self._documents.ensure_index(REVISIONS, "contentItemId")

    async def items_by_ids(self, item_ids: Sequence[str]) -> list[ContentItemRecord]:
        documents = await self._documents.find(ITEMS, {"_id": list(item_ids)})
        return [ContentItemRecord.from_document(d) for d in documents]

    async def items_for_products(self, product_ids: Sequence[str]) -> list[ContentItemRecord]:
        """Every item of these products, oldest first: one store query for the whole batch."""
        documents = await self._documents.find(
            ITEMS, {"productId": list(product_ids)}, sort=[("createdAt", 1), ("_id", 1)]
        )
        return [ContentItemRecord.from_document(d) for d in documents]

    async def translations_of(self, original_ids: Sequence[str]) -> list[ContentItemRecord]:
        """Every item translating one of these originals: one store query for the batch."""
        documents = await self._documents.find(
            ITEMS, {"translationOf": list(original_ids)}, sort=[("locale", 1), ("_id", 1)]
        )
        return [ContentItemRecord.from_document(d) for d in documents]

    async def list_items(self, where: ItemFilter, *, offset: int, limit: int) -> list[ContentItemRecord]:
        """Items matching the filter, newest first."""
        documents = await self._documents.find(
            ITEMS, where.where(), sort=[("createdAt", -1), ("_id", -1)], limit=limit, skip=offset
        )
        return [ContentItemRecord.from_document(d) for d in documents]

    async def count_matching(self, where: ItemFilter) -> int:
        return await self._documents.count(ITEMS, where.where())

    async def revisions_for_items(self, item_ids: Sequence[str]) -> list[RevisionRecord]:
        """Every revision of these items, by item and number: one store query for the batch."""
        documents = await self._documents.find(
            REVISIONS, {"contentItemId": list(item_ids)}, sort=[("contentItemId", 1), ("number", 1)]
        )
        return [RevisionRecord.from_document(d) for d in documents]

    async def latest_revision_number(self, item_id: str) -> int:
        documents = await self._documents.find(REVISIONS, {"contentItemId": item_id}, sort=[("number", -1)], limit=1)
        return int(documents[0]["number"]) if documents else 0

    async def insert_item(self, item: ContentItemRecord) -> None:
        await self._documents.insert(ITEMS, item.to_document())

    async def insert_revision(self, revision: RevisionRecord) -> None:
        """Raises ``DuplicateDocumentError`` when that revision number is already taken."""
        await self._documents.insert(REVISIONS, revision.to_document())

    async def move_item(self, current: ContentItemRecord, moved: ContentItemRecord) -> bool:
        """Write ``moved``'s workflow fields if the stored item is still ``current`` (compare-and-set
        on status and the time of the last move: any move in between makes this one fail)."""
        after = moved.to_document()
        before = current.to_document()
        fields = ("status", "publishedRevision", "statusChangedAt", "statusChangedBy", "reviews")
        return await self._documents.update(
            ITEMS,
            current.id,
            {field: after[field] for field in fields},
            expect={"status": before["status"], "statusChangedAt": before["statusChangedAt"]},
        )

    async def insert_items_missing(self, items: Iterable[ContentItemRecord]) -> int:
        return await self._documents.insert_many_missing(ITEMS, [i.to_document() for i in items])

    async def insert_revisions_missing(self, revisions: Iterable[RevisionRecord]) -> int:
        return await self._documents.insert_many_missing(REVISIONS, [r.to_document() for r in revisions])

    async def count_items(self) -> int:
        return await self._documents.count(ITEMS)

    async def count_revisions(self) -> int:
        return await self._documents.count(REVISIONS)

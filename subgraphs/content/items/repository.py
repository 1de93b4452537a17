"""All document-store access of the content domain.

Two collections: ``content_items`` (the item's own, immutable fields) and ``content_revisions``
(one document per revision, never changed once written). An item's current revision and its
``updatedAt`` are those of its highest-numbered revision, so revising an item only inserts.
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


@dataclass(frozen=True, slots=True)
class ContentItemRecord:
    id: str
    product_id: str
    kind: str
    title: str
    locale: str
    status: str
    created_at: datetime

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "productId": self.product_id,
            "kind": self.kind,
            "title": self.title,
            "locale": self.locale,
            "status": self.status,
            "createdAt": to_stored_time(self.created_at),
        }

    @classmethod
    def from_document(cls, document: Document) -> ContentItemRecord:
        return cls(
            id=str(document["_id"]),
            product_id=str(document["productId"]),
            kind=str(document["kind"]),
            title=str(document["title"]),
            locale=str(document["locale"]),
            status=str(document["status"]),
            created_at=from_stored_time(document["createdAt"]),
        )


@dataclass(frozen=True, slots=True)
class RevisionRecord:
    id: str
    content_item_id: str
    number: int
    body: str
    author_id: str
    created_at: datetime

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "contentItemId": self.content_item_id,
            "number": self.number,
            "body": self.body,
            "authorId": self.author_id,
            "createdAt": to_stored_time(self.created_at),
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
        )


def revision_id(item_id: str, number: int) -> str:
    """Revision ids derive from item and number: two writers of the same number collide."""
    return f"{item_id}-r{number}"


class ContentRepository:
    """Reads and writes content items and revisions; no other module touches the store."""

    def __init__(self, documents: DocumentStore) -> None:
        self._documents = documents

    async def ensure_indexes(self) -> None:
        await self._documents.ensure_index(ITEMS, "productId")
        await self._documents.ensure_index(ITEMS, "status")
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

    async def list_items(self, *, product_id: str | None, status: str | None, limit: int) -> list[ContentItemRecord]:
        """Items matching the filters, newest first."""
        where: dict[str, Any] = {}
        if product_id is not None:
            where["productId"] = product_id
        if status is not None:
            where["status"] = status
        documents = await self._documents.find(ITEMS, where, sort=[("createdAt", -1), ("_id", -1)], limit=limit)
        return [ContentItemRecord.from_document(d) for d in documents]

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

    async def insert_items_missing(self, items: Iterable[ContentItemRecord]) -> int:
        return await self._documents.insert_many_missing(ITEMS, [i.to_document() for i in items])

    async def insert_revisions_missing(self, revisions: Iterable[RevisionRecord]) -> int:
        return await self._documents.insert_many_missing(REVISIONS, [r.to_document() for r in revisions])

    async def count_items(self) -> int:
        return await self._documents.count(ITEMS)

    async def count_revisions(self) -> int:
        return await self._documents.count(REVISIONS)

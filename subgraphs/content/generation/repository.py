"""All document-store access of generation jobs (collection ``content_generation_jobs``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime  # noqa: TC003 - a dataclass field type
from typing import TYPE_CHECKING, Any

from subgraphs.content.generation.grounding import Passage
from subgraphs.content.items.repository import from_stored_time, to_stored_time

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from kcp.stores.documents import Document, DocumentStore

JOBS = "content_generation_jobs"
NOT_RECORDED = "NOT_RECORDED"
"""The ungrounded reason of a job stored before drafts were grounded in retrieval (or seeded)."""


@dataclass(frozen=True, slots=True)
class JobRecord:
    id: str
    product_id: str
    kind: str
    locale: str
    status: str  # succeeded | failed
    provider: str
    template_id: str | None
    content_item_id: str | None
    facts: tuple[str, ...]
    note: str
    created_by: str
    created_at: datetime
    citations: tuple[Passage, ...] = ()
    ungrounded_reason: str | None = NOT_RECORDED
    """None when the draft cites retrieved passages; otherwise why it does not."""
    retrieval_degraded: str | None = None

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "productId": self.product_id,
            "kind": self.kind,
            "locale": self.locale,
            "status": self.status,
            "provider": self.provider,
            "templateId": self.template_id,
            "contentItemId": self.content_item_id,
            "facts": list(self.facts),
            "note": self.note,
            "createdBy": self.created_by,
            "createdAt": to_stored_time(self.created_at),
            "citations": [
                {"number": p.number, "kind": p.kind, "sourceId": p.source_id, "title": p.title,
                 "version": p.version, "text": p.text}
                for p in self.citations
            ],
            "ungroundedReason": self.ungrounded_reason,
            "retrievalDegraded": self.retrieval_degraded,
        }  # fmt: skip

    @classmethod
    def from_document(cls, document: Document) -> JobRecord:
        return cls(
            id=str(document["_id"]),
            product_id=str(document["productId"]),
            kind=str(document["kind"]),
            locale=str(document["locale"]),
            status=str(document["status"]),
            provider=str(document["provider"]),
            template_id=None if document.get("templateId") is None else str(document["templateId"]),
            content_item_id=None if document.get("contentItemId") is None else str(document["contentItemId"]),
            facts=tuple(str(f) for f in document.get("facts") or ()),
            note=str(document.get("note") or ""),
            created_by=str(document["createdBy"]),
            created_at=from_stored_time(document["createdAt"]),
            citations=tuple(_passage(c) for c in document.get("citations") or ()),
            ungrounded_reason=_ungrounded_reason(document),
            retrieval_degraded=_optional_text(document.get("retrievalDegraded")),
        )


def _optional_text(value: object) -> str | None:
    return None if value is None else str(value)


def _ungrounded_reason(document: Document) -> str | None:
    """The stored reason; NOT_RECORDED for a job stored before the field existed."""
    if "ungroundedReason" not in document:
        return NOT_RECORDED
    return _optional_text(document["ungroundedReason"])


def _passage(stored: Document) -> Passage:
    version = stored.get("version")
    return Passage(
        number=int(stored["number"]),
        kind=str(stored["kind"]),
        source_id=str(stored["sourceId"]),
        title=str(stored["title"]),
        version=None if version is None else int(version),
        text=str(stored["text"]),
    )


class JobRepository:
    def __init__(self, documents: DocumentStore) -> None:
        self._documents = documents

    async def ensure_indexes(self) -> None:
        await self._documents.ensure_index(JOBS, "productId")
        await self._documents.ensure_index(JOBS, "createdAt")

    async def by_ids(self, job_ids: Sequence[str]) -> list[JobRecord]:
        return [JobRecord.from_document(d) for d in await self._documents.find(JOBS, {"_id": list(job_ids)})]

    async def list(self, *, product_id: str | None, limit: int) -> list[JobRecord]:
        where: dict[str, Any] = {} if product_id is None else {"productId": product_id}
        documents = await self._documents.find(JOBS, where, sort=[("createdAt", -1), ("_id", -1)], limit=limit)
        return [JobRecord.from_document(d) for d in documents]

    async def insert(self, job: JobRecord) -> None:
        await self._documents.insert(JOBS, job.to_document())

    async def insert_missing(self, jobs: Iterable[JobRecord]) -> int:
        return await self._documents.insert_many_missing(JOBS, [j.to_document() for j in jobs])

    async def count(self) -> int:
        return await self._documents.count(JOBS)

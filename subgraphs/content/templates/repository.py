"""All document-store access of templates (collection ``content_templates``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime  # noqa: TC003 - a dataclass field type
from typing import TYPE_CHECKING, Any

from subgraphs.content.items.repository import from_stored_time, to_stored_time

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from kcp.stores.documents import Document, DocumentStore

TEMPLATES = "content_templates"


@dataclass(frozen=True, slots=True)
class TemplateRecord:
    id: str
    name: str
    kind: str
    locale: str
    description: str
    body: str
    variables: tuple[str, ...]
    created_by: str
    created_at: datetime

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "name": self.name,
            "kind": self.kind,
            "locale": self.locale,
            "description": self.description,
            "body": self.body,
            "variables": list(self.variables),
            "createdBy": self.created_by,
            "createdAt": to_stored_time(self.created_at),
        }

    @classmethod
    def from_document(cls, document: Document) -> TemplateRecord:
        return cls(
            id=str(document["_id"]),
            name=str(document["name"]),
            kind=str(document["kind"]),
            locale=str(document["locale"]),
            description=str(document.get("description") or ""),
            body=str(document["body"]),
            variables=tuple(str(v) for v in document.get("variables") or ()),
            created_by=str(document["createdBy"]),
            created_at=from_stored_time(document["createdAt"]),
        )


class TemplateRepository:
    def __init__(self, documents: DocumentStore) -> None:
        self._documents = documents

    async def ensure_indexes(self) -> None:
        await self._documents.ensure_index(TEMPLATES, "kind")
        await self._documents.ensure_index(TEMPLATES, "name")

    async def by_ids(self, template_ids: Sequence[str]) -> list[TemplateRecord]:
        documents = await self._documents.find(TEMPLATES, {"_id": list(template_ids)})
        return [TemplateRecord.from_document(d) for d in documents]

    async def by_name(self, name: str) -> TemplateRecord | None:
        found = await self._documents.find(TEMPLATES, {"name": name}, limit=1)
        return TemplateRecord.from_document(found[0]) if found else None

    async def list(self, *, kind: str | None, limit: int) -> list[TemplateRecord]:
        where: dict[str, Any] = {} if kind is None else {"kind": kind}
        documents = await self._documents.find(TEMPLATES, where, sort=[("name", 1)], limit=limit)
        return [TemplateRecord.from_document(d) for d in documents]

    async def insert(self, template: TemplateRecord) -> None:
        await self._documents.insert(TEMPLATES, template.to_document())

    async def insert_missing(self, templates: Iterable[TemplateRecord]) -> int:
        return await self._documents.insert_many_missing(TEMPLATES, [t.to_document() for t in templates])

    async def count(self) -> int:
        return await self._documents.count(TEMPLATES)

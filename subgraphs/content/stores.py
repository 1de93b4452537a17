"""The content subgraph's stores: one document store (MongoDB, or SQLite JSON embedded)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kcp.stores.connect import open_document_store
from subgraphs.content.generation.repository import JobRepository
from subgraphs.content.items.repository import ContentRepository
from subgraphs.content.templates.repository import TemplateRepository

if TYPE_CHECKING:
    from kcp.settings import Settings
    from kcp.stores.documents import DocumentStore

SERVICE = "content"


@dataclass(frozen=True, slots=True)
class ContentStores:
    documents: DocumentStore

    @classmethod
    def open(cls, settings: Settings) -> ContentStores:
        return cls(documents=open_document_store(settings, SERVICE))

    async def ensure_schema(self) -> None:
        """Create the collections' indexes (idempotent)."""
        await ContentRepository(self.documents).ensure_indexes()
        await TemplateRepository(self.documents).ensure_indexes()
        await JobRepository(self.documents).ensure_indexes()

    async def close(self) -> None:
        await self.documents.close()

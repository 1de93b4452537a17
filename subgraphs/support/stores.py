"""The support subgraph's stores: a relational database (PostgreSQL, or SQLite embedded) for tickets
and a document store (MongoDB, or SQLite JSON embedded) for their conversation transcripts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kcp.migrations import Migrations
from kcp.stores.connect import open_document_store
from kcp.stores.relational import RelationalStore, open_relational_store
from subgraphs.support.tables import SupportBase
from subgraphs.support.tickets.legacy_messages import LegacyMessageMove
from subgraphs.support.tickets.transcripts import TranscriptRepository

if TYPE_CHECKING:
    from kcp.settings import Settings
    from kcp.stores.documents import DocumentStore

SERVICE = "support"
MIGRATIONS = Migrations(SERVICE, SupportBase.metadata, Path(__file__).parent / "migrations")


@dataclass(frozen=True, slots=True)
class SupportStores:
    relational: RelationalStore
    documents: DocumentStore
    legacy_messages: LegacyMessageMove

    @classmethod
    def open(cls, settings: Settings) -> SupportStores:
        relational = open_relational_store(settings, SERVICE, MIGRATIONS)
        documents = open_document_store(settings, SERVICE)
        return cls(relational=relational, documents=documents, legacy_messages=LegacyMessageMove(relational, documents))

    @property
    def transcripts(self) -> TranscriptRepository:
        return TranscriptRepository(self.documents)

    async def ensure_schema(self) -> None:
        """Apply the pending migrations (see kcp.migrations), create the transcripts' indexes and
        move any messages an older version left in the relational table (all idempotent)."""
        await self.relational.ensure_schema()
        await self.transcripts.ensure_indexes()
        await self.legacy_messages.attempt()

    async def close(self) -> None:
        try:
            await self.relational.close()
        finally:
            await self.documents.close()

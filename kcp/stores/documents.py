"""Document store: the subset of MongoDB's model the subgraphs use.

This module is the interface only. The implementations are ``kcp.stores.documents_sqlite``
(embedded: each collection as JSON rows in SQLite, so content items, revisions and ticket
transcripts behave the same with or without a MongoDB server) and ``kcp.stores.documents_mongo``;
``kcp.stores.connect.open_document_store`` picks one from the settings.
Filters are equality only (a list value means "any of"), which is all the services need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

Document = dict[str, Any]


class DuplicateDocumentError(Exception):
    """A document with this ``_id`` already exists in the collection."""


class DocumentStore(Protocol):
    """Documents keyed by ``_id`` in named collections."""

    async def ensure_index(self, collection: str, field: str, *then: str) -> None:
        """Index ``field`` (and after it each of ``then``: a compound index); idempotent."""
        ...

    async def insert(self, collection: str, document: Mapping[str, Any]) -> None: ...
    async def insert_many_missing(self, collection: str, documents: Sequence[Mapping[str, Any]]) -> int: ...
    async def get(self, collection: str, document_id: str) -> Document | None: ...
    async def find(
        self,
        collection: str,
        where: Mapping[str, Any] | None = None,
        *,
        sort: Sequence[tuple[str, int]] = (),
        limit: int | None = None,
        skip: int = 0,
    ) -> list[Document]: ...
    async def count(self, collection: str, where: Mapping[str, Any] | None = None) -> int: ...
    async def update(
        self,
        collection: str,
        document_id: str,
        changes: Mapping[str, Any],
        *,
        expect: Mapping[str, Any] | None = None,
    ) -> bool:
        """Set top-level ``changes`` on one document when every ``expect`` field equals its stored
        value (compare-and-set); True when the document was updated, False when it is missing or
        an expectation failed. ``_id`` cannot be changed."""
        ...

    async def ping(self) -> None: ...
    async def close(self) -> None: ...

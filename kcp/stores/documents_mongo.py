"""The document store on a MongoDB server (or a MongoDB wire-protocol server such as FerretDB).

PyMongo's own async API (``AsyncMongoClient``): Motor, its predecessor, is deprecated. Writes use
majority write concern, so an acknowledged insert survives the loss of the primary on a replica
set; on a single server it means "applied and journaled where the server journals".

The semantics are those of the embedded store (``kcp.stores.documents_sqlite``): equality filters where a
list value means "any of", ``None`` matches a missing or null field, sort/skip/limit, ``_id`` unique.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import structlog
from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, WriteConcern
from pymongo.errors import BulkWriteError, ConnectionFailure, DuplicateKeyError

from kcp.stores.documents import Document, DuplicateDocumentError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from pymongo.asynchronous.collection import AsyncCollection
    from pymongo.asynchronous.database import AsyncDatabase

    from kcp.settings import Settings

log = structlog.get_logger()

_DUPLICATE_KEY = 11000
# Striped locks that serialise this process's compare-and-set updates of one document; see update().
_UPDATE_LOCK_STRIPES = 64
# A readiness probe must answer while the server is down, not wait for PyMongo's 30 s default.
_SERVER_SELECTION_TIMEOUT_MS = 3000


def mongo_filter(where: Mapping[str, Any] | None) -> Document:
    """The embedded store's filter language as a MongoDB query: a list value means ``$in``."""
    query: Document = {}
    for field, value in (where or {}).items():
        if isinstance(value, (list, tuple, set, frozenset)):
            query[field] = {"$in": list(value)}
        else:
            query[field] = value
    return query


def mongo_client(uri: str, pool_size: int) -> AsyncMongoClient[Document]:
    """One client per process: it owns the connection pool (at most ``pool_size`` connections)."""
    return AsyncMongoClient(
        uri,
        maxPoolSize=pool_size,
        w="majority",
        serverSelectionTimeoutMS=_SERVER_SELECTION_TIMEOUT_MS,
        tz_aware=True,
    )


class MongoDocumentStore:
    """Each collection is a MongoDB collection, in the URI's database or else one per service."""

    def __init__(self, client: AsyncMongoClient[Document], database: str) -> None:
        self._client = client
        self._database: AsyncDatabase[Document] = client.get_database(
            database, write_concern=WriteConcern(w="majority")
        )
        self._update_locks = [asyncio.Lock() for _ in range(_UPDATE_LOCK_STRIPES)]
        # Indexes asked for while the server was unreachable; created once it answers again.
        self._pending_indexes: list[tuple[str, tuple[str, ...]]] = []
        self._index_lock = asyncio.Lock()

    @classmethod
    def open(cls, settings: Settings, service: str) -> MongoDocumentStore:
        """Connect lazily (PyMongo connects on first use); the database is the URI's or ``kcp_<service>``."""
        if not settings.mongodb_uri:
            msg = "MONGODB_URI is not set"
            raise ValueError(msg)
        client = mongo_client(settings.mongodb_uri, settings.pool_size)
        default = client.get_default_database(default=f"kcp_{service}")
        return cls(client, default.name)

    @property
    def database_name(self) -> str:
        return self._database.name

    def _collection(self, name: str) -> AsyncCollection[Document]:
        return self._database.get_collection(name)

    async def ensure_index(self, collection: str, field: str, *then: str) -> None:
        """Create the index now or, while the server is unreachable, as soon as it answers.

        Indexes are created at start-up; a server that is down then must not stop the service
        from starting (its ``/ready`` names the store instead, and it recovers without a restart).
        """
        fields = (field, *then)
        if fields == ("_id",):  # MongoDB always indexes _id, uniquely
            return
        if self._pending_indexes:  # the server was unreachable a moment ago: do not wait for it again
            self._pending_indexes.append((collection, fields))
            return
        try:
            await self._collection(collection).create_index([(f, ASCENDING) for f in fields])
        except ConnectionFailure as error:
            log.warning("documents.index_deferred", collection=collection, fields=fields, error=type(error).__name__)
            self._pending_indexes.append((collection, fields))

    async def _create_pending_indexes(self) -> None:
        if not self._pending_indexes:
            return
        async with self._index_lock:  # concurrent callers would otherwise pop the same entry twice
            while self._pending_indexes:
                collection, fields = self._pending_indexes[0]
                await self._collection(collection).create_index([(f, ASCENDING) for f in fields])
                self._pending_indexes.pop(0)
                log.info("documents.index_created", collection=collection, fields=fields)

    async def insert(self, collection: str, document: Mapping[str, Any]) -> None:
        await self._create_pending_indexes()
        try:
            # A copy: PyMongo writes a generated _id into the dict it is given.
            await self._collection(collection).insert_one(dict(document))
        except DuplicateKeyError as error:
            msg = f"{collection} already holds a document with _id {document['_id']!r}"
            raise DuplicateDocumentError(msg) from error

    async def insert_many_missing(self, collection: str, documents: Sequence[Mapping[str, Any]]) -> int:
        """Insert the documents whose ``_id`` is new; return how many were inserted."""
        if not documents:
            return 0
        try:
            result = await self._collection(collection).insert_many([dict(d) for d in documents], ordered=False)
        except BulkWriteError as error:
            details: Mapping[str, Any] = error.details
            if any(e.get("code") != _DUPLICATE_KEY for e in details.get("writeErrors", [])):
                raise
            if details.get("writeConcernErrors"):
                raise
            return int(details.get("nInserted", 0))
        return len(result.inserted_ids)

    async def get(self, collection: str, document_id: str) -> Document | None:
        return await self._collection(collection).find_one({"_id": document_id})

    async def find(
        self,
        collection: str,
        where: Mapping[str, Any] | None = None,
        *,
        sort: Sequence[tuple[str, int]] = (),
        limit: int | None = None,
        skip: int = 0,
    ) -> list[Document]:
        cursor = self._collection(collection).find(mongo_filter(where))
        if sort:
            cursor = cursor.sort([(field, DESCENDING if direction < 0 else ASCENDING) for field, direction in sort])
        if skip:
            cursor = cursor.skip(skip)
        if limit is not None:
            if limit <= 0:  # MongoDB reads limit 0 as "no limit"; the embedded store returns nothing
                return []
            cursor = cursor.limit(limit)
        return await cursor.to_list()

    async def count(self, collection: str, where: Mapping[str, Any] | None = None) -> int:
        return await self._collection(collection).count_documents(mongo_filter(where))

    async def update(
        self,
        collection: str,
        document_id: str,
        changes: Mapping[str, Any],
        *,
        expect: Mapping[str, Any] | None = None,
    ) -> bool:
        """Set top-level fields when the document exists and every ``expect`` field matches (compare-and-set).

        One ``update_one`` whose filter carries the expectations. On MongoDB the check and the write
        are one atomic operation on the document, so two writers expecting the same value cannot
        both win. FerretDB v1 is weaker: it reads the matching documents, applies the update in Go
        and writes them back by ``_id`` alone, so concurrent conditional updates all "match" (the
        contract suite measured 7 winners out of 10). Updates of one document are therefore also
        serialised inside this process; between processes FerretDB keeps that race.
        """
        if "_id" in changes:
            msg = "a document's _id cannot be changed"
            raise ValueError(msg)
        for field in (*changes, *(expect or {})):
            if "." in field:  # as in the embedded store: a dotted name would reach into a sub-document here
                msg = f"only top-level fields can be set or expected: {field!r}"
                raise ValueError(msg)
        query: Document = {"_id": document_id}
        for field, value in (expect or {}).items():
            query[field] = value
        lock = self._update_locks[hash((collection, document_id)) % _UPDATE_LOCK_STRIPES]
        async with lock:
            if not changes:
                return await self._collection(collection).count_documents(query, limit=1) == 1
            result = await self._collection(collection).update_one(query, {"$set": dict(changes)})
            return result.matched_count == 1

    async def ping(self) -> None:
        await self._client.admin.command("ping")
        await self._create_pending_indexes()

    async def close(self) -> None:
        await self._client.close()

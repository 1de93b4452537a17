"""Which document a request runs: its text, an automatic persisted query, or a trusted document.

Apollo's wire format for both kinds: ``extensions.persistedQuery = {version: 1, sha256Hash}``.
- A partner (API-key caller) runs only documents of its own manifest, by id; any free-form text
  or unknown id is refused (``PERSISTED_QUERY_NOT_IN_LIST``).
- Everybody else may send an id of any manifest, or use APQ: an unknown hash answers
  ``PersistedQueryNotFound`` (HTTP 200, so Apollo Client resends with the text), a hash sent with
  its text is verified and remembered. Free-form text is then allowed, logged or refused by
  ``FreeformMode``.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

import structlog

from kcp.errors import ErrorCode
from router.documents import document_hash
from router.errors import RouterError
from router.lru import CACHE_LOOKUPS

if TYPE_CHECKING:
    from collections.abc import Mapping

    from router.persisted.manifest import PersistedOperation

log = structlog.get_logger()

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
HASH_MISMATCH = "provided sha256Hash does not match the query"


class FreeformMode(StrEnum):
    ALLOW = "allow"  # free-form queries run
    LOG = "log"  # they run, and are logged so a team can see what is not yet persisted
    ENFORCE = "enforce"  # only documents of a manifest run


class ApqStore(Protocol):
    """Where automatic persisted queries are kept (in-process LRU, or Redis shared by replicas)."""

    async def get(self, key: str) -> str | None: ...
    async def put(self, key: str, query: str) -> None: ...


def requested_hash(extensions: Mapping[str, Any] | None) -> str | None:
    """The sha256 a request names in ``extensions.persistedQuery``, checked for shape."""
    if not extensions or "persistedQuery" not in extensions:
        return None
    persisted = extensions["persistedQuery"]
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        msg = "extensions.persistedQuery must be {version: 1, sha256Hash}"
        raise RouterError.of(msg, ErrorCode.PERSISTED_QUERY_BAD_REQUEST)
    value = persisted.get("sha256Hash")
    if not isinstance(value, str) or not SHA256_HEX.match(value):
        msg = "persistedQuery.sha256Hash must be 64 lowercase hex digits"
        raise RouterError.of(msg, ErrorCode.PERSISTED_QUERY_BAD_REQUEST)
    return value


class PersistedDocuments:
    """Resolves the text to run for one request."""

    def __init__(
        self,
        manifests: Mapping[str, Mapping[str, PersistedOperation]],
        apq: ApqStore,
        *,
        freeform: FreeformMode = FreeformMode.ALLOW,
    ) -> None:
        self._manifests = manifests
        self._any_manifest = {op_id: op for ops in manifests.values() for op_id, op in ops.items()}
        self._apq = apq
        self._freeform = freeform

    async def query_for(self, query: str | None, extensions: Mapping[str, Any] | None, *, partner: str | None) -> str:
        """The document text to run; ``partner`` is the partner's client name for API-key callers."""
        wanted = requested_hash(extensions)
        if partner is not None:
            return self._partner_query(partner, query, wanted)
        if wanted is None:
            if query is None:
                raise RouterError.of("the request has no query", ErrorCode.BAD_REQUEST)
            return self._freeform_query(query)
        listed = self._any_manifest.get(wanted)
        if listed is not None:
            return listed.body
        if query is None:
            stored = await self._apq.get(wanted)
            CACHE_LOOKUPS.labels("apq", "miss" if stored is None else "hit").inc()
            if stored is None:
                # Apollo's protocol: the client resends the hash with the text on this answer (a 200).
                raise RouterError.of("PersistedQueryNotFound", ErrorCode.PERSISTED_QUERY_NOT_FOUND)
            return stored
        if document_hash(query) != wanted:
            raise RouterError.of(HASH_MISMATCH, ErrorCode.PERSISTED_QUERY_HASH_MISMATCH)
        text = self._freeform_query(query)
        await self._apq.put(wanted, text)
        return text

    def _partner_query(self, partner: str, query: str | None, wanted: str | None) -> str:
        manifest = self._manifests.get(partner, {})
        key = wanted if wanted is not None else (document_hash(query) if query is not None else None)
        operation = None if key is None else manifest.get(key)
        if operation is None:
            msg = f"client {partner!r} may only run the documents of its manifest, by id; this one is not in it"
            raise RouterError.of(msg, ErrorCode.PERSISTED_QUERY_NOT_IN_LIST)
        if query is not None and document_hash(query) != operation.id:
            raise RouterError.of(HASH_MISMATCH, ErrorCode.PERSISTED_QUERY_HASH_MISMATCH)
        return operation.body

    def _freeform_query(self, query: str) -> str:
        if self._freeform is FreeformMode.ALLOW or document_hash(query) in self._any_manifest:
            return query
        if self._freeform is FreeformMode.LOG:
            log.info("router.freeform_query", document=document_hash(query))
            return query
        msg = "this router runs only persisted documents; send extensions.persistedQuery with a listed id"
        raise RouterError.of(msg, ErrorCode.PERSISTED_QUERY_NOT_IN_LIST)

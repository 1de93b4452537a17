"""Which text a request runs: APQ round trip, partners held to their manifest, free-form modes."""

from __future__ import annotations

import hashlib

import pytest

from router.errors import RouterError
from router.persisted.manifest import PersistedOperation
from router.persisted.resolve import FreeformMode, PersistedDocuments

LISTED = "query Card { product(id: 1) { name } }"
LISTED_ID = hashlib.sha256(LISTED.encode()).hexdigest()
FREEFORM = "{ product(id: 2) { name } }"
FREEFORM_ID = hashlib.sha256(FREEFORM.encode()).hexdigest()
MANIFESTS = {"partner-retailer": {LISTED_ID: PersistedOperation(id=LISTED_ID, name="Card", type="query", body=LISTED)}}


class MemoryApq:
    def __init__(self) -> None:
        self.entries: dict[str, str] = {}

    async def get(self, key: str) -> str | None:
        return self.entries.get(key)

    async def put(self, key: str, query: str) -> None:
        self.entries[key] = query


def persisted(hash_: str) -> dict[str, object]:
    return {"persistedQuery": {"version": 1, "sha256Hash": hash_}}


async def refusal(
    documents: PersistedDocuments, query: str | None, hash_: str | None, partner: str | None
) -> tuple[str, int]:
    with pytest.raises(RouterError) as refused:
        await documents.query_for(query, None if hash_ is None else persisted(hash_), partner=partner)
    return refused.value.errors[0]["extensions"]["code"], refused.value.status


@pytest.mark.asyncio
async def test_apq_round_trip() -> None:
    apq = MemoryApq()
    documents = PersistedDocuments(MANIFESTS, apq)
    assert await refusal(documents, None, FREEFORM_ID, None) == ("PERSISTED_QUERY_NOT_FOUND", 200)
    assert await documents.query_for(FREEFORM, persisted(FREEFORM_ID), partner=None) == FREEFORM
    assert await documents.query_for(None, persisted(FREEFORM_ID), partner=None) == FREEFORM
    assert await refusal(documents, FREEFORM, LISTED_ID.replace("a", "b", 1), None) == (
        "PERSISTED_QUERY_HASH_MISMATCH",
        400,
    )


@pytest.mark.asyncio
async def test_partners_run_only_their_manifest_by_id() -> None:
    documents = PersistedDocuments(MANIFESTS, MemoryApq())
    assert await documents.query_for(None, persisted(LISTED_ID), partner="partner-retailer") == LISTED
    assert await refusal(documents, FREEFORM, None, "partner-retailer") == ("PERSISTED_QUERY_NOT_IN_LIST", 400)
    assert await refusal(documents, None, FREEFORM_ID, "partner-retailer") == ("PERSISTED_QUERY_NOT_IN_LIST", 400)
    assert await refusal(documents, None, LISTED_ID, "another-partner") == ("PERSISTED_QUERY_NOT_IN_LIST", 400)


@pytest.mark.asyncio
async def test_freeform_modes() -> None:
    for mode in (FreeformMode.ALLOW, FreeformMode.LOG):
        assert await PersistedDocuments(MANIFESTS, MemoryApq(), freeform=mode).query_for(FREEFORM, None, partner=None)
    enforcing = PersistedDocuments(MANIFESTS, MemoryApq(), freeform=FreeformMode.ENFORCE)
    assert await refusal(enforcing, FREEFORM, None, None) == ("PERSISTED_QUERY_NOT_IN_LIST", 400)
    assert await enforcing.query_for(LISTED, None, partner=None) == LISTED  # listed text is fine
    assert await enforcing.query_for(None, persisted(LISTED_ID), partner=None) == LISTED


@pytest.mark.asyncio
@pytest.mark.parametrize("extensions", [{"persistedQuery": "x"}, persisted("ABC"), {"persistedQuery": {"version": 2}}])
async def test_malformed_persisted_query_extensions(extensions: dict[str, object]) -> None:
    with pytest.raises(RouterError) as refused:
        await PersistedDocuments(MANIFESTS, MemoryApq()).query_for(None, extensions, partner=None)
    assert refused.value.errors[0]["extensions"]["code"] == "PERSISTED_QUERY_BAD_REQUEST"

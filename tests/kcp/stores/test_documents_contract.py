"""One contract for every DocumentStore: the embedded SQLite store and MongoDB (or a wire-compatible server).

The MongoDB half runs when ``KCP_TEST_MONGODB_URI`` names a server (``scripts/services up mongo``
starts FerretDB); each test gets a database of its own, dropped afterwards (``tests/conftest.py``).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio

from kcp.stores.documents import DuplicateDocumentError
from kcp.stores.documents_sqlite import SqliteDocumentStore
from kcp.stores.engines import sqlite_engine

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from kcp.stores.documents import DocumentStore

ITEMS = "content_items"
REVISIONS = "content_revisions"


pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture(params=["embedded", "mongodb"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DocumentStore]:
    if request.param == "embedded":
        embedded = SqliteDocumentStore(sqlite_engine(tmp_path / "documents.sqlite3", 20))
        yield embedded
        await embedded.close()
        return
    from kcp.stores.documents_mongo import MongoDocumentStore, mongo_client  # noqa: PLC0415

    uri = request.getfixturevalue("mongodb_uri")
    client = mongo_client(uri, 20)
    mongo = MongoDocumentStore(client, client.get_default_database().name)
    try:
        yield mongo
    finally:
        await mongo.close()


def item(item_id: str, **fields: Any) -> dict[str, Any]:
    return {"_id": item_id, "productId": "p1", "status": "draft", "createdAt": "2026-01-01T00:00:00", **fields}


async def test_an_inserted_document_reads_back_whole(store: DocumentStore) -> None:
    document = {"_id": "c1", "title": "Liberty 4", "number": 3, "tags": ["anc", "ldac"], "meta": {"locale": "en"}}
    await store.insert(ITEMS, document)

    assert await store.get(ITEMS, "c1") == document


async def test_a_missing_document_is_none(store: DocumentStore) -> None:
    await store.insert(ITEMS, item("c1"))

    assert await store.get(ITEMS, "nope") is None
    assert await store.get("never_written", "c1") is None
    assert await store.find(ITEMS, {"productId": "unknown"}) == []
    assert await store.count("never_written") == 0


async def test_a_duplicate_id_is_refused_and_the_stored_document_kept(store: DocumentStore) -> None:
    await store.insert(ITEMS, item("c1", title="first"))

    with pytest.raises(DuplicateDocumentError, match="c1"):
        await store.insert(ITEMS, item("c1", title="second"))

    assert (await store.get(ITEMS, "c1") or {})["title"] == "first"
    assert await store.count(ITEMS) == 1


async def test_collections_are_separate(store: DocumentStore) -> None:
    await store.insert(ITEMS, item("same"))
    await store.insert(REVISIONS, {"_id": "same", "contentItemId": "same", "number": 1})

    assert await store.count(ITEMS) == 1
    assert await store.count(REVISIONS) == 1
    assert (await store.get(REVISIONS, "same") or {})["number"] == 1


async def test_insert_many_missing_adds_only_new_ids(store: DocumentStore) -> None:
    await store.insert(ITEMS, item("a", title="kept"))

    inserted = await store.insert_many_missing(ITEMS, [item("a", title="ignored"), item("b"), item("c")])

    assert inserted == 2
    assert await store.insert_many_missing(ITEMS, [item("b"), item("c")]) == 0
    assert await store.insert_many_missing(ITEMS, []) == 0
    assert (await store.get(ITEMS, "a") or {})["title"] == "kept"
    assert await store.count(ITEMS) == 3


async def test_equality_and_any_of_filters(store: DocumentStore) -> None:
    await store.insert_many_missing(
        ITEMS,
        [
            item("a", productId="p1", status="draft"),
            item("b", productId="p1", status="published"),
            item("c", productId="p2", status="published"),
            item("d", productId="p3", status="draft"),
        ],
    )
    ids = lambda documents: sorted(d["_id"] for d in documents)  # noqa: E731

    assert ids(await store.find(ITEMS, {"productId": "p1"})) == ["a", "b"]
    assert ids(await store.find(ITEMS, {"productId": "p1", "status": "published"})) == ["b"]
    assert ids(await store.find(ITEMS, {"productId": ["p2", "p3", "p9"]})) == ["c", "d"]
    assert ids(await store.find(ITEMS, {"_id": ["d", "a", "zz"]})) == ["a", "d"]
    assert await store.find(ITEMS, {"productId": []}) == []
    assert await store.count(ITEMS, {"status": "published"}) == 2
    assert await store.count(ITEMS, {"status": ["draft", "published"]}) == 4


async def test_none_matches_a_missing_field(store: DocumentStore) -> None:
    await store.insert(ITEMS, item("with", reviewer="ana"))
    await store.insert(ITEMS, item("without"))

    assert [d["_id"] for d in await store.find(ITEMS, {"reviewer": None})] == ["without"]


async def test_sort_on_several_keys_both_ways(store: DocumentStore) -> None:
    await store.insert_many_missing(
        REVISIONS,
        [
            {"_id": "x-r2", "contentItemId": "x", "number": 2},
            {"_id": "y-r1", "contentItemId": "y", "number": 1},
            {"_id": "x-r10", "contentItemId": "x", "number": 10},
            {"_id": "x-r1", "contentItemId": "x", "number": 1},
        ],
    )

    ascending = await store.find(REVISIONS, sort=[("contentItemId", 1), ("number", 1)])
    newest_first = await store.find(REVISIONS, {"contentItemId": "x"}, sort=[("number", -1)], limit=1)

    assert [d["_id"] for d in ascending] == ["x-r1", "x-r2", "x-r10", "y-r1"]  # numbers sort as numbers
    assert [d["_id"] for d in newest_first] == ["x-r10"]


async def test_pages_of_sort_skip_limit_cover_everything_once(store: DocumentStore) -> None:
    created = [item(f"c{n:02}", createdAt=f"2026-01-{n % 7 + 1:02}T00:00:00") for n in range(23)]
    await store.insert_many_missing(ITEMS, created)
    order = [("createdAt", -1), ("_id", -1)]

    pages = [await store.find(ITEMS, sort=order, skip=skip, limit=5) for skip in range(0, 25, 5)]

    expected = sorted(created, key=lambda d: (d["createdAt"], d["_id"]), reverse=True)
    assert [len(page) for page in pages] == [5, 5, 5, 5, 3]
    assert [d["_id"] for page in pages for d in page] == [d["_id"] for d in expected]
    assert await store.find(ITEMS, sort=order, skip=30, limit=5) == []
    assert await store.find(ITEMS, sort=order, limit=0) == []
    assert len(await store.find(ITEMS, sort=order, skip=20)) == 3


async def test_indexes_are_idempotent_and_change_no_answer(store: DocumentStore) -> None:
    await store.insert_many_missing(ITEMS, [item("a", productId="p1"), item("b", productId="p2")])
    for _ in range(2):
        await store.ensure_index(ITEMS, "productId")
        await store.ensure_index(ITEMS, "status")
        await store.ensure_index(REVISIONS, "contentItemId")
        await store.ensure_index(ITEMS, "productId", "createdAt")  # compound

    assert [d["_id"] for d in await store.find(ITEMS, {"productId": "p2"})] == ["b"]
    in_order = await store.find(ITEMS, {"productId": ["p1", "p2"]}, sort=[("productId", 1), ("createdAt", 1)])
    assert [d["_id"] for d in in_order] == ["a", "b"]


async def test_concurrent_inserts_all_land(store: DocumentStore) -> None:
    await asyncio.gather(*(store.insert(ITEMS, item(f"c{n}")) for n in range(40)))

    assert await store.count(ITEMS) == 40
    assert len(await store.find(ITEMS, {"_id": [f"c{n}" for n in range(40)]})) == 40


async def test_concurrent_writers_of_one_id_exactly_one_wins(store: DocumentStore) -> None:
    results = await asyncio.gather(
        *(store.insert(REVISIONS, {"_id": "x-r2", "writer": n}) for n in range(10)), return_exceptions=True
    )

    winners = [r for r in results if r is None]
    assert len(winners) == 1
    assert all(isinstance(r, DuplicateDocumentError) for r in results if r is not None)
    assert await store.count(REVISIONS) == 1


async def test_update_sets_fields_when_expectations_hold(store: DocumentStore) -> None:
    await store.insert(ITEMS, item("c1", status="draft", title="t"))

    assert await store.update(ITEMS, "c1", {"status": "in_review", "reviewer": "ana"}, expect={"status": "draft"})

    assert await store.get(ITEMS, "c1") == item("c1", status="in_review", title="t", reviewer="ana")


async def test_update_refuses_a_stale_expectation_and_a_missing_document(store: DocumentStore) -> None:
    await store.insert(ITEMS, item("c1", status="published"))

    assert not await store.update(ITEMS, "c1", {"status": "archived"}, expect={"status": "draft"})
    assert not await store.update(ITEMS, "missing", {"status": "archived"})
    assert (await store.get(ITEMS, "c1") or {})["status"] == "published"
    assert await store.count(ITEMS) == 1  # no upsert


async def test_update_without_expectations_is_a_plain_set(store: DocumentStore) -> None:
    await store.insert(ITEMS, item("c1", title="old"))

    assert await store.update(ITEMS, "c1", {"title": "new"})
    assert (await store.get(ITEMS, "c1") or {})["title"] == "new"


async def test_update_refuses_a_new_id_and_nested_fields(store: DocumentStore) -> None:
    await store.insert(ITEMS, item("c1"))

    with pytest.raises(ValueError, match="_id"):
        await store.update(ITEMS, "c1", {"_id": "c2"})
    with pytest.raises(ValueError, match="top-level"):
        await store.update(ITEMS, "c1", {"meta.locale": "de"})

    assert await store.get(ITEMS, "c1") == item("c1")


async def test_concurrent_compare_and_set_has_one_winner(store: DocumentStore) -> None:
    await store.insert(ITEMS, item("c1", status="draft"))

    results = await asyncio.gather(
        *(store.update(ITEMS, "c1", {"status": "in_review", "by": n}, expect={"status": "draft"}) for n in range(10))
    )

    assert results.count(True) == 1
    stored = await store.get(ITEMS, "c1") or {}
    assert stored["status"] == "in_review"
    assert stored["by"] == results.index(True)


async def test_ping_answers(store: DocumentStore) -> None:
    await store.ping()

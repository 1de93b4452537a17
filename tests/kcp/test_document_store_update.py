"""The document store's compare-and-set ``update`` (the embedded implementation)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest

from kcp.settings import Settings
from kcp.stores.connect import open_document_store

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.asyncio
async def test_update_sets_fields_only_when_expectations_hold(tmp_path: Path) -> None:
    store = open_document_store(Settings(kcp_data_dir=tmp_path), "docs")
    try:
        await store.insert("items", {"_id": "a", "status": "draft", "title": "T", "tags": ["x"]})
        assert await store.update("items", "a", {"status": "in_review", "by": "u1"}, expect={"status": "draft"})
        assert await store.get("items", "a") == {
            "_id": "a", "status": "in_review", "title": "T", "tags": ["x"], "by": "u1",
        }  # fmt: skip
        # The expectation no longer holds: nothing changes.
        assert not await store.update("items", "a", {"status": "approved"}, expect={"status": "draft"})
        assert (await store.get("items", "a") or {})["status"] == "in_review"
        # Without expectations it always sets; a missing document is never created.
        assert await store.update("items", "a", {"tags": ("y", "z")})
        assert (await store.get("items", "a") or {})["tags"] == ["y", "z"]
        assert not await store.update("items", "missing", {"status": "x"})
        assert await store.count("items") == 1
        # An expected field the document lacks is None.
        assert await store.update("items", "a", {"reviewer": "u2"}, expect={"reviewer": None})
        assert not await store.update("items", "a", {"reviewer": "u3"}, expect={"reviewer": None})
        # The indexed field stays queryable after an update.
        await store.ensure_index("items", "status")
        assert [d["_id"] for d in await store.find("items", {"status": "in_review"})] == ["a"]
    finally:
        await store.close()


@pytest.mark.asyncio
async def test_concurrent_compare_and_set_lets_exactly_one_win(tmp_path: Path) -> None:
    store = open_document_store(Settings(kcp_data_dir=tmp_path), "docs")
    try:
        await store.insert("items", {"_id": "a", "status": "draft"})
        outcomes = await asyncio.gather(
            *(store.update("items", "a", {"status": f"s{n}"}, expect={"status": "draft"}) for n in range(8))
        )
        assert outcomes.count(True) == 1
    finally:
        await store.close()


@pytest.mark.asyncio
async def test_update_refuses_to_change_the_id_or_nested_fields(tmp_path: Path) -> None:
    store = open_document_store(Settings(kcp_data_dir=tmp_path), "docs")
    try:
        await store.insert("items", {"_id": "a"})
        with pytest.raises(ValueError, match="_id"):
            await store.update("items", "a", {"_id": "b"})
        with pytest.raises(ValueError, match="top-level"):
            await store.update("items", "a", {"meta.x": 1})
    finally:
        await store.close()

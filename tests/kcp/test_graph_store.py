"""The embedded graph store: Cypher round trips, and a clear error when another process holds it."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from kcp.stores.graph import GraphStoreLockedError
from kcp.stores.graph_embedded import EmbeddedGraphStore

if TYPE_CHECKING:
    from pathlib import Path

HOLD_OPEN = """
import asyncio, sys
from kcp.stores.graph_embedded import EmbeddedGraphStore
async def main():
    store = EmbeddedGraphStore(sys.argv[1])
    await store.ping()
    print("open", flush=True)
    sys.stdin.readline()
asyncio.run(main())
"""


@pytest.mark.asyncio
async def test_runs_parameterised_cypher(tmp_path: Path) -> None:
    store = EmbeddedGraphStore(str(tmp_path / "graph.lbug"))
    try:
        await store.run("CREATE NODE TABLE Product(id STRING, PRIMARY KEY(id))")
        await store.run("UNWIND $ids AS id CREATE (:Product {id: id})", {"ids": ["b", "a"]})
        match = "MATCH (p:Product) WHERE p.id IN $ids RETURN p.id AS id ORDER BY id"
        rows = await store.run(match, {"ids": ["a", "b"]})
    finally:
        await store.close()
    assert rows == [{"id": "a"}, {"id": "b"}]


@pytest.mark.asyncio
async def test_a_graph_open_in_another_process_is_named(tmp_path: Path) -> None:
    path = str(tmp_path / "graph.lbug")
    holder = subprocess.Popen(  # noqa: ASYNC220 - a second process must hold the lock; it starts once
        [sys.executable, "-c", HOLD_OPEN, path], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "open"
        store = EmbeddedGraphStore(path)
        with pytest.raises(GraphStoreLockedError, match="open in another process"):
            await store.ping()
        await store.close()
    finally:
        holder.communicate("\n", timeout=30)

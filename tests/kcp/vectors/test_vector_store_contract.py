"""One contract, every vector store: usearch files (embedded), pgvector, Neo4j's vector index and Pinecone
(each skipped without its KCP_TEST_* server or key).

Pinecone has never run here: it cannot be reached from the machine this suite was written on.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from typing import TYPE_CHECKING

import numpy as np
import pytest
import pytest_asyncio
from neo4j import AsyncGraphDatabase
from pinecone import AsyncPinecone, NotFoundError

from kcp.embeddings import EmbeddingModel
from kcp.stores.engines import postgres_engine
from kcp.vectors.embedded import UsearchVectors
from kcp.vectors.neo4j import Neo4jVectors
from kcp.vectors.pgvector import PgVectorStore
from kcp.vectors.pinecone import PineconeVectors

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Sequence

    import numpy.typing as npt

    from kcp.vectors import VectorStore

MODEL = EmbeddingModel(name="test-model", dimension=8)
OTHER = EmbeddingModel(name="other-model", dimension=4)


def unit(*values: float, dimension: int = 8) -> np.ndarray:
    vector = np.zeros(dimension, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


class Settled:
    """A Pinecone store that waits after each write until reads see it.

    Pinecone is eventually consistent (a write shows in queries and counts after a delay, usually
    seconds); the contract reads straight after writing. ``KCP_TEST_PINECONE_SETTLE_SECONDS``
    (default 10) is a guess, never measured here.
    """

    def __init__(self, store: PineconeVectors) -> None:
        self._store = store
        self._settle = float(os.environ.get("KCP_TEST_PINECONE_SETTLE_SECONDS", "10"))

    async def open(self, model: EmbeddingModel) -> bool:
        reset = await self._store.open(model)
        await asyncio.sleep(self._settle)
        return reset

    async def upsert(self, keys: Sequence[int], vectors: npt.NDArray[np.float32]) -> None:
        await self._store.upsert(keys, vectors)
        await asyncio.sleep(self._settle)

    async def remove(self, keys: Sequence[int]) -> None:
        await self._store.remove(keys)
        await asyncio.sleep(self._settle)

    async def clear(self) -> None:
        await self._store.clear()
        await asyncio.sleep(self._settle)

    async def search(self, vector: npt.NDArray[np.float32], limit: int) -> list[tuple[int, float]]:
        return await self._store.search(vector, limit)

    async def count(self) -> int:
        return await self._store.count()

    async def close(self) -> None:
        await self._store.close()


@contextlib.asynccontextmanager
async def _pinecone(api_key: str) -> AsyncIterator[Callable[[], VectorStore]]:
    """Handles on a namespace of this test's own (the index outlives the test), deleted afterwards."""
    index = os.environ.get("KCP_TEST_PINECONE_INDEX", "kcp-test")
    namespace = f"test-{uuid.uuid4().hex[:12]}"
    stores: list[Settled] = []

    def make() -> VectorStore:
        store = PineconeVectors(
            api_key,
            namespace,
            index=index,
            cloud=os.environ.get("KCP_TEST_PINECONE_CLOUD", "aws"),
            region=os.environ.get("KCP_TEST_PINECONE_REGION", "us-east-1"),
        )
        stores.append(Settled(store))
        return stores[-1]

    try:
        yield make
    finally:
        for store in stores:
            await store.close()
        async with AsyncPinecone(api_key=api_key) as client:
            with contextlib.suppress(NotFoundError):
                async with await client.index(name=index) as handle:
                    await handle.delete_namespace(name=namespace)


@pytest_asyncio.fixture(params=["usearch", "pgvector", "neo4j", "pinecone"])
async def opener(request, tmp_path) -> AsyncIterator[Callable[[], VectorStore]]:
    """Makes a new handle on the same store each call (reopening is part of the contract)."""
    engines = []
    if request.param == "usearch":
        yield lambda: UsearchVectors(tmp_path / "vectors")
    elif request.param == "pinecone":
        async with _pinecone(request.getfixturevalue("pinecone_api_key")) as make_pinecone:
            yield make_pinecone
    elif request.param == "neo4j":
        server = request.getfixturevalue("neo4j_server")
        collection = f"test_{uuid.uuid4().hex[:12]}"  # its own label and index: other tests share the database
        drivers = []

        def make_neo4j() -> VectorStore:
            driver = AsyncGraphDatabase.driver(server["uri"], auth=(server["user"], server["password"]))
            drivers.append(driver)
            return Neo4jVectors(driver, collection)

        yield make_neo4j
        cleanup = drivers[-1] if drivers else None
        if cleanup is not None:
            await cleanup.execute_query(f"DROP INDEX kcp_vectors_{collection} IF EXISTS")
            await cleanup.execute_query(f"MATCH (n:KcpVector_{collection}) DETACH DELETE n")
            await cleanup.execute_query("MATCH (m:KcpVectorModel {collection: $c}) DELETE m", {"c": collection})
        for driver in drivers:
            await driver.close()
    else:
        url = request.getfixturevalue("postgres_url")

        def make() -> VectorStore:
            engine = postgres_engine(url, "knowledge", 2)
            engines.append(engine)
            return PgVectorStore(engine, schema="knowledge")

        yield make
    for engine in engines:
        await engine.dispose()


@pytest.mark.asyncio
async def test_nearest_first_with_cosine_similarity(opener) -> None:
    store = opener()
    assert await store.open(MODEL) is False
    await store.upsert([1, 2, 3], np.stack([unit(1), unit(1, 1), unit(0, 1)]))

    found = await store.search(unit(1, 0.1), 3)

    assert [key for key, _ in found] == [1, 2, 3]
    assert found[0][1] == pytest.approx(0.995, abs=0.01)
    assert found[2][1] == pytest.approx(0.0995, abs=0.01)
    assert await store.count() == 3


@pytest.mark.asyncio
async def test_upsert_replaces_and_remove_forgets(opener) -> None:
    store = opener()
    await store.open(MODEL)
    await store.upsert([1, 2], np.stack([unit(1), unit(0, 1)]))
    await store.upsert([1], np.stack([unit(0, 0, 1)]))
    await store.remove([2, 99])

    found = await store.search(unit(0, 0, 1), 5)

    assert found[0][0] == 1
    assert found[0][1] == pytest.approx(1.0, abs=0.01)
    assert await store.count() == 1


@pytest.mark.asyncio
async def test_vectors_persist_across_handles(opener) -> None:
    first = opener()
    await first.open(MODEL)
    await first.upsert([7], np.stack([unit(1, 2, 3)]))
    await first.close()

    again = opener()
    assert await again.open(MODEL) is False
    assert [key for key, _ in await again.search(unit(1, 2, 3), 1)] == [7]


@pytest.mark.asyncio
async def test_another_model_empties_the_store_instead_of_mixing_spaces(opener) -> None:
    first = opener()
    await first.open(MODEL)
    await first.upsert([1], np.stack([unit(1)]))
    await first.close()

    changed = opener()
    assert await changed.open(OTHER) is True
    assert await changed.count() == 0
    await changed.upsert([5], np.stack([unit(1, dimension=4)]))
    assert [key for key, _ in await changed.search(unit(1, dimension=4), 2)] == [5]


@pytest.mark.asyncio
async def test_empty_store_and_clear(opener) -> None:
    store = opener()
    await store.open(MODEL)
    assert await store.search(unit(1), 3) == []
    await store.upsert([1, 2], np.stack([unit(1), unit(0, 1)]))
    await store.clear()
    assert await store.count() == 0
    assert await store.search(unit(1), 3) == []

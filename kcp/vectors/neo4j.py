"""Vectors in Neo4j's native vector index (5.x): one node label per collection, cosine HNSW.

Used when the knowledge graph is Neo4j (``NEO4J_URI``), so passages and the records they cite
live in one server. Neo4j reports cosine scores as ``(1 + cos) / 2``; they are turned back into
cosine similarity, the contract's scale. Index options cannot be parameters, so the dimension
(an int) and the label (checked against a pattern) are written into the statement.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from neo4j.exceptions import Neo4jError, ServiceUnavailable

from kcp.embeddings import EmbeddingModel
from kcp.vectors import VectorStoreUnavailableError

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np
    import numpy.typing as npt
    from neo4j import AsyncDriver

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


class Neo4jVectors:
    def __init__(self, driver: AsyncDriver, collection: str = "knowledge", *, owns_driver: bool = False) -> None:
        if not _NAME.fullmatch(collection):
            raise ValueError("collection must be letters, digits and underscores")
        self._driver = driver
        self._collection = collection
        self._label = f"KcpVector_{collection}"
        self._index = f"kcp_vectors_{collection}"
        self._owns_driver = owns_driver

    async def _run(self, cypher: str, **parameters: Any) -> list[dict[str, Any]]:
        try:
            result = await self._driver.execute_query(cypher, parameters)
        except (Neo4jError, ServiceUnavailable, OSError) as error:
            raise VectorStoreUnavailableError(f"Neo4j vectors failed ({type(error).__name__})") from error
        return [record.data() for record in result.records]

    async def open(self, model: EmbeddingModel) -> bool:
        rows = await self._run(
            "MATCH (m:KcpVectorModel {collection: $c}) RETURN m.name AS name, m.dimension AS dimension",
            c=self._collection,
        )
        stored = EmbeddingModel(rows[0]["name"], int(rows[0]["dimension"])) if rows else None
        reset = stored is not None and stored != model
        if reset:
            await self._run(f"DROP INDEX {self._index} IF EXISTS")
            await self._run(f"MATCH (n:{self._label}) DETACH DELETE n")
        await self._run(
            "MERGE (m:KcpVectorModel {collection: $c}) SET m.name = $name, m.dimension = $dimension",
            c=self._collection,
            name=model.name,
            dimension=model.dimension,
        )
        await self._run(
            f"CREATE VECTOR INDEX {self._index} IF NOT EXISTS FOR (n:{self._label}) ON (n.embedding) "
            f"OPTIONS {{indexConfig: {{`vector.dimensions`: {int(model.dimension)}, "
            "`vector.similarity_function`: 'cosine'}}"
        )
        await self._run("CALL db.awaitIndexes(30)")
        return reset

    async def upsert(self, keys: Sequence[int], vectors: npt.NDArray[np.float32]) -> None:
        if not len(keys):
            return
        rows = [{"key": int(k), "embedding": [float(x) for x in v]} for k, v in zip(keys, vectors, strict=True)]
        await self._run(
            f"UNWIND $rows AS row MERGE (n:{self._label} {{key: row.key}}) "
            "WITH n, row CALL db.create.setNodeVectorProperty(n, 'embedding', row.embedding)",
            rows=rows,
        )

    async def remove(self, keys: Sequence[int]) -> None:
        if len(keys):
            await self._run(
                f"MATCH (n:{self._label}) WHERE n.key IN $keys DETACH DELETE n", keys=[int(k) for k in keys]
            )

    async def search(self, vector: npt.NDArray[np.float32], limit: int) -> list[tuple[int, float]]:
        rows = await self._run(
            "CALL db.index.vector.queryNodes($index, $limit, $vector) YIELD node, score "
            "RETURN node.key AS key, score ORDER BY score DESC",
            index=self._index,
            limit=limit,
            vector=[float(x) for x in vector],
        )
        return [(int(row["key"]), 2.0 * float(row["score"]) - 1.0) for row in rows]

    async def count(self) -> int:
        rows = await self._run(f"MATCH (n:{self._label}) RETURN count(n) AS n")
        return int(rows[0]["n"])

    async def clear(self) -> None:
        await self._run(f"MATCH (n:{self._label}) DETACH DELETE n")

    async def close(self) -> None:
        if self._owns_driver:
            await self._driver.close()

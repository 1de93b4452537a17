"""Nearest-neighbour search over embeddings behind one interface, each implementation contract-tested.

``UsearchVectors`` (embedded HNSW persisted under ``KCP_DATA_DIR``) is the default;
``PgVectorStore`` (an HNSW index of pgvector) when ``DATABASE_URL`` is PostgreSQL;
``Neo4jVectors`` (Neo4j's native vector index) when the graph is Neo4j (``NEO4J_URI``);
``PineconeVectors`` (Pinecone's official SDK) when ``PINECONE_API_KEY`` is set. A store holds
the vectors of one ``EmbeddingModel``: opened with another, it empties itself and says so, and the
caller re-indexes rather than comparing vectors of two spaces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np
    import numpy.typing as npt

    from kcp.embeddings import EmbeddingModel
    from kcp.settings import Settings
    from kcp.stores.relational import RelationalStore


class VectorStoreUnavailableError(RuntimeError):
    """The vector store cannot answer (server down, file unreadable); search falls back to keywords."""


class VectorStore(Protocol):
    async def open(self, model: EmbeddingModel) -> bool:
        """Ready the store for ``model``'s vectors; True when it held another model's and was emptied."""
        ...

    async def upsert(self, keys: Sequence[int], vectors: npt.NDArray[np.float32]) -> None:
        """Store (or replace) one unit-length vector per key."""
        ...

    async def remove(self, keys: Sequence[int]) -> None: ...

    async def search(self, vector: npt.NDArray[np.float32], limit: int) -> list[tuple[int, float]]:
        """The ``limit`` nearest keys by cosine similarity (1 is identical), most similar first."""
        ...

    async def count(self) -> int: ...

    async def clear(self) -> None: ...

    async def close(self) -> None: ...


def open_vector_store(settings: Settings, service: str, relational: RelationalStore) -> VectorStore:
    """Pinecone when its key is set (asked for by name, so it wins), else Neo4j's vector index when the
    graph is Neo4j (passages beside the records they cite), else pgvector beside the service's tables on
    PostgreSQL, else usearch files in the service's data folder."""
    if settings.pinecone_api_key is not None and settings.pinecone_api_key.get_secret_value():
        from kcp.vectors.pinecone import PineconeVectors  # noqa: PLC0415 - only with a Pinecone key

        return PineconeVectors(
            settings.pinecone_api_key.get_secret_value(),
            service,
            index=settings.pinecone_index,
            cloud=settings.pinecone_cloud,
            region=settings.pinecone_region,
        )
    if settings.neo4j_uri:
        from kcp.stores.graph_neo4j import open_driver  # noqa: PLC0415 - only with a Neo4j server
        from kcp.vectors.neo4j import Neo4jVectors  # noqa: PLC0415 - only with a Neo4j server

        # The graph store's timeouts: the driver's defaults (30 s) would hold a search past the
        # router's subgraph timeout while Neo4j is down.
        return Neo4jVectors(open_driver(settings), service, owns_driver=True)
    if relational.engine.dialect.name == "postgresql":
        from kcp.vectors.pgvector import PgVectorStore  # noqa: PLC0415 - only on PostgreSQL

        return PgVectorStore(relational.engine, schema=service)
    from kcp.vectors.embedded import UsearchVectors  # noqa: PLC0415 - native library loads when used

    return UsearchVectors(settings.service_data_dir(service) / "vectors")

"""Vectors in PostgreSQL with pgvector: one table per service schema, an HNSW index over cosine distance.

The embedded PostgreSQL of ``scripts/services`` carries pgvector 0.8.6. The extension lives in
``public``; each statement runs with the service's schema first and ``public`` second so the
``vector`` type and its ``<=>`` operator resolve. The table is the store's own (like the FTS5
table), outside the migrated models: its column type depends on the embedding model's dimension.
"""

from __future__ import annotations

import contextlib
import re
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from kcp.embeddings import EmbeddingModel
from kcp.vectors import VectorStoreUnavailableError

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Sequence

    import numpy as np
    import numpy.typing as npt
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

_NAME = re.compile(r"[a-z_][a-z0-9_]*")
EF_SEARCH = 80  # candidates the HNSW search keeps (pgvector's default is 40): at least the 80 we ask for


def _literal(vector: npt.NDArray[np.float32]) -> str:
    return "[" + ",".join(f"{float(x):.7g}" for x in vector) + "]"


class PgVectorStore:
    def __init__(self, engine: AsyncEngine, *, schema: str, table: str = "chunk_vectors") -> None:
        if not _NAME.fullmatch(schema) or not _NAME.fullmatch(table):
            raise ValueError("schema and table must be plain lower-case names")
        self._engine = engine
        self._schema = schema
        self._table = f"{schema}.{table}"
        self._meta = f"{schema}.{table}_model"
        self._model: EmbeddingModel | None = None

    @contextlib.asynccontextmanager
    async def _connection(self) -> AsyncIterator[AsyncConnection]:
        try:
            async with self._engine.begin() as connection:
                await connection.execute(text(f"SET LOCAL search_path = {self._schema}, public"))
                yield connection
        except (OperationalError, OSError, DBAPIError) as error:
            raise VectorStoreUnavailableError(f"pgvector failed ({type(error).__name__})") from error

    async def open(self, model: EmbeddingModel) -> bool:
        self._model = model
        async with self._connection() as c:
            await c.execute(text("CREATE EXTENSION IF NOT EXISTS vector SCHEMA public"))
            await c.execute(text(f"CREATE SCHEMA IF NOT EXISTS {self._schema}"))
            await c.execute(
                text(f"CREATE TABLE IF NOT EXISTS {self._meta} (name text NOT NULL, dimension int NOT NULL)")
            )
            row = (await c.execute(text(f"SELECT name, dimension FROM {self._meta}"))).first()  # noqa: S608 - names checked in __init__
            reset = row is not None and EmbeddingModel(name=row[0], dimension=int(row[1])) != model
            if reset:
                await c.execute(text(f"DROP TABLE IF EXISTS {self._table}"))
            if row is None or reset:
                await c.execute(text(f"DELETE FROM {self._meta}"))  # noqa: S608 - names checked in __init__
                await c.execute(
                    text(f"INSERT INTO {self._meta} (name, dimension) VALUES (:name, :dimension)"),  # noqa: S608 - names checked in __init__
                    {"name": model.name, "dimension": model.dimension},
                )
            await c.execute(
                text(
                    f"CREATE TABLE IF NOT EXISTS {self._table} "
                    f"(key bigint PRIMARY KEY, embedding vector({int(model.dimension)}) NOT NULL)"
                )
            )
            await c.execute(
                text(
                    f"CREATE INDEX IF NOT EXISTS {self._table.split('.')[1]}_hnsw ON {self._table} "
                    "USING hnsw (embedding vector_cosine_ops)"
                )
            )
        return reset

    async def upsert(self, keys: Sequence[int], vectors: npt.NDArray[np.float32]) -> None:
        if not len(keys):
            return
        rows = [{"key": int(key), "embedding": _literal(vector)} for key, vector in zip(keys, vectors, strict=True)]
        async with self._connection() as c:
            await c.execute(
                text(
                    f"INSERT INTO {self._table} (key, embedding) VALUES (:key, CAST(:embedding AS vector)) "  # noqa: S608 - names checked in __init__
                    "ON CONFLICT (key) DO UPDATE SET embedding = EXCLUDED.embedding"
                ),
                rows,
            )

    async def remove(self, keys: Sequence[int]) -> None:
        if not len(keys):
            return
        async with self._connection() as c:
            await c.execute(text(f"DELETE FROM {self._table} WHERE key = ANY(:keys)"), {"keys": [int(k) for k in keys]})  # noqa: S608 - names checked in __init__

    async def search(self, vector: npt.NDArray[np.float32], limit: int) -> list[tuple[int, float]]:
        async with self._connection() as c:
            await c.execute(text(f"SET LOCAL hnsw.ef_search = {EF_SEARCH}"))
            rows = await c.execute(
                text(
                    f"SELECT key, 1 - (embedding <=> CAST(:v AS vector)) FROM {self._table} "  # noqa: S608 - names checked in __init__
                    "ORDER BY embedding <=> CAST(:v AS vector) LIMIT :limit"
                ),
                {"v": _literal(vector), "limit": limit},
            )
            return [(int(key), float(similarity)) for key, similarity in rows.all()]

    async def count(self) -> int:
        async with self._connection() as c:
            return int((await c.execute(text(f"SELECT count(*) FROM {self._table}"))).scalar_one())  # noqa: S608 - names checked in __init__

    async def clear(self) -> None:
        async with self._connection() as c:
            await c.execute(text(f"DELETE FROM {self._table}"))  # noqa: S608 - names checked in __init__

    async def close(self) -> None:
        """The engine is the relational store's; it closes it."""

"""Vectors in Pinecone through its official SDK (``pinecone`` 10, the asyncio client), when
``PINECONE_API_KEY`` is set.

Never run against Pinecone: it cannot be reached from the machine this was written on, so the
contract suite (``tests/kcp/vectors``) runs it only with ``KCP_TEST_PINECONE_API_KEY``. The pure
functions below (ids, batches, the model record, results) are tested offline.

One serverless index (``PINECONE_INDEX`` on ``PINECONE_CLOUD``/``PINECONE_REGION``, cosine), created
at the model's dimension when missing; one namespace per service; a vector's id is its key in
decimal. The model a namespace's vectors belong to is a reserved record in it (``MODEL_ID``, its
metadata naming the model), left out of searches and counts. Opened with another model of the same
dimension, the namespace is emptied; of another dimension, the index is deleted and created anew
at the new one, since an index has one dimension and every service embeds with the same model. Only
an index KCP created (tagged ``OWNER_TAG``) is ever deleted: another one of that name, or one with
deletion protection on, leaves the store unavailable (search keeps to keywords) until it is fixed.

Pinecone is eventually consistent: a write shows in queries and in ``count`` (read from
``describe_index_stats``) after a delay, usually seconds. So ``count`` may lag ``upsert``: a
``kcp index`` run straight after another may find fewer vectors than passages embedded and
re-embed them all (``Indexer.index_all``), which costs time, not correctness.

Pinecone's limits: an upsert request carries at most 100 vectors and 2 MB, a delete 1,000 ids, a
query's ``top_k`` at most 10,000. Every call runs under a deadline (the SDK's own retries with
backoff would otherwise hold a search past the router's subgraph timeout), and every SDK or network
error becomes ``VectorStoreUnavailableError``, so search goes on with keywords.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
import structlog
from pinecone import AsyncPinecone, DenseVectorField, NotFoundError, PineconeError

from kcp.embeddings import EmbeddingModel
from kcp.vectors import VectorStoreUnavailableError

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence

    import numpy as np
    import numpy.typing as npt
    from pinecone import AsyncIndex, DescribeIndexStatsResponse, IndexModel

log = structlog.get_logger()
T = TypeVar("T")

METRIC = "cosine"  # Pinecone then scores with cosine similarity, the contract's scale
MODEL_ID = "kcp-model"  # not a decimal number, so never a passage's key
OWNER_TAG = ("created-by", "soundcore-kcp")  # on the indexes this store creates, and may delete
MAX_UPSERT_VECTORS = 100
MAX_UPSERT_BYTES = 2_000_000
MAX_DELETE_IDS = 1_000
MAX_TOP_K = 10_000
# JSON bytes per float as the SDK sends it: a float32 widened to float prints up to ~20 characters
# ("-0.012345678901234567,"); the rest is the id, the keys and the brackets of one vector.
BYTES_PER_VALUE, BYTES_PER_VECTOR = 24, 200
# A search must end (answer or VectorStoreUnavailableError) well inside the router's 10 s subgraph
# timeout, like the Neo4j store's 3 s retry budget; writes run in `kcp index` and may wait longer;
# opening may create an index, which Pinecone reports ready after tens of seconds.
READ_SECONDS, WRITE_SECONDS, OPEN_SECONDS = 5.0, 60.0, 300.0


def vector_id(key: int) -> str:
    return str(int(key))


def key_of(identifier: str) -> int | None:
    """The passage key a vector id stands for; None for the model record (or anything not ours)."""
    return int(identifier) if identifier.isdecimal() else None


def batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def upsert_batch_size(dimension: int) -> int:
    """Vectors per upsert request: 100, fewer when that many would pass 2 MB (1536 dimensions: 53)."""
    per_vector = dimension * BYTES_PER_VALUE + BYTES_PER_VECTOR
    return max(1, min(MAX_UPSERT_VECTORS, MAX_UPSERT_BYTES // per_vector))


def model_record(model: EmbeddingModel) -> dict[str, Any]:
    """The reserved record naming the namespace's model. Pinecone refuses an all-zero dense vector,
    so it points along the first axis (searches ask for one more and leave it out)."""
    values = [0.0] * model.dimension
    values[0] = 1.0
    return {"id": MODEL_ID, "values": values, "metadata": {"model": model.name, "dimension": model.dimension}}


def stored_model(metadata: Mapping[str, Any] | None) -> EmbeddingModel | None:
    """The model a namespace's record names; None when there is no (readable) record."""
    if not metadata or not isinstance(metadata.get("model"), str):
        return None
    try:
        return EmbeddingModel(name=metadata["model"], dimension=int(metadata["dimension"]))
    except (KeyError, TypeError, ValueError):
        return None


def nearest(matches: Iterable[tuple[str, float]], limit: int) -> list[tuple[int, float]]:
    """(key, cosine similarity) of a query's matches, in Pinecone's order (most similar first).

    A cosine index scores with cosine similarity itself, the contract's scale: no conversion.
    """
    found = [(key, float(score)) for identifier, score in matches if (key := key_of(identifier)) is not None]
    return found[:limit]


def index_shape(description: IndexModel) -> tuple[int, str] | None:
    """The dimension and metric of an index's one dense vector field (None for any other kind of index)."""
    dense = [field for field in description.schema.fields.values() if isinstance(field, DenseVectorField)]
    return (dense[0].dimension, dense[0].metric) if len(dense) == 1 else None


def created_by_kcp(description: IndexModel) -> bool:
    key, value = OWNER_TAG
    return (description.tags or {}).get(key) == value


def namespace_count(stats: DescribeIndexStatsResponse, namespace: str) -> int:
    """Vectors in ``namespace`` less the model record (counted once it is there)."""
    summary = stats.namespaces.get(namespace)
    return max(0, summary.vector_count - 1) if summary is not None else 0


class PineconeVectors:
    def __init__(  # noqa: PLR0913 - the key, the namespace and where the index lives
        self, api_key: str, namespace: str, *, index: str, cloud: str, region: str, host: str | None = None
    ) -> None:
        """``host``: the control plane's address (None: the SDK's, ``https://api.pinecone.io``)."""
        self._api_key = api_key
        self._host = host
        self._namespace = namespace
        self._index_name = index
        self._deployment = {"deployment_type": "managed", "cloud": cloud, "region": region}
        self._client: AsyncPinecone | None = None
        self._index: AsyncIndex | None = None
        self._model: EmbeddingModel | None = None

    @contextlib.asynccontextmanager
    async def _call(self, seconds: float) -> AsyncIterator[None]:
        try:
            async with asyncio.timeout(seconds):
                yield
        except (PineconeError, httpx.HTTPError, OSError, TimeoutError) as error:
            # TimeoutError: the deadline above, or the SDK's own (PineconeTimeoutError is one).
            raise VectorStoreUnavailableError(f"Pinecone failed ({type(error).__name__})") from error

    def _ready(self) -> tuple[AsyncIndex, EmbeddingModel]:
        if self._index is None or self._model is None:
            msg = "PineconeVectors used before open()"
            raise RuntimeError(msg)
        return self._index, self._model

    async def open(self, model: EmbeddingModel) -> bool:
        async with self._call(OPEN_SECONDS):
            if self._client is None:
                self._client = AsyncPinecone(api_key=self._api_key, host=self._host)
            await self._close_index()
            stored = await self._open_index(model)
            reset = False
            if stored is not None and stored != model:
                reset = True
                log.warning("vectors.model_changed", store="pinecone", stored=stored.name, model=model.name)
                await self._delete_all()
            if stored != model:
                await self._write_model(model)
            self._model = model
        return reset

    async def _open_index(self, model: EmbeddingModel) -> EmbeddingModel | None:
        """Connect to the index (created, or re-created at the model's dimension); the model stored before."""
        assert self._client is not None  # noqa: S101 - set by open() just before
        try:
            description = await self._client.indexes.describe(self._index_name)
        except NotFoundError:
            description = await self._create_index(model.dimension)
            self._index = await self._client.index(host=_host(description))
            return None
        self._index = await self._client.index(host=_host(description))
        stored = await self._read_model()
        if index_shape(description) != (model.dimension, METRIC):
            if not created_by_kcp(description):
                msg = f"Pinecone index {self._index_name!r} is not cosine over {model.dimension} dimensions"
                raise VectorStoreUnavailableError(msg)
            log.warning("vectors.index_recreated", store="pinecone", index=self._index_name, dimension=model.dimension)
            await self._close_index()
            await self._client.indexes.delete(self._index_name, timeout=int(OPEN_SECONDS))
            description = await self._create_index(model.dimension)
            self._index = await self._client.index(host=_host(description))
        return stored

    async def _create_index(self, dimension: int) -> IndexModel:
        assert self._client is not None  # noqa: S101 - set by open() just before
        # dimension=/metric= make an index of the vectors API (upsert/query by id and values); the
        # SDK's schema= would make a documents index, which refuses those calls.
        return await self._client.indexes.create(
            name=self._index_name,
            dimension=dimension,
            metric=METRIC,
            deployment=self._deployment,
            tags=dict([OWNER_TAG]),
            timeout=int(OPEN_SECONDS),
        )

    async def _read_model(self) -> EmbeddingModel | None:
        assert self._index is not None  # noqa: S101 - set just before
        fetched = await self._index.fetch(ids=[MODEL_ID], namespace=self._namespace)
        record = fetched.vectors.get(MODEL_ID)
        return stored_model(record.metadata) if record is not None else None

    async def _write_model(self, model: EmbeddingModel) -> None:
        assert self._index is not None  # noqa: S101 - set just before
        await self._index.upsert(vectors=[model_record(model)], namespace=self._namespace, show_progress=False)

    async def _delete_all(self) -> None:
        assert self._index is not None  # noqa: S101 - set just before
        # A namespace that was never written is "not found" to a delete: already empty.
        with contextlib.suppress(NotFoundError):
            await self._index.delete(delete_all=True, namespace=self._namespace)

    async def upsert(self, keys: Sequence[int], vectors: npt.NDArray[np.float32]) -> None:
        if not len(keys):
            return
        index, model = self._ready()
        records = [(vector_id(k), [float(x) for x in v]) for k, v in zip(keys, vectors, strict=True)]
        async with self._call(WRITE_SECONDS):
            # One request per batch, one after the other: the SDK's own batching reports a failed
            # batch in its result instead of raising, and a failure here must defer the indexing.
            for batch in batches(records, upsert_batch_size(model.dimension)):
                await index.upsert(vectors=batch, namespace=self._namespace, show_progress=False)

    async def remove(self, keys: Sequence[int]) -> None:
        if not len(keys):
            return
        index, _ = self._ready()
        ids = [vector_id(k) for k in keys]
        async with self._call(WRITE_SECONDS):
            for batch in batches(ids, MAX_DELETE_IDS):
                with contextlib.suppress(NotFoundError):  # see _delete_all
                    await index.delete(ids=list(batch), namespace=self._namespace)

    async def search(self, vector: npt.NDArray[np.float32], limit: int) -> list[tuple[int, float]]:
        index, _ = self._ready()
        if limit <= 0:
            return []
        async with self._call(READ_SECONDS):
            # One more than asked: the model record may be among the nearest.
            found = await index.query(
                top_k=min(limit + 1, MAX_TOP_K),
                vector=[float(x) for x in vector],
                namespace=self._namespace,
            )
        return nearest(((match.id, match.score) for match in found.matches), limit)

    async def count(self) -> int:
        index, _ = self._ready()
        async with self._call(READ_SECONDS):
            stats = await index.describe_index_stats()
        return namespace_count(stats, self._namespace)

    async def clear(self) -> None:
        _, model = self._ready()
        async with self._call(WRITE_SECONDS):
            await self._delete_all()
            await self._write_model(model)  # the namespace still holds this model's (no) vectors

    async def _close_index(self) -> None:
        if self._index is not None:
            index, self._index = self._index, None
            await index.close()

    async def close(self) -> None:
        """Release the data-plane and control-plane connections (each client holds its own pool)."""
        with contextlib.suppress(PineconeError, httpx.HTTPError, OSError):
            await self._close_index()
            if self._client is not None:
                client, self._client = self._client, None
                await client.close()


def _host(description: IndexModel) -> str:
    if not description.host:
        msg = f"Pinecone index {description.name!r} has no host yet"
        raise VectorStoreUnavailableError(msg)
    return description.host

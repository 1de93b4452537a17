"""What of the Pinecone store can be checked without Pinecone: ids, batches, the model record, results,
the choice of store, and that an unreachable Pinecone is "unavailable", not a crash.

Pinecone itself (tests/kcp/vectors/test_vector_store_contract.py) runs only with a key; it has
never run here.
"""

from __future__ import annotations

import socket

import numpy as np
import orjson
import pytest
from pinecone import (
    DenseVectorField,
    DescribeIndexStatsResponse,
    IndexModel,
    IndexSchema,
    IndexStatus,
    ManagedDeployment,
    SparseVectorField,
)
from pinecone.models.vectors.responses import NamespaceSummary

from kcp.embeddings import EmbeddingModel
from kcp.settings import Settings
from kcp.vectors import VectorStoreUnavailableError, open_vector_store
from kcp.vectors.pinecone import (
    MAX_DELETE_IDS,
    MAX_UPSERT_BYTES,
    MAX_UPSERT_VECTORS,
    MODEL_ID,
    OWNER_TAG,
    PineconeVectors,
    batches,
    created_by_kcp,
    index_shape,
    key_of,
    model_record,
    namespace_count,
    nearest,
    stored_model,
    upsert_batch_size,
    vector_id,
)

MODEL = EmbeddingModel(name="all-MiniLM-L6-v2", dimension=384)


def test_keys_are_decimal_ids_and_the_model_record_is_no_key() -> None:
    assert vector_id(42) == "42"
    assert key_of(vector_id(9_007_199_254_740_993)) == 9_007_199_254_740_993  # past a double's exact range
    assert key_of(MODEL_ID) is None
    assert key_of("-1") is None  # not ours: our keys are row ids


def test_batches_keep_order_and_cover_everything_once() -> None:
    ids = [vector_id(k) for k in range(2_501)]
    chunks = list(batches(ids, MAX_DELETE_IDS))
    assert [len(chunk) for chunk in chunks] == [1_000, 1_000, 501]
    assert [i for chunk in chunks for i in chunk] == ids
    assert list(batches([], 100)) == []


@pytest.mark.parametrize("dimension", [4, 384, 1536, 3072])
def test_an_upsert_batch_stays_under_pinecone_s_limits(dimension: int) -> None:
    """Measured as the SDK sends it (orjson), with the longest floats a float32 widens to."""
    size = upsert_batch_size(dimension)
    assert 1 <= size <= MAX_UPSERT_VECTORS
    rng = np.random.default_rng(7)
    vectors = -rng.random((size, dimension), dtype=np.float32) / 7  # negative, many digits each
    body = {
        "vectors": [{"id": vector_id(10**15 + i), "values": [float(x) for x in v]} for i, v in enumerate(vectors)],
        "namespace": "knowledge",
    }
    assert len(orjson.dumps(body)) < MAX_UPSERT_BYTES


def test_small_vectors_go_a_hundred_at_a_time() -> None:
    assert upsert_batch_size(384) == MAX_UPSERT_VECTORS
    assert upsert_batch_size(1536) < MAX_UPSERT_VECTORS


def test_the_model_record_names_the_model_and_is_a_valid_vector() -> None:
    record = model_record(MODEL)
    assert record["id"] == MODEL_ID
    assert len(record["values"]) == MODEL.dimension
    assert any(record["values"])  # Pinecone refuses an all-zero dense vector
    assert stored_model(record["metadata"]) == MODEL


@pytest.mark.parametrize(
    "metadata",
    [None, {}, {"model": "m"}, {"model": "m", "dimension": "many"}, {"model": 3, "dimension": 8}],
)
def test_an_unreadable_model_record_is_no_model(metadata: dict[str, object] | None) -> None:
    assert stored_model(metadata) is None


def test_results_leave_out_the_model_record_and_keep_pinecone_s_order() -> None:
    matches = [("7", 0.99), (MODEL_ID, 0.5), ("3", 0.25), ("12", -0.1)]
    assert nearest(matches, 2) == [(7, 0.99), (3, 0.25)]
    assert nearest(matches, 10) == [(7, 0.99), (3, 0.25), (12, -0.1)]  # cosine similarity, unchanged
    assert nearest([], 5) == []


def _index(fields: dict[str, DenseVectorField | SparseVectorField], tags: dict[str, str] | None = None) -> IndexModel:
    return IndexModel(
        name="soundcore-kcp",
        status=IndexStatus(ready=True, state="Ready"),
        schema=IndexSchema(fields=fields),
        deployment=ManagedDeployment(cloud="aws", region="us-east-1"),
        deletion_protection="disabled",
        host="https://soundcore-kcp-abc.svc.pinecone.io",
        tags=tags,
    )


def test_the_index_shape_is_its_one_dense_field_s() -> None:
    assert index_shape(_index({"_values": DenseVectorField(dimension=384, metric="cosine")})) == (384, "cosine")
    assert index_shape(_index({"_values": DenseVectorField(dimension=384, metric="dotproduct")})) != (384, "cosine")
    assert index_shape(_index({"_sparse_values": SparseVectorField()})) is None


def test_only_an_index_kcp_created_may_be_deleted() -> None:
    dense = {"_values": DenseVectorField(dimension=384, metric="cosine")}
    assert created_by_kcp(_index(dense, dict([OWNER_TAG])))
    assert not created_by_kcp(_index(dense))
    assert not created_by_kcp(_index(dense, {"team": "search"}))


def test_the_count_leaves_out_the_model_record() -> None:
    stats = DescribeIndexStatsResponse(
        namespaces={"knowledge": NamespaceSummary(vector_count=4), "other": NamespaceSummary(vector_count=9)}
    )
    assert namespace_count(stats, "knowledge") == 3
    assert namespace_count(stats, "support") == 0
    only_the_record = DescribeIndexStatsResponse(namespaces={"knowledge": NamespaceSummary(vector_count=1)})
    assert namespace_count(only_the_record, "knowledge") == 0


def test_pinecone_is_chosen_when_its_key_is_set(tmp_path) -> None:
    settings = Settings(pinecone_api_key="pcsk_test", neo4j_uri="bolt://127.0.0.1:1", kcp_data_dir=tmp_path)
    assert isinstance(open_vector_store(settings, "knowledge", relational=None), PineconeVectors)  # type: ignore[arg-type]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.asyncio
async def test_an_unreachable_pinecone_is_unavailable_not_an_error() -> None:
    """A refused connection (no server, not a fake one) must reach the caller as the error search
    degrades on."""
    store = PineconeVectors(
        "pcsk_test",
        "knowledge",
        index="soundcore-kcp",
        cloud="aws",
        region="us-east-1",
        host=f"http://127.0.0.1:{_closed_port()}",
    )
    with pytest.raises(VectorStoreUnavailableError):
        await store.open(MODEL)
    await store.close()

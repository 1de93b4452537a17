"""The embedded vector store: a usearch HNSW index in-process, saved to a file under ``KCP_DATA_DIR``.

Measured here (FACTS.md): 50,000 x 384 vectors added in ~26 s on a busy 2-core machine, 0.44 ms
per 10-nearest query, against ~19 ms for numpy brute force. Half-precision storage halves memory
at no measurable loss of recall for unit vectors. The index file is written after each change
(``index.usearch`` then ``model.json``, via a temporary file and a rename, so a crash leaves the
old index whole); a process that did not write it reloads it when its modification time moves,
which is how the running service sees what ``kcp index`` built.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import TYPE_CHECKING

import numpy as np
import structlog

from kcp.embeddings import EmbeddingModel
from kcp.vectors import VectorStoreUnavailableError

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    import numpy.typing as npt
    from usearch.index import Index

log = structlog.get_logger()
INDEX_FILE, MODEL_FILE = "index.usearch", "model.json"
# usearch's defaults but a wider search (96 candidates, not 64): a little time for recall; the
# bench measured 0.5 ms p50 per 80-nearest query at 50,000 passages on a loaded machine.
CONNECTIVITY, EXPANSION_ADD, EXPANSION_SEARCH = 16, 128, 96


def _load_onnxruntime_first() -> None:
    """Import onnxruntime before usearch: the other way round its import segfaults (onnxruntime 1.32,
    usearch 2.26, measured here), and the embedder imports it later in the same process."""
    with contextlib.suppress(ImportError):
        import onnxruntime  # noqa: F401, PLC0415 - imported for its side effect, see above


class UsearchVectors:
    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._index: Index | None = None
        self._model: EmbeddingModel | None = None
        self._loaded_mtime: float | None = None
        self._lock = asyncio.Lock()

    def _new_index(self, dimension: int) -> Index:
        _load_onnxruntime_first()
        from usearch.index import Index  # noqa: PLC0415 - native library loads when used

        return Index(
            ndim=dimension,
            metric="cos",
            dtype="f16",
            connectivity=CONNECTIVITY,
            expansion_add=EXPANSION_ADD,
            expansion_search=EXPANSION_SEARCH,
        )

    def _mtime(self) -> float | None:
        try:
            return (self._folder / INDEX_FILE).stat().st_mtime
        except FileNotFoundError:
            return None

    async def open(self, model: EmbeddingModel) -> bool:
        async with self._lock:
            self._folder.mkdir(parents=True, exist_ok=True)
            stored = self._stored_model()
            self._model = model
            if stored is not None and stored != model:
                log.warning("vectors.model_changed", stored=stored.name, model=model.name)
                self._index = self._new_index(model.dimension)
                await asyncio.to_thread(self._save)
                return True
            self._load()
            return False

    def _stored_model(self) -> EmbeddingModel | None:
        try:
            raw = json.loads((self._folder / MODEL_FILE).read_text(encoding="utf-8"))
            return EmbeddingModel(name=str(raw["name"]), dimension=int(raw["dimension"]))
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError) as error:
            raise VectorStoreUnavailableError(f"{MODEL_FILE} is unreadable") from error

    def _load(self) -> None:
        model = self._require_model()
        index = self._new_index(model.dimension)
        mtime = self._mtime()
        if mtime is not None:
            try:
                index.load(str(self._folder / INDEX_FILE))
            except (RuntimeError, ValueError) as error:
                raise VectorStoreUnavailableError(f"{INDEX_FILE} is unreadable") from error
        self._index, self._loaded_mtime = index, mtime

    def _require_model(self) -> EmbeddingModel:
        if self._model is None:
            raise VectorStoreUnavailableError("the vector store was not opened")
        return self._model

    def _current(self) -> Index:
        """The index, reloaded first when another process saved a newer one."""
        if self._index is None or self._mtime() != self._loaded_mtime:
            self._load()
        assert self._index is not None  # noqa: S101 - _load sets it or raises
        return self._index

    def _save(self) -> None:
        model = self._require_model()
        assert self._index is not None  # noqa: S101 - callers hold an index
        partial = self._folder / (INDEX_FILE + ".partial")
        self._index.save(str(partial))
        partial.replace(self._folder / INDEX_FILE)
        (self._folder / MODEL_FILE).write_text(
            json.dumps({"name": model.name, "dimension": model.dimension}), encoding="utf-8"
        )
        self._loaded_mtime = self._mtime()

    async def upsert(self, keys: Sequence[int], vectors: npt.NDArray[np.float32]) -> None:
        if not len(keys):
            return
        async with self._lock:
            index = self._current()
            wanted = np.asarray(keys, dtype=np.uint64)

            def write() -> None:
                for key in wanted:
                    if index.contains(int(key)):
                        index.remove(int(key))
                index.add(wanted, vectors, threads=1)
                self._save()

            await asyncio.to_thread(write)

    async def remove(self, keys: Sequence[int]) -> None:
        async with self._lock:
            index = self._current()

            def write() -> None:
                for key in keys:
                    if index.contains(key):
                        index.remove(key)
                self._save()

            await asyncio.to_thread(write)

    async def search(self, vector: npt.NDArray[np.float32], limit: int) -> list[tuple[int, float]]:
        index = self._current()
        if len(index) == 0:
            return []
        matches = index.search(vector, min(limit, len(index)))
        return [
            (int(key), 1.0 - float(distance)) for key, distance in zip(matches.keys, matches.distances, strict=True)
        ]

    async def count(self) -> int:
        return len(self._current())

    async def clear(self) -> None:
        async with self._lock:
            self._index = self._new_index(self._require_model().dimension)
            await asyncio.to_thread(self._save)

    async def close(self) -> None:
        self._index = None

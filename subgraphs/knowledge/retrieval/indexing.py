"""Keeping passages and their vectors in step with the published records.

``reindex_article`` runs after an article's create/edit/transition commits (its passages replaced,
or removed once it is no longer published); ``index_all`` (``kcp index``) brings everything up to
date and is idempotent: a record whose version is already indexed is left alone, a passage whose
vector was made by the current model is not embedded again. Vectors are written after the
relational rows: if the vector store fails, the passages wait with ``model = ""`` and the next
``index_all`` embeds them, while keyword search keeps working meanwhile.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import structlog

from kcp.embeddings import EmbedderUnavailableError
from kcp.vectors import VectorStoreUnavailableError
from subgraphs.knowledge.retrieval.chunking import (
    ARTICLE,
    KNOWN_ISSUE,
    SOLUTION,
    Passage,
    article_passages,
    known_issue_passages,
    solution_passages,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from kcp.embeddings import Embedder
    from kcp.vectors import VectorStore
    from subgraphs.knowledge.retrieval.repository import ChunkRepository
    from subgraphs.knowledge.tables import ArticleRow, ChunkRow

log = structlog.get_logger()
EMBED_BATCH = 128
PUBLISHED = "published"


@dataclass(frozen=True, slots=True)
class IndexReport:
    records_changed: int
    passages_embedded: int
    records_removed: int
    seconds: float
    model: str


class VectorIndex:
    """The embedder and the vector store of one process, opened for the embedder's model once."""

    def __init__(self, embedder: Embedder, store: VectorStore) -> None:
        self.embedder = embedder
        self.store = store
        self._opened = False
        self.reset_on_open = False

    async def ready(self) -> VectorStore:
        if not self._opened:
            self.reset_on_open = await self.store.open(self.embedder.model)
            self._opened = True
        return self.store

    async def close(self) -> None:
        await self.store.close()


class Indexer:
    def __init__(self, chunks: ChunkRepository, vectors: VectorIndex) -> None:
        self._chunks = chunks
        self._vectors = vectors

    async def reindex_article(self, row: ArticleRow) -> None:
        """Replace one article's passages (none once unpublished) and their vectors; failures only logged."""
        passages = article_passages(row) if row.status == PUBLISHED else []
        try:
            store = await self._vectors.ready()
            if not passages and not await self._chunks.chunks_of([row.id]):
                return  # a draft never published: nothing to (un)index
            if await store.count() == 0:
                # Never indexed (`kcp index` has not run): one article's vectors would make hybrid
                # search look ready over a corpus it cannot see; `kcp index` takes this one too.
                return
            old, _ = await self._chunks.replace_source(ARTICLE, row.id, passages)
            await store.remove(old)
            await self._embed_pending()
        except (EmbedderUnavailableError, VectorStoreUnavailableError) as error:
            log.warning("retrieval.reindex_deferred", article_id=row.id, error=str(error))

    async def index_all(self, progress: Callable[[int, int], None] | None = None) -> IndexReport:
        """Every published record's passages up to date, then every passage embedded by the current model."""
        started = time.perf_counter()
        store = await self._vectors.ready()
        model = self._vectors.embedder.model.name
        if self._vectors.reset_on_open:  # another model's vectors were dropped: every passage needs a new one
            await self._chunks.forget_vectors()
            self._vectors.reset_on_open = False
        elif await store.count() < await self._chunks.count_embedded(model):  # the vector files were lost
            await store.clear()
            await self._chunks.forget_vectors()
        indexed = await self._chunks.indexed_versions()
        wanted: dict[tuple[str, str], tuple[int, list[Passage]]] = {}
        for article in await self._chunks.published_articles():
            wanted[(ARTICLE, article.id)] = (article.version, article_passages(article))
        for solution in await self._chunks.solutions():
            wanted[(SOLUTION, solution.id)] = (1, solution_passages(solution))
        for issue in await self._chunks.known_issues():
            wanted[(KNOWN_ISSUE, issue.id)] = (1, known_issue_passages(issue))
        changed = removed = 0
        stale: list[int] = []
        for (kind, source_id), (version, passages) in wanted.items():
            if indexed.get((kind, source_id)) != version:
                old, _ = await self._chunks.replace_source(kind, source_id, passages)
                stale.extend(old)
                changed += 1
        for kind, source_id in indexed.keys() - wanted.keys():
            old, _ = await self._chunks.replace_source(kind, source_id, [])
            stale.extend(old)
            removed += 1
        await store.remove(stale)
        embedded = await self._embed_pending(progress)
        seconds = time.perf_counter() - started
        log.info("retrieval.indexed", changed=changed, removed=removed, embedded=embedded, seconds=round(seconds, 2))
        return IndexReport(changed, embedded, removed, seconds, model)

    async def _embed_pending(self, progress: Callable[[int, int], None] | None = None) -> int:
        store = await self._vectors.ready()
        embedder = self._vectors.embedder
        model = embedder.model.name
        total = await self._chunks.count_unembedded(model)
        done = 0
        while True:
            batch = await self._chunks.unembedded(model, EMBED_BATCH)
            if not batch:
                break
            vectors = await embedder.embed([_passage_of(row).embedding_text() for row in batch])
            keys = [row.key for row in batch]
            await store.upsert(keys, vectors)
            await self._chunks.mark_embedded(keys, model)
            done += len(batch)
            if progress is not None:
                progress(done, total)
        return done


def _passage_of(row: ChunkRow) -> Passage:
    return Passage(
        source_kind=row.source_kind,
        source_id=row.source_id,
        version=row.version,
        locale=row.locale,
        title=row.title,
        heading=row.heading,
        start=row.start,
        end=row.end,
        text=row.text,
    )

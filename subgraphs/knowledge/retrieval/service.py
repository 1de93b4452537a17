"""Hybrid retrieval: keyword and vector candidates fused by reciprocal rank, then boosted by the graph.

```
question ─▶ keyword candidates (FTS5 / tsvector, any word) ─┐
         └▶ vector candidates (nearest passages) ──────────┴▶ RRF ─▶ graph boost ─▶ ranked records
```

A passage of a known issue stands for the issue's solutions and the articles documenting them
(one or two hops in the graph). The graph boost favours records linked to a product the question
names (or ``productId``), at most three hops away (product → issue → solution → article). When the
embedder or the vector store fails, retrieval goes on with keywords only and says so
(``degraded``), so a search never fails because of the vector half.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

import structlog

from kcp.embeddings import EmbedderUnavailableError
from kcp.vectors import VectorStoreUnavailableError
from subgraphs.knowledge.retrieval.chunking import ARTICLE, KNOWN_ISSUE, SOLUTION
from subgraphs.knowledge.retrieval.fusion import boost, ordered, reciprocal_rank_fusion
from subgraphs.knowledge.search.highlights import excerpt, mark

if TYPE_CHECKING:
    from subgraphs.knowledge.relations.repository import RelationRepository
    from subgraphs.knowledge.retrieval.indexing import VectorIndex
    from subgraphs.knowledge.retrieval.repository import ChunkRepository, StoredPassage
    from subgraphs.knowledge.search.repository import Hit, SearchFilters, SearchRepository

log = structlog.get_logger()
KEYWORD_POOL = 50  # keyword candidates fused
VECTOR_POOL = 80  # nearest passages looked at (several passages often share one record)
# Below this cosine similarity a passage is not about the question (MiniLM puts unrelated
# support texts at 0.0-0.25 and paraphrases of the same problem at 0.45 and above).
MIN_SIMILARITY = 0.3
_WORD = re.compile(r"\w+", re.UNICODE)


class Mode(StrEnum):
    KEYWORD = "keyword"
    SEMANTIC = "semantic"
    HYBRID = "hybrid"


class Degraded(StrEnum):
    """Why a semantic or hybrid retrieval answered with keywords only (shown in ``extensions``)."""

    EMBEDDER_UNAVAILABLE = "EMBEDDER_UNAVAILABLE"
    VECTOR_STORE_UNAVAILABLE = "VECTOR_STORE_UNAVAILABLE"
    NOT_INDEXED = "NOT_INDEXED"


@dataclass(slots=True)
class Ranked:
    kind: str  # article | solution
    record_id: str
    score: float
    title_highlight: str = ""
    highlight: str = ""
    passages: list[tuple[StoredPassage, float]] = field(default_factory=list)  # (passage, similarity), best first


@dataclass(slots=True)
class Retrieval:
    ranked: list[Ranked]
    degraded: Degraded | None = None
    products: list[str] = field(default_factory=list)  # the products whose records were boosted


class Retriever:
    def __init__(
        self,
        search: SearchRepository,
        chunks: ChunkRepository,
        relations: RelationRepository,
        vectors: VectorIndex | None,
    ) -> None:
        self._search = search
        self._chunks = chunks
        self._relations = relations
        self._vectors = vectors

    async def vectors_ready(self) -> bool:
        """Whether vector candidates can be had at all (an index holding something, a store that answers)."""
        if self._vectors is None:
            return False
        try:
            return await (await self._vectors.ready()).count() > 0
        except VectorStoreUnavailableError:
            return False

    async def retrieve(  # noqa: PLR0913 - one retrieval's knobs
        self,
        terms: list[str],
        query: str,
        filters: SearchFilters,
        *,
        mode: Mode,
        graph: bool,
        product_id: str | None = None,
    ) -> Retrieval:
        """Records for ``query`` (``terms`` are its searchable words), best first, with their best passages.

        The three legs run at once: the query's embedding (onnxruntime, in a worker thread, ~10 ms
        at p50), the keyword candidates (SQLite or PostgreSQL) and the products the question names
        with what the graph links to them. Run one after the other they added up to most of a
        hybrid search's p95 (``bench/retrieval_profile.py``).
        """
        vector_leg = self._vector_leg(query, filters, graph=graph) if mode is not Mode.KEYWORD else _no_vectors()
        keyword_leg = self._keyword_hits(terms, filters) if mode is not Mode.SEMANTIC else _no_hits()
        graph_leg = self._boosted(query, product_id) if graph else _no_boost()
        (vector_ranked, passages, degraded), keyword_hits, (products, linked) = await asyncio.gather(
            vector_leg, keyword_leg, graph_leg
        )
        if degraded is not None:
            log.warning("retrieval.degraded", reason=str(degraded))
            if mode is Mode.SEMANTIC:  # keyword candidates stand in for the missing vectors
                keyword_hits = await self._keyword_hits(terms, filters)
        keyword_ranked = [(hit.kind, hit.record_id) for hit in keyword_hits]
        scores = reciprocal_rank_fusion([ranking for ranking in (keyword_ranked, vector_ranked) if ranking])
        if products:
            scores = boost(scores, linked)
        return Retrieval(_ranked(scores, keyword_hits, passages, terms), degraded, products)

    async def _keyword_hits(self, terms: list[str], filters: SearchFilters) -> list[Hit]:
        hits, _ = await self._search.search(terms, filters, offset=0, limit=KEYWORD_POOL, any_term=True)
        return hits

    async def _vector_leg(self, query: str, filters: SearchFilters, *, graph: bool) -> _VectorLeg:
        """The vector candidates, or why there are none (the search goes on with keywords)."""
        try:
            ranking, passages = await self._vector_candidates(query, filters, graph=graph)
        except EmbedderUnavailableError:
            return [], {}, Degraded.EMBEDDER_UNAVAILABLE
        except VectorStoreUnavailableError:
            return [], {}, Degraded.VECTOR_STORE_UNAVAILABLE
        except _NotIndexedError:
            return [], {}, Degraded.NOT_INDEXED
        return ranking, passages, None

    async def _vector_candidates(
        self, query: str, filters: SearchFilters, *, graph: bool
    ) -> tuple[list[tuple[str, str]], dict[tuple[str, str], list[tuple[StoredPassage, float]]]]:
        if self._vectors is None:
            raise EmbedderUnavailableError("no vector index configured")
        store = await self._vectors.ready()
        vector = (await self._vectors.embedder.embed([query]))[0]
        nearest = await store.search(vector, VECTOR_POOL)
        if not nearest:
            raise _NotIndexedError
        similar = [(key, similarity) for key, similarity in nearest if similarity >= MIN_SIMILARITY]
        rows = await self._chunks.chunks([key for key, _ in similar])
        best: dict[tuple[str, str], list[tuple[StoredPassage, float]]] = {}
        issues: dict[str, tuple[StoredPassage, float]] = {}
        for key, similarity in similar:
            row = rows.get(key)
            if row is None:  # removed since the vector was found: the record changed
                continue
            if row.source_kind == KNOWN_ISSUE:
                issues.setdefault(row.source_id, (row, similarity))
                continue
            best.setdefault((row.source_kind, row.source_id), []).append((row, similarity))
        if graph and issues:
            await self._expand_issues(issues, best)
        allowed = await self._search.allowed([record_id for _, record_id in best], filters)
        kept = {key: found for key, found in best.items() if key[1] in allowed}
        ranking = sorted(kept, key=lambda key: (-kept[key][0][1], key))
        return ranking, kept

    async def _expand_issues(
        self,
        issues: dict[str, tuple[StoredPassage, float]],
        best: dict[tuple[str, str], list[tuple[StoredPassage, float]]],
    ) -> None:
        """A known issue's passage stands for its solutions and their articles, a little behind direct matches.

        A known issue is one passage (``chunking.known_issue_passages``), so the passage the
        vector search found is the issue's passage: it is not read again.
        """
        resolutions = await self._relations.resolutions(list(issues))
        for issue_id, (row, similarity) in issues.items():
            for solution_id, article_ids in resolutions.get(issue_id, []):
                targets = [(SOLUTION, solution_id), *((ARTICLE, aid) for aid in article_ids)]
                for target in targets:
                    if target not in best:
                        best[target] = [(row, similarity * 0.95)]

    async def _boosted(self, query: str, product_id: str | None) -> tuple[list[str], set[tuple[str, str]]]:
        """The products the question is about and the records the graph links to them."""
        products = await self._products_of(query, product_id)
        if not products:
            return [], set()
        solutions, articles = await self._relations.linked_to_products(products)
        return products, {(SOLUTION, sid) for sid in solutions} | {(ARTICLE, aid) for aid in articles}

    async def _products_of(self, query: str, product_id: str | None) -> list[str]:
        """``product_id`` and the products the question names (longest names first, each span once)."""
        found = [] if product_id is None else [product_id]
        lowered = f" {' '.join(_WORD.findall(query.lower()))} "
        for pid, name in sorted(await self._chunks.product_names(), key=lambda p: -len(p[1])):
            spelled = f" {' '.join(_WORD.findall(name.lower()))} "
            if spelled.strip() and spelled in lowered:
                found.append(pid)
                lowered = lowered.replace(spelled, " ")
        return list(dict.fromkeys(found))


_VectorLeg = tuple[list[tuple[str, str]], dict[tuple[str, str], list[tuple["StoredPassage", float]]], Degraded | None]


async def _no_vectors() -> _VectorLeg:
    return [], {}, None


async def _no_hits() -> list[Hit]:
    return []


async def _no_boost() -> tuple[list[str], set[tuple[str, str]]]:
    return [], set()


def _ranked(
    scores: dict[tuple[str, str], float],
    keyword_hits: list[Hit],
    passages: dict[tuple[str, str], list[tuple[StoredPassage, float]]],
    terms: list[str],
) -> list[Ranked]:
    """The fused records best first, highlighted by the keyword hit or else by the best passage."""
    by_key = {(hit.kind, hit.record_id): hit for hit in keyword_hits}
    term_set = {term.lower() for term in terms}
    ranked: list[Ranked] = []
    for key in ordered(scores):
        kind, record_id = key
        entry = Ranked(kind, record_id, scores[key], passages=passages.get(key, []))
        hit = by_key.get(key)
        if hit is not None:
            entry.title_highlight, entry.highlight = hit.title_highlight, hit.highlight
        elif entry.passages:
            best = entry.passages[0][0]
            entry.title_highlight = mark(best.title, term_set)
            entry.highlight = excerpt(best.text, term_set)
        ranked.append(entry)
    return ranked


class _NotIndexedError(Exception):
    """The vector store holds nothing yet (``kcp index`` has not run)."""

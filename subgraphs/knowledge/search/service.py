"""Search over published articles and solutions: query parsing, modes, paging, the search event.

``KEYWORD`` is full-text search needing every word; ``SEMANTIC`` and ``HYBRID`` go through the
``Retriever`` (vectors, fused with keywords for ``HYBRID``, boosted by the graph). A hybrid search
without vectors (none indexed yet, embedder or store down) answers as ``KEYWORD`` and says why.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from kcp.pagination import Window
from subgraphs.knowledge.relations.repository import Traversal
from subgraphs.knowledge.retrieval.service import Degraded, Mode
from subgraphs.knowledge.search.errors import MAX_QUERY_LENGTH, InvalidSearchQueryError
from subgraphs.knowledge.search.events import SEARCH
from subgraphs.knowledge.search.repository import SOLUTION, Hit, SearchFilters

if TYPE_CHECKING:
    from subgraphs.knowledge.relations.repository import RelationRepository
    from subgraphs.knowledge.retrieval.service import Retriever
    from subgraphs.knowledge.search.events import EventSink
    from subgraphs.knowledge.search.repository import SearchRepository

MAX_TERMS = 12  # more words rarely help ranking and each one costs a posting-list scan
SUGGESTION_TERMS = 24  # a ticket's subject and description give more words to rank by
_WORD = re.compile(r"\w+", re.UNICODE)
# Words too common to say what a ticket is about; without them "any word matches" would match everything.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "i",
        "if",
        "in",
        "is",
        "it",
        "its",
        "my",
        "me",
        "no",
        "not",
        "of",
        "on",
        "or",
        "so",
        "that",
        "the",
        "this",
        "to",
        "was",
        "we",
        "when",
        "will",
        "with",
        "you",
        "your",
        "after",
        "again",
        "all",
        "am",
        "any",
        "been",
        "did",
        "get",
        "got",
        "how",
        "just",
        "now",
        "only",
        "out",
        "still",
        "then",
        "there",
        "they",
        "tried",
        "what",
        "why",
    ]
)


def words(query: str, limit: int) -> list[str]:
    return list(dict.fromkeys(word.lower() for word in _WORD.findall(query)))[:limit]


def telling_words(query: str, limit: int) -> list[str]:
    """The words that say what a question is about (all of them when every word is a stop word)."""
    every = words(query, limit * 2)
    telling = [word for word in every if word not in STOP_WORDS]
    return (telling or every)[:limit]


class SearchService:
    def __init__(
        self,
        repository: SearchRepository,
        relations: RelationRepository,
        events: EventSink,
        retriever: Retriever | None = None,
        *,
        graph: bool = True,
    ) -> None:
        self._repository = repository
        self._relations = relations
        self._events = events
        self._retriever = retriever
        self._graph = graph

    async def search(  # noqa: PLR0913 - one search's knobs
        self,
        query: str,
        filters: SearchFilters,
        *,
        first: int,
        after: str | None,
        product_id: str | None = None,
        mode: Mode = Mode.KEYWORD,
    ) -> tuple[list[Hit], int, Window, Degraded | None]:
        """A page of hits for ``query`` (punctuation ignored), why it fell back to keywords if it did;
        records a search event.

        With ``product_id``, only the product's solutions and the articles documenting them.
        """
        window = Window.of(first, after)
        if len(query) > MAX_QUERY_LENGTH:
            raise InvalidSearchQueryError.too_long(len(query))
        terms = words(query, MAX_TERMS)
        if not terms:
            raise InvalidSearchQueryError.empty()
        if product_id is not None:
            linked = await asyncio.gather(
                self._relations.related(Traversal.SOLUTIONS_OF_PRODUCT, [product_id]),
                self._relations.related(Traversal.ARTICLES_OF_PRODUCT, [product_id]),
            )
            filters = replace(filters, among=tuple(i for found in linked for i in found.get(product_id, [])))
        degraded: Degraded | None = None
        hits: list[Hit] | None = None
        total = 0
        if mode is not Mode.KEYWORD and self._retriever is not None:
            retrieval = await self._retriever.retrieve(
                telling_words(query, MAX_TERMS), query, filters, mode=mode, graph=self._graph, product_id=product_id
            )
            degraded = retrieval.degraded
            if degraded is None or mode is Mode.SEMANTIC:
                found = [Hit(r.record_id, r.kind, r.score, r.title_highlight, r.highlight) for r in retrieval.ranked]
                total = len(found)
                hits = found[window.offset : window.offset + window.limit + 1]
        if hits is None:
            hits, total = await self._repository.search(terms, filters, offset=window.offset, limit=window.limit + 1)
        if window.offset == 0:  # a page turn is the same search, not a new one
            fields: dict[str, object] = {"query": query.strip(), "resultCount": total}
            if product_id is not None:
                fields["productId"] = product_id
            self._events.emit(SEARCH, **fields)
        return hits, total, window, degraded

    async def suggestions(self, texts: list[str], *, limit: int) -> list[list[tuple[str, float]]]:
        """For each text, the solutions that share most words with it, best first."""
        matches = [
            [word for word in words(text, SUGGESTION_TERMS * 2) if word not in STOP_WORDS][:SUGGESTION_TERMS]
            for text in texts
        ]
        ranked: list[list[tuple[str, float]]] = [[] for _ in texts]
        if self._retriever is not None:
            retrieved = await self._suggest_hybrid(texts, limit)
            if retrieved is not None:
                return retrieved
        searchable = [index for index, match in enumerate(matches) if match]
        if searchable:
            found = await self._repository.rank([matches[i] for i in searchable], kind="solution", limit=limit)
            for index, hits in zip(searchable, found, strict=True):
                ranked[index] = hits
        return ranked

    async def _suggest_hybrid(self, texts: list[str], limit: int) -> list[list[tuple[str, float]]] | None:
        """Each ticket text's solutions by hybrid retrieval; None when vectors are unavailable."""
        assert self._retriever is not None  # noqa: S101 - the caller checked
        if not await self._retriever.vectors_ready():  # the batched keyword ranking below, one statement
            return None
        only_solutions = SearchFilters(kinds=(SOLUTION,))
        ranked: list[list[tuple[str, float]]] = []
        for text in texts:
            terms = telling_words(text, SUGGESTION_TERMS)
            if not terms:
                ranked.append([])
                continue
            retrieval = await self._retriever.retrieve(
                terms, text[:2000], only_solutions, mode=Mode.HYBRID, graph=self._graph
            )
            if retrieval.degraded is not None:
                return None
            ranked.append([(r.record_id, r.score) for r in retrieval.ranked if r.kind == SOLUTION][:limit])
        return ranked

"""Search over published articles and solutions: query parsing, paging, the search event."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from kcp.pagination import Window
from subgraphs.knowledge.relations.repository import Traversal
from subgraphs.knowledge.search.errors import MAX_QUERY_LENGTH, InvalidSearchQueryError
from subgraphs.knowledge.search.events import SEARCH

if TYPE_CHECKING:
    from subgraphs.knowledge.relations.repository import RelationRepository
    from subgraphs.knowledge.search.events import EventSink
    from subgraphs.knowledge.search.repository import Hit, SearchFilters, SearchRepository

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


class SearchService:
    def __init__(self, repository: SearchRepository, relations: RelationRepository, events: EventSink) -> None:
        self._repository = repository
        self._relations = relations
        self._events = events

    async def search(
        self, query: str, filters: SearchFilters, *, first: int, after: str | None, product_id: str | None = None
    ) -> tuple[list[Hit], int, Window]:
        """A page of hits for the words of ``query`` (punctuation ignored); records a search event.

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
        hits, total = await self._repository.search(terms, filters, offset=window.offset, limit=window.limit + 1)
        if window.offset == 0:  # a page turn is the same search, not a new one
            fields: dict[str, object] = {"query": query.strip(), "resultCount": total}
            if product_id is not None:
                fields["productId"] = product_id
            self._events.emit(SEARCH, **fields)
        return hits, total, window

    async def suggestions(self, texts: list[str], *, limit: int) -> list[list[tuple[str, float]]]:
        """For each text, the solutions that share most words with it, best first."""
        matches = [
            [word for word in words(text, SUGGESTION_TERMS * 2) if word not in STOP_WORDS][:SUGGESTION_TERMS]
            for text in texts
        ]
        ranked: list[list[tuple[str, float]]] = [[] for _ in texts]
        searchable = [index for index, match in enumerate(matches) if match]
        if searchable:
            found = await self._repository.rank([matches[i] for i in searchable], kind="solution", limit=limit)
            for index, hits in zip(searchable, found, strict=True):
                ranked[index] = hits
        return ranked

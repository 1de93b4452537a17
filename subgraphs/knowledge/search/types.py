"""GraphQL types of search results."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from subgraphs.knowledge.articles.types import Article
from subgraphs.knowledge.search.repository import ARTICLE, SOLUTION
from subgraphs.knowledge.troubleshooting.types import Solution


@strawberry.enum
class SearchResultKind(Enum):
    ARTICLE = ARTICLE
    SOLUTION = SOLUTION


SearchResult = Annotated[Article | Solution, strawberry.union("SearchResult")]


@strawberry.type(description="One search result: the record, its relevance and the matched words in context.")
class SearchHit:
    result: SearchResult
    score: float = strawberry.field(description="Relevance (BM25); higher is better, comparable within one search.")
    title_highlight: str = strawberry.field(description="The title with matched words in `<mark>` … `</mark>`.")
    highlight: str = strawberry.field(
        description="A short passage of the body (or a solution's steps) around the matches, marked the same way."
    )

"""GraphQL types of search results."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from subgraphs.knowledge.articles.types import Article
from subgraphs.knowledge.retrieval.service import Mode
from subgraphs.knowledge.search.repository import ARTICLE, SOLUTION
from subgraphs.knowledge.troubleshooting.types import Solution


@strawberry.enum
class SearchResultKind(Enum):
    ARTICLE = ARTICLE
    SOLUTION = SOLUTION


@strawberry.enum(description="How `search` finds records.")
class SearchMode(Enum):
    KEYWORD = strawberry.enum_value(Mode.KEYWORD.value, description="Every word of the query (as a prefix), BM25.")
    SEMANTIC = strawberry.enum_value(Mode.SEMANTIC.value, description="Nearest passages by meaning (embeddings).")
    HYBRID = strawberry.enum_value(
        Mode.HYBRID.value,
        description="Keyword and semantic candidates fused by reciprocal rank, boosted by the knowledge graph.",
    )


SearchResult = Annotated[Article | Solution, strawberry.union("SearchResult")]


@strawberry.type(description="One search result: the record, its relevance and the matched words in context.")
class SearchHit:
    result: SearchResult
    score: float = strawberry.field(
        description="Relevance (BM25 in KEYWORD mode, fused rank otherwise); higher is better, comparable within "
        "one search."
    )
    title_highlight: str = strawberry.field(description="The title with matched words in `<mark>` … `</mark>`.")
    highlight: str = strawberry.field(
        description="A short passage of the body (or a solution's steps) around the matches, marked the same way."
    )

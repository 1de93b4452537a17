"""GraphQL types of ``ask``: the answer, its citations and the passages it was written from."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from subgraphs.knowledge.articles.types import Article
from subgraphs.knowledge.context import Info  # noqa: TC001 - Strawberry reads annotations at runtime
from subgraphs.knowledge.relations.types import load_nodes
from subgraphs.knowledge.retrieval.chunking import ARTICLE, KNOWN_ISSUE, SOLUTION
from subgraphs.knowledge.troubleshooting.types import KnownIssue, Solution

if TYPE_CHECKING:
    from subgraphs.knowledge.answers.records import AnswerResult, Citation, Evidence

CitedRecord = Annotated[Article | Solution | KnownIssue, strawberry.union("CitedRecord")]
_LABELS = {ARTICLE: "Article", SOLUTION: "Solution", KNOWN_ISSUE: "KnownIssue"}


@strawberry.enum(description="What kind of record a passage comes from.")
class SourceKind(Enum):
    ARTICLE = ARTICLE
    SOLUTION = SOLUTION
    KNOWN_ISSUE = KNOWN_ISSUE


async def _record(info: Info, kind: str, record_id: str) -> Article | Solution | KnownIssue | None:
    (node,) = await load_nodes(info, [(_LABELS[kind], record_id)])
    return node if isinstance(node, Article | Solution | KnownIssue) else None


@strawberry.type(description="The passage a sentence of an answer stands on, quoted with its offsets.")
class AnswerCitation:
    number: int = strawberry.field(description="The `[n]` that marks the sentence in `text`.")
    kind: SourceKind
    id: strawberry.ID = strawberry.field(description="The cited record's id.")
    version: int = strawberry.field(description="The record's version the passage was read from.")
    passage: str = strawberry.field(description="The quoted text: exactly the source's text from `start` to `end`.")
    start: int = strawberry.field(description="Character offset of the passage in the source's text.")
    end: int

    @strawberry.field(description="The cited record (null if it has been unpublished since).")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def source(self, info: Info) -> CitedRecord | None:
        return await _record(info, self.kind.value, str(self.id))

    @classmethod
    def from_model(cls, citation: Citation) -> AnswerCitation:
        return cls(
            number=citation.number,
            kind=SourceKind(citation.kind),
            id=strawberry.ID(citation.source_id),
            version=citation.version,
            passage=citation.passage,
            start=citation.start,
            end=citation.end,
        )


@strawberry.type(description="A passage retrieval found for the question, with its relevance.")
class RetrievedPassage:
    kind: SourceKind
    id: strawberry.ID
    version: int
    locale: str | None
    heading: str
    text: str
    start: int
    end: int
    score: float = strawberry.field(description="Cosine similarity to the question (keyword coverage without vectors).")

    @classmethod
    def from_model(cls, passage: Evidence) -> RetrievedPassage:
        return cls(
            kind=SourceKind(passage.kind),
            id=strawberry.ID(passage.source_id),
            version=passage.version,
            locale=passage.locale,
            heading=passage.heading,
            text=passage.text,
            start=passage.start,
            end=passage.end,
            score=round(passage.score, 4),
        )


@strawberry.type(description="An answer written from the knowledge base only, every sentence cited.")
class Answer:
    text: str = strawberry.field(description="The answer; each sentence ends with the `[n]` of its citation.")
    known: bool = strawberry.field(description="False when nothing relevant was found: `text` then says so.")
    confidence: float = strawberry.field(description="0 to 1: how strongly the passages match the question.")
    provider: str = strawberry.field(description="Who wrote it: `extractive` offline, `openai` or `anthropic`.")
    citations: list[AnswerCitation]
    passages: list[RetrievedPassage] = strawberry.field(description="What retrieval found, best first.")
    degraded: list[str] = strawberry.field(
        description="Why the answer is weaker than usual, if it is: `KEYWORD_ONLY:<reason>` (no vectors), "
        "`LOCALE_FALLBACK:<locale>` (nothing in that locale), `LLM_DEADLINE` (the model was cut off at the "
        "deadline: the sentences it finished, each checked against its citation)."
    )

    @classmethod
    def from_model(cls, result: AnswerResult) -> Answer:
        return cls(
            text=result.text,
            known=result.known,
            confidence=result.confidence,
            provider=result.provider,
            citations=[AnswerCitation.from_model(c) for c in result.citations],
            passages=[RetrievedPassage.from_model(p) for p in result.passages],
            degraded=list(result.degraded),
        )

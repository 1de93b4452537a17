"""``ask``: retrieve, decide whether anything relevant was found, write a cited answer.

Offline the answer is extractive (``answers/extractive.py``); with an OpenAI or Anthropic key an
LLM writes it from the passages only and every sentence's citation is checked (``answers/writer.py``),
falling back to the extractive answer when the model fails or no sentence survives the check.
The model has ``llm_seconds`` (``kcp.llm.writing_seconds``: 70% of the router's timeout) from the
start of ``ask``: cut off there, the answer keeps the sentences finished by then and says so in
``degraded`` (``LLM_DEADLINE``).
When nothing relevant is retrieved the answer says it does not know (``known: false``) and the
question is recorded in analytics as a search with no result, beside zero-result searches: the
content gap report lists it.
"""

from __future__ import annotations

import re
import time
import unicodedata
from typing import TYPE_CHECKING

import numpy as np
import structlog

from kcp.embeddings import EmbedderUnavailableError
from subgraphs.knowledge.answers import writer
from subgraphs.knowledge.answers.errors import (
    MAX_QUESTION_LENGTH,
    InvalidLocaleError,
    InvalidQuestionError,
    UnknownProductError,
)
from subgraphs.knowledge.answers.extractive import Sentence, sentences
from subgraphs.knowledge.answers.records import AnswerResult, Citation, Evidence
from subgraphs.knowledge.retrieval.errors import FeatureDisabledError
from subgraphs.knowledge.retrieval.service import Mode
from subgraphs.knowledge.search.events import SEARCH
from subgraphs.knowledge.search.repository import SearchFilters
from subgraphs.knowledge.search.service import MAX_TERMS, telling_words

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from kcp.embeddings import Embedder
    from kcp.llm import ChatModel
    from subgraphs.knowledge.retrieval.repository import ChunkRepository, StoredPassage
    from subgraphs.knowledge.retrieval.service import Ranked, Retriever
    from subgraphs.knowledge.search.events import EventSink

log = structlog.get_logger()
EXTRACTIVE = "extractive"
LOCALE = re.compile(r"[a-z]{2}-[A-Z]{2}")
TOP_RECORDS = 4  # records whose passages are read
PASSAGES_PER_RECORD = 2
MAX_SENTENCES = 4
# Evidence needed to answer at all: a passage this similar to the question (cosine), or, without
# vectors, a passage holding this share of the question's telling words.
MIN_ANSWER_SIMILARITY = 0.42
MIN_KEYWORD_COVERAGE = 0.6
MIN_SENTENCE_SIMILARITY = 0.25
ANALYTICS_QUERY_LIMIT = 500  # analytics' own bound on a search event's query
LLM_DEADLINE = "LLM_DEADLINE"
DONT_KNOW = "I don't know: the knowledge base has nothing that answers this question."


def clean_question(question: str) -> str:
    """The question with control characters removed; refused when empty, too long or not text."""
    if len(question) > MAX_QUESTION_LENGTH:
        raise InvalidQuestionError(f"must be at most {MAX_QUESTION_LENGTH} characters, got {len(question)}.")
    printable = "".join(ch for ch in question if ch.isspace() or unicodedata.category(ch)[0] != "C")
    if len(printable) < len(question) * 0.9:
        raise InvalidQuestionError("is not text (control or unassigned characters).")
    cleaned = " ".join(printable.split())
    if not any(ch.isalpha() for ch in cleaned):
        raise InvalidQuestionError("must contain at least one word.")
    return cleaned


class AnswerService:
    def __init__(  # noqa: PLR0913 - the collaborators of one answer
        self,
        retriever: Retriever,
        chunks: ChunkRepository,
        embedder: Embedder | None,
        events: EventSink,
        product_exists: Callable[[str], Awaitable[bool]],
        *,
        rag: bool,
        graph: bool,
        llm: ChatModel | None = None,
        llm_seconds: float = 7.0,  # kcp.llm.writing_seconds of the default settings
    ) -> None:
        self._llm = llm
        self._llm_seconds = llm_seconds
        self._retriever = retriever
        self._chunks = chunks
        self._embedder = embedder
        self._events = events
        self._product_exists = product_exists
        self._rag = rag
        self._graph = graph

    async def ask(self, question: str, product_id: str | None, locale: str | None) -> AnswerResult:
        if not self._rag:
            raise FeatureDisabledError.rag("`ask`")
        deadline = time.monotonic() + self._llm_seconds
        question = clean_question(question)
        if locale is not None and not LOCALE.fullmatch(locale):
            raise InvalidLocaleError(locale)
        if product_id is not None and not await self._product_exists(product_id):
            raise UnknownProductError(product_id)
        terms = telling_words(question, MAX_TERMS)
        notes: list[str] = []
        if locale is not None and not await self._chunks.has_locale(locale):
            notes.append(f"LOCALE_FALLBACK:{locale}")  # no article in it: answer from every locale, and say so
            locale = None
        retrieval = await self._retriever.retrieve(
            terms, question, SearchFilters(locale=locale), mode=Mode.HYBRID, graph=self._graph, product_id=product_id
        )
        if retrieval.degraded is not None:
            notes.append(f"KEYWORD_ONLY:{retrieval.degraded}")
        passages = await self._passages(retrieval.ranked[:TOP_RECORDS], set(terms))
        evidence = self._evidence(passages, set(terms), vectors=retrieval.degraded is None)
        if evidence <= 0.0:
            self._record_gap(question, product_id)
            return AnswerResult(DONT_KNOW, known=False, confidence=0.0, provider=EXTRACTIVE, degraded=notes)
        answer = await self._written(question, passages, deadline) if self._llm is not None else None
        if answer is None:
            answer = await self._extract(question, passages, terms)
        if not answer.citations:
            self._record_gap(question, product_id)
            return AnswerResult(DONT_KNOW, known=False, confidence=0.0, provider=EXTRACTIVE, degraded=notes)
        answer.confidence = round(evidence, 3)
        answer.passages = passages
        answer.degraded = [*notes, *answer.degraded]
        return answer

    async def _written(self, question: str, passages: list[Evidence], deadline: float) -> AnswerResult | None:
        assert self._llm is not None  # noqa: S101 - the caller checked
        written = await writer.write(self._llm, question, passages, deadline=deadline)
        if written is None:
            return None
        kept = written.sentences
        numbers: dict[int, int] = {}  # passage index -> citation number, in order of first use
        parts: list[str] = []
        for sentence, index in kept:
            number = numbers.setdefault(index, len(numbers) + 1)
            parts.append(f"{sentence} [{number}]")
        citations = [
            Citation(number, p.kind, p.source_id, p.version, p.text, p.start, p.end)
            for index, number in numbers.items()
            for p in [passages[index]]
        ]
        return AnswerResult(
            " ".join(parts),
            known=True,
            confidence=0.0,
            provider=self._llm.name,
            citations=citations,
            degraded=[LLM_DEADLINE] if written.partial else [],
        )

    async def _passages(self, ranked: list[Ranked], terms: set[str]) -> list[Evidence]:
        """The best passages of the top records: the vector hits, or the passages richest in the question's words."""
        chosen: list[tuple[StoredPassage, float]] = []
        lacking = [entry for entry in ranked if not entry.passages]
        by_source: dict[str, list[StoredPassage]] = {}
        for row in await self._chunks.chunks_of([entry.record_id for entry in lacking]):
            by_source.setdefault(row.source_id, []).append(row)
        for entry in ranked:
            if entry.passages:
                chosen.extend(entry.passages[:PASSAGES_PER_RECORD])
                continue
            rows = by_source.get(entry.record_id, [])
            scored = sorted(rows, key=lambda row: (-_coverage(row.text, terms), row.key))
            chosen.extend((row, _coverage(row.text, terms)) for row in scored[:PASSAGES_PER_RECORD])
        return [
            Evidence(
                row.source_kind,
                row.source_id,
                row.version,
                row.locale,
                row.heading,
                row.text,
                row.start,
                row.end,
                score,
            )
            for row, score in chosen
        ]

    @staticmethod
    def _evidence(passages: list[Evidence], terms: set[str], *, vectors: bool) -> float:
        """0 when nothing relevant was found, else a confidence in (0, 1]."""
        if not passages:
            return 0.0
        if vectors:
            best = max(p.score for p in passages)
            if best >= MIN_ANSWER_SIMILARITY:
                return min(1.0, 0.5 + (best - MIN_ANSWER_SIMILARITY))
        coverage = max(_coverage(p.text, terms) for p in passages)
        return 0.5 * coverage if coverage >= MIN_KEYWORD_COVERAGE else 0.0

    async def _extract(self, question: str, passages: list[Evidence], terms: list[str]) -> AnswerResult:
        candidates: list[tuple[Evidence, Sentence]] = [
            (passage, sentence) for passage in passages for sentence in sentences(passage.text, passage.start)
        ]
        if not candidates:
            return AnswerResult("", known=False, confidence=0.0, provider=EXTRACTIVE)
        scores = await self._sentence_scores(question, [s.text for _, s in candidates], set(terms))
        order = sorted(range(len(candidates)), key=lambda i: -scores[i])
        picked: list[int] = []
        sources: list[str] = []
        for index in order:
            passage, sentence = candidates[index]
            if scores[index] < MIN_SENTENCE_SIMILARITY and picked:
                break
            if passage.source_id not in sources:
                if len(sources) == 2:  # noqa: PLR2004 - two sources read as one answer; more reads as a list
                    continue
                sources.append(passage.source_id)
            if any(candidates[i][1].text == sentence.text for i in picked):
                continue
            picked.append(index)
            if len(picked) == MAX_SENTENCES:
                break
        # Read in the sources' own order: steps stay in sequence.
        picked.sort(key=lambda i: (sources.index(candidates[i][0].source_id), candidates[i][1].start))
        citations: list[Citation] = []
        parts: list[str] = []
        for number, index in enumerate(picked, start=1):
            passage, sentence = candidates[index]
            citations.append(
                Citation(
                    number,
                    passage.kind,
                    passage.source_id,
                    passage.version,
                    sentence.text,
                    sentence.start,
                    sentence.end,
                )
            )
            parts.append(f"{sentence.text} [{number}]")
        return AnswerResult(" ".join(parts), known=True, confidence=0.0, provider=EXTRACTIVE, citations=citations)

    async def _sentence_scores(self, question: str, texts: list[str], terms: set[str]) -> list[float]:
        coverage = [_coverage(text, terms) for text in texts]
        if self._embedder is None:
            return coverage
        try:
            vectors = await self._embedder.embed([question, *texts])
        except EmbedderUnavailableError:
            return coverage
        similarity = vectors[1:] @ vectors[0]
        return [float(s) + 0.15 * c for s, c in zip(np.asarray(similarity).tolist(), coverage, strict=True)]

    def _record_gap(self, question: str, product_id: str | None) -> None:
        fields: dict[str, object] = {"query": question[:ANALYTICS_QUERY_LIMIT], "resultCount": 0}
        if product_id is not None:
            fields["productId"] = product_id
        self._events.emit(SEARCH, **fields)
        log.info("answers.content_gap", product_id=product_id)


def _coverage(text: str, terms: set[str]) -> float:
    """The share of ``terms`` that ``text`` holds (as word prefixes, so "charging" covers "charg")."""
    if not terms:
        return 0.0
    words = {word.lower() for word in re.findall(r"\w+", text)}
    found = sum(1 for term in terms if any(word.startswith(term[:5]) for word in words))
    return found / len(terms)

"""Retrieval quality and speed: keyword, semantic, hybrid and hybrid+graph side by side, plus ``ask``.

Seeds the demo dataset into a data folder (kept with ``--data-dir``, so a second run skips the
seeding and indexing), indexes it, then asks the 215 customer-style questions of
``bench/retrieval_questions.py``. Gold answers come from the demo data: a question about an issue
template's problem is answered by the troubleshooting articles and solutions of that template's
known issues (of the named product, when the question names one).

Prints, per mode: Recall@1/5/10 (share of questions with a gold record in the top k), MRR,
nDCG@10 (binary relevance), latency p50/p95 on the demo data; then the same latency with the
corpus scaled to 50,000 passages (copies of the demo's passages, vectors jittered, the full-text
index scaled alike), indexing throughput, and the ``ask`` check: every sentence of every answer
cites a passage that is exactly the source's text at its offsets and holds the sentence's key terms.

Run: .venv/bin/python bench/retrieval.py [--data-dir DIR] [--scaled 50000] [--postgres URL]
(``--held-out``: only the held-out questions of ``bench/retrieval_questions_heldout.py``, same gold,
demo corpus, one table of Recall@1/5/10, MRR and empty results per mode).
(``--postgres "$KCP_TEST_DATABASE_URL"`` after ``eval "$(scripts/services env --test)"``).
Not part of the tests; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import BindParameter, bindparam, make_url, text

import demo
from demo import issues as issue_templates
from kcp.settings import Settings
from subgraphs.knowledge.answers.extractive import supports
from subgraphs.knowledge.answers.service import AnswerService
from subgraphs.knowledge.relations.repository import RelationRepository
from subgraphs.knowledge.retrieval.chunking import known_issue_text, solution_text
from subgraphs.knowledge.retrieval.indexing import Indexer
from subgraphs.knowledge.retrieval.repository import ChunkRepository
from subgraphs.knowledge.retrieval.service import Mode, Retriever
from subgraphs.knowledge.search.connect import open_search
from subgraphs.knowledge.search.postgres import PostgresSearch
from subgraphs.knowledge.search.repository import (
    BODY_COLUMN,
    RANK,
    SNIPPET_TOKENS,
    TITLE_COLUMN,
    Fts5Search,
    Hit,
    SearchFilters,
)
from subgraphs.knowledge.search.service import MAX_TERMS, telling_words, words
from subgraphs.knowledge.seed import seed
from subgraphs.knowledge.stores import KnowledgeStores

sys.path.insert(0, str(Path(__file__).parent))
from retrieval_questions import QUESTIONS  # type: ignore[import-not-found]  # on sys.path only when run
from retrieval_questions_heldout import HELD_OUT  # type: ignore[import-not-found]  # on sys.path only when run

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.ext.asyncio import AsyncSession

    from demo.model import DemoData
    from kcp.stores.relational import RelationalStore
    from subgraphs.knowledge.search.repository import SearchRepository

MODES = ("keyword", "semantic", "hybrid", "hybrid+graph")
HYBRID_MODES = ("hybrid", "hybrid+graph")  # the modes whose keyword leg is bounded
K = 10


class _Progress:
    def start(self, label: str, total: int) -> None:
        print(f"  {label}: {total}", file=sys.stderr)

    def advance(self, units: int = 1) -> None:
        pass


class _NoEvents:
    def emit(self, kind: str, **fields: Any) -> None:
        pass


def _template_pattern(title: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{\w+\\\}", ".+", re.escape(title)))


def gold_sets(data: DemoData) -> tuple[dict[str, list[str]], dict[tuple[str, str], set[str]], dict[str, str]]:
    """(template key -> its issue ids), ((template, product id) -> gold record ids), (product id -> name)."""
    patterns = [(t.key, _template_pattern(t.title)) for t in issue_templates.ISSUES]
    issues_of: dict[str, list[str]] = {}
    for issue in data.known_issues:
        key = next(k for k, pattern in patterns if pattern.fullmatch(issue.title))
        issues_of.setdefault(key, []).append(issue.id)
    solutions: dict[str, list[str]] = {}
    for issue_id, solution_id, _ in data.resolved_by:
        solutions.setdefault(issue_id, []).append(solution_id)
    published = {a.id for a in data.articles if a.status == "published"}
    articles: dict[str, list[str]] = {}
    for solution_id, article_id in data.documented_in:
        if article_id in published:
            articles.setdefault(solution_id, []).append(article_id)
    products_of: dict[str, list[str]] = {}
    for product_id, issue_id in data.affected_by:
        products_of.setdefault(issue_id, []).append(product_id)
    gold: dict[tuple[str, str], set[str]] = {}
    for key, issue_ids in issues_of.items():
        for issue_id in issue_ids:
            records = set(solutions.get(issue_id, []))
            records |= {a for s in solutions.get(issue_id, []) for a in articles.get(s, [])}
            gold.setdefault((key, ""), set()).update(records)
            for product_id in products_of.get(issue_id, []):
                gold.setdefault((key, product_id), set()).update(records)
    names = {p.id: p.name for p in data.products}
    # The product a {product} question names: the first (by id) that has an issue of the template.
    return issues_of, gold, names


def questions(data: DemoData, pairs: Sequence[tuple[str, str]] = QUESTIONS) -> list[tuple[str, set[str]]]:
    """The (template key, question) ``pairs`` (the main set unless given) with their gold record ids."""
    issues_of, gold, names = gold_sets(data)
    products_of: dict[str, list[str]] = {}
    for product_id, issue_id in data.affected_by:
        products_of.setdefault(issue_id, []).append(product_id)
    out: list[tuple[str, set[str]]] = []
    for key, question in pairs:
        if key not in issues_of:  # a problem the demo catalogue has no known issue for (no gold answer)
            continue
        if "{product}" in question:
            product_id = min(p for i in issues_of[key] for p in products_of.get(i, []))
            out.append((question.format(product=names[product_id]), gold[(key, product_id)]))
        else:
            out.append((question, gold[(key, "")]))
    return out


def metrics(ranked: list[str], gold: set[str]) -> tuple[float, float, float, float, float]:
    hits = [record in gold for record in ranked[:K]]
    first = next((i for i, hit in enumerate(hits) if hit), None)
    dcg = sum(1 / math.log2(i + 2) for i, hit in enumerate(hits) if hit)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(gold), K)))
    recall = [float(first is not None and first < k) for k in (1, 5, 10)]
    return recall[0], recall[1], recall[2], 0.0 if first is None else 1 / (first + 1), dcg / ideal if ideal else 0.0


async def run_mode(retriever: Retriever, stores: KnowledgeStores, mode: str, question: str) -> list[str]:
    if mode == "keyword":  # what `search(mode: KEYWORD)` does: every word, BM25
        terms = words(question, MAX_TERMS)
        hits, _ = await open_search(stores.relational).search(terms, SearchFilters(), offset=0, limit=K)
        return [hit.record_id for hit in hits]
    chosen = Mode.SEMANTIC if mode == "semantic" else Mode.HYBRID
    retrieval = await retriever.retrieve(
        telling_words(question, MAX_TERMS), question, SearchFilters(), mode=chosen, graph=mode == "hybrid+graph"
    )
    return [entry.record_id for entry in retrieval.ranked[:K]]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class PreviousFts5Search(Fts5Search):
    """The FTS5 keyword leg as it was before it was bounded (kept here as the baseline): every
    record holding any word ranked, FTS5's ``snippet()`` for the best of them (which re-runs the
    prefix match per row), and the filter check scanning the FTS table for record ids."""

    def __init__(self, relational: RelationalStore) -> None:
        super().__init__(relational, candidate_budget=None)
        self._store = relational

    async def _candidates(  # noqa: PLR0913 - the shipped method's signature
        self,
        session: AsyncSession,
        where: str,
        parameters: dict[str, Any],
        expanding: list[BindParameter[Any]],
        limit: int,
        *,
        words: set[str],
        filters: SearchFilters,
    ) -> list[Hit]:
        del words, filters
        statement = text(
            f"SELECT record_id, kind, {RANK} AS score, "  # noqa: S608 - only constants are interpolated
            f"snippet(search_index, {TITLE_COLUMN}, '<mark>', '</mark>', '…', {SNIPPET_TOKENS}), "
            f"snippet(search_index, {BODY_COLUMN}, '<mark>', '</mark>', '…', {SNIPPET_TOKENS}) "
            f"FROM search_index WHERE search_index MATCH :match AND rowid IN "
            f"(SELECT rowid FROM search_index WHERE {where} ORDER BY {RANK}, kind, record_id LIMIT :limit) "
            "ORDER BY score, kind, record_id"
        ).bindparams(*expanding)
        rows = (await session.execute(statement, {**parameters, "limit": limit})).all()
        return [Hit(record_id=r[0], kind=r[1], score=-float(r[2]), title_highlight=r[3], highlight=r[4]) for r in rows]

    async def allowed(self, record_ids: Sequence[str], filters: SearchFilters) -> set[str]:
        clauses, parameters = filters.clauses()
        clauses.append("record_id IN :ids")
        parameters["ids"] = tuple(record_ids)
        statement = text(f"SELECT record_id FROM search_index WHERE {' AND '.join(clauses)}").bindparams(  # noqa: S608 - only constants are interpolated
            bindparam("ids", expanding=True)
        )
        async with self._store.reading() as session:
            return {row[0] for row in (await session.execute(statement, parameters)).all()}


def keyword_leg(stores: KnowledgeStores, *, bounded: bool) -> SearchRepository:
    """The full-text search the hybrid modes draw candidates from: as shipped (``bounded``), or the
    baseline: on SQLite ``PreviousFts5Search``, on PostgreSQL the text vectors computed per query
    instead of read from their indexed columns."""
    if bounded:
        return open_search(stores.relational)
    if stores.relational.engine.dialect.name == "postgresql":
        return PostgresSearch(stores.relational, stored_vectors=False)
    return PreviousFts5Search(stores.relational)


async def evaluate(
    stores: KnowledgeStores,
    asked: list[tuple[str, set[str]]],
    *,
    modes: tuple[str, ...] = MODES,
    bounded: bool = True,
) -> dict[str, Any]:
    retriever = Retriever(
        keyword_leg(stores, bounded=bounded),
        ChunkRepository(stores.relational),
        RelationRepository(stores.graph),
        stores.vectors,
    )
    await stores.vectors.embedder.embed(["warm up"])  # the model loads on first use: not a query's time
    table: dict[str, Any] = {}
    for mode in modes:
        scores: list[tuple[float, float, float, float, float]] = []
        latencies: list[float] = []
        empty = 0
        for question, gold in asked:
            started = time.perf_counter()
            ranked = await run_mode(retriever, stores, mode, question)
            latencies.append((time.perf_counter() - started) * 1000)
            empty += not ranked
            scores.append(metrics(ranked, gold))
        columns = list(zip(*scores, strict=True))
        table[mode] = {
            "R@1": statistics.fmean(columns[0]),
            "R@5": statistics.fmean(columns[1]),
            "R@10": statistics.fmean(columns[2]),
            "MRR": statistics.fmean(columns[3]),
            "nDCG@10": statistics.fmean(columns[4]),
            "empty": empty,
            "p50": percentile(latencies, 0.5),
            "p95": percentile(latencies, 0.95),
        }
    return table


async def source_texts(stores: KnowledgeStores) -> dict[str, str]:
    texts: dict[str, str] = {}
    async with stores.relational.reading() as session:
        for article in (await session.execute(text("SELECT id, body FROM articles"))).all():
            texts[article[0]] = article[1]
    repository = ChunkRepository(stores.relational)
    for solution in await repository.solutions():
        texts[solution.id] = solution_text(solution)
    for issue in await repository.known_issues():
        texts[issue.id] = known_issue_text(issue)
    return texts


async def check_answers(stores: KnowledgeStores, asked: list[tuple[str, set[str]]]) -> dict[str, Any]:
    chunks = ChunkRepository(stores.relational)
    retriever = Retriever(open_search(stores.relational), chunks, RelationRepository(stores.graph), stores.vectors)

    async def exists(_: str) -> bool:
        return True

    service = AnswerService(retriever, chunks, stores.vectors.embedder, _NoEvents(), exists, rag=True, graph=True)
    texts = await source_texts(stores)
    answered = unknown = sentences = supported = gold_cited = 0
    latencies: list[float] = []
    for question, gold in asked:
        started = time.perf_counter()
        answer = await service.ask(question, None, None)
        latencies.append((time.perf_counter() - started) * 1000)
        if not answer.known:
            unknown += 1
            continue
        answered += 1
        marked = re.findall(r"\[(\d+)\]", answer.text)
        sentences += len(marked)
        by_number = {c.number: c for c in answer.citations}
        for number in marked:
            citation = by_number.get(int(number))
            if citation is None:
                continue
            quoted = texts.get(citation.source_id, "")[citation.start : citation.end]
            sentence = answer.text.split(f"[{number}]")[0].split("]")[-1].strip()
            if quoted == citation.passage and supports(quoted, sentence):
                supported += 1
        gold_cited += any(c.source_id in gold for c in answer.citations)
    return {
        "answered": answered,
        "dont_know": unknown,
        "sentences": sentences,
        "supported": supported,
        "gold_cited": gold_cited,
        "p50": percentile(latencies, 0.5),
        "p95": percentile(latencies, 0.95),
    }


async def embedded_vectors(stores: KnowledgeStores) -> dict[int, np.ndarray[Any, Any]]:
    """Every passage's vector in the embedded (usearch) store, by passage key."""
    store = await stores.vectors.ready()
    async with stores.relational.reading() as session:
        keys = [int(k) for k in (await session.execute(text("SELECT key FROM chunks"))).scalars()]
    return {key: np.asarray(store._current().get(key), dtype=np.float32) for key in keys}  # type: ignore[attr-defined]  # noqa: SLF001 - the bench reads the usearch index directly


async def scale(stores: KnowledgeStores, target: int, known: dict[int, np.ndarray[Any, Any]]) -> tuple[int, float]:
    """Copy the passages (with jittered copies of their ``known`` vectors), the records and, on
    SQLite, the full-text rows up to ``target`` passages."""
    rng = np.random.default_rng(7)
    store = await stores.vectors.ready()
    async with stores.relational.reading() as session:
        rows = (await session.execute(text("SELECT * FROM chunks ORDER BY key"))).mappings().all()
    base = len(rows)
    vectors = np.stack([known[row["key"]] for row in rows])
    copies = max(0, math.ceil((target - base) / base))
    next_key = max(row["key"] for row in rows) + 1
    new_rows: list[dict[str, Any]] = []
    new_keys: list[int] = []
    new_vectors: list[np.ndarray[Any, Any]] = []
    for copy in range(copies):
        for row, vector in zip(rows, vectors, strict=True):
            if base + len(new_rows) >= target:
                break
            new_rows.append({**dict(row), "key": next_key, "source_id": f"{row['source_id']}~{copy}"})
            jittered = vector + rng.normal(0, 0.02, vector.shape).astype(np.float32)
            new_vectors.append(jittered / np.linalg.norm(jittered))
            new_keys.append(next_key)
            next_key += 1
    async with stores.relational.transaction() as session:
        columns = ", ".join(f'"{c}"' for c in rows[0])
        values = ", ".join(f":{c}" for c in rows[0])
        await session.execute(text(f"INSERT INTO chunks ({columns}) VALUES ({values})"), new_rows)  # noqa: S608 - column names from the table itself
        # The records themselves too, so a copy passes the filters a real record passes.
        for table, renamed in (("articles", ("id", "slug")), ("solutions", ("id",))):
            records = [  # PostgreSQL generates the text vector itself
                {c: json.dumps(v) if isinstance(v, list | dict) else v for c, v in r.items() if c != "search_vector"}
                for r in (await session.execute(text(f"SELECT * FROM {table}"))).mappings().all()  # noqa: S608 - our names
            ]
            columns = ", ".join(f'"{c}"' for c in records[0])
            values = ", ".join(f":{c}" for c in records[0])
            await session.execute(
                text(f"INSERT INTO {table} ({columns}) VALUES ({values})"),  # noqa: S608 - column names from the table
                [{**dict(r), **{c: f"{r[c]}~{copy}" for c in renamed}} for copy in range(copies) for r in records],
            )
        on_sqlite = stores.relational.engine.dialect.name == "sqlite"
        fts = (await session.execute(text("SELECT * FROM search_index"))).mappings().all() if on_sqlite else []
        for copy in range(copies if fts else 0):
            await session.execute(
                text(
                    "INSERT INTO search_index (record_id, kind, status, locale, article_kind, tags, title, body) "
                    "VALUES (:record_id, :kind, :status, :locale, :article_kind, :tags, :title, :body)"
                ),
                [{**dict(r), "record_id": f"{r['record_id']}~{copy}"} for r in fts],
            )
    started = time.perf_counter()
    await store.upsert(new_keys, np.stack(new_vectors))
    seconds = time.perf_counter() - started
    return base + len(new_rows), len(new_rows) / seconds


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="keep the seeded, indexed data here (reused when present)")
    parser.add_argument("--scaled", type=int, default=50_000, help="passages in the scaled corpus (0: skip)")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="also on this PostgreSQL server (with pgvector), in a scratch database made and dropped here",
    )
    parser.add_argument("--questions", type=int, help="ask only about this many of the questions (a quick look)")
    parser.add_argument(
        "--baseline-sample", type=int, default=20, help="questions the unbounded baseline is timed on when scaled"
    )
    parser.add_argument(
        "--held-out",
        action="store_true",
        help="only the held-out questions (bench/retrieval_questions_heldout.py) on the demo corpus: one table",
    )
    arguments = parser.parse_args()
    folder = arguments.data_dir or Path(tempfile.mkdtemp(prefix="kcp-retrieval-"))
    settings = Settings(kcp_data_dir=folder)
    data = demo.generate()
    if not (folder / "knowledge" / "knowledge.sqlite3").exists():
        await seed(settings, data, _Progress())
    stores = KnowledgeStores.open(settings)
    await stores.ensure_schema()
    report = await Indexer(ChunkRepository(stores.relational), stores.vectors).index_all()
    if arguments.held_out:
        await held_out_report(stores, data, settings, scratch=None if arguments.data_dir else folder)
        return
    sample = [row.text for row in (await ChunkRepository(stores.relational).unembedded("-", 128))]
    started = time.perf_counter()
    await stores.vectors.embedder.embed(sample)
    embed_rate = len(sample) / (time.perf_counter() - started)
    asked = questions(data)
    asked = asked[:: max(1, len(asked) // (arguments.questions or len(asked)))]
    arguments.known_vectors = await embedded_vectors(stores)
    table = await evaluate(stores, asked)
    baseline = await evaluate(stores, asked, modes=HYBRID_MODES, bounded=False)
    answers = await check_answers(stores, asked)
    await stores.close()

    print(f"\n{len(asked)} questions; demo corpus: {await _passages(settings)} passages; model {report.model}")
    print("(before: the hybrid modes with the previous keyword leg, every record holding any word ranked)")
    print(f"{'mode':<22}{'R@1':>7}{'R@5':>7}{'R@10':>7}{'MRR':>7}{'nDCG@10':>9}{'empty':>7}{'p50 ms':>9}{'p95 ms':>9}")
    for mode, row in table.items():
        print(
            f"{mode:<22}{row['R@1']:>7.3f}{row['R@5']:>7.3f}{row['R@10']:>7.3f}{row['MRR']:>7.3f}"
            f"{row['nDCG@10']:>9.3f}{row['empty']:>7}{row['p50']:>9.1f}{row['p95']:>9.1f}"
        )
    for mode, row in baseline.items():
        print(
            f"{mode + ' before':<22}{row['R@1']:>7.3f}{row['R@5']:>7.3f}{row['R@10']:>7.3f}{row['MRR']:>7.3f}"
            f"{row['nDCG@10']:>9.3f}{row['empty']:>7}{row['p50']:>9.1f}{row['p95']:>9.1f}"
        )
    gain = table["hybrid+graph"]["R@5"] - table["keyword"]["R@5"]
    print(f"hybrid+graph - keyword, Recall@5: {gain:+.3f}")
    print(
        f"\nask: {answers['answered']} answered, {answers['dont_know']} 'I don't know'; "
        f"{answers['supported']}/{answers['sentences']} sentences cite a passage that is the source's text at its "
        f"offsets and holds the sentence's key terms; {answers['gold_cited']} answers cite a gold record; "
        f"latency p50 {answers['p50']:.1f} ms, p95 {answers['p95']:.1f} ms"
    )
    print(
        f"indexing: {embed_rate:.0f} passages/s embedded (batch of {len(sample)}); "
        f"full index run {report.seconds:.1f} s"
    )

    if arguments.scaled:
        scaled_folder = Path(tempfile.mkdtemp(prefix="kcp-retrieval-scaled-"))
        shutil.copytree(folder / "knowledge", scaled_folder / "knowledge")
        scaled_stores = KnowledgeStores.open(Settings(kcp_data_dir=scaled_folder))
        await scaled_stores.ensure_schema()
        await scaled_report("embedded (SQLite FTS5 + usearch)", scaled_stores, asked, arguments)
        await scaled_stores.close()
        shutil.rmtree(scaled_folder, ignore_errors=True)
    if arguments.postgres:
        await postgres_report(arguments.postgres, settings, data, asked, arguments)
    if arguments.data_dir is None:
        shutil.rmtree(folder, ignore_errors=True)


async def held_out_report(stores: KnowledgeStores, data: DemoData, settings: Settings, *, scratch: Path | None) -> None:
    """Recall@1/5/10, MRR and empty results of every mode on the held-out questions, demo corpus;
    closes ``stores`` and removes the ``scratch`` data folder, if any."""
    asked = questions(data, HELD_OUT)
    table = await evaluate(stores, asked)
    await stores.close()
    print(f"\nheld-out: {len(asked)} of {len(HELD_OUT)} questions; demo corpus: {await _passages(settings)} passages")
    print(f"{'mode':<22}{'R@1':>7}{'R@5':>7}{'R@10':>7}{'MRR':>7}{'empty':>7}")
    for mode, row in table.items():
        print(f"{mode:<22}{row['R@1']:>7.3f}{row['R@5']:>7.3f}{row['R@10']:>7.3f}{row['MRR']:>7.3f}{row['empty']:>7}")
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)


async def scaled_report(
    label: str, stores: KnowledgeStores, asked: list[tuple[str, set[str]]], arguments: argparse.Namespace
) -> None:
    """Latency of every mode at ``--scaled`` passages, and the hybrid modes before/after on a sample."""
    total, add_rate = await scale(stores, arguments.scaled, arguments.known_vectors)
    scaled = await evaluate(stores, asked)
    # The unbounded keyword leg takes seconds a question at this size: a sample of the questions
    # (every k-th), with the shipped code timed on the same sample beside it.
    timed = asked[:: max(1, len(asked) // arguments.baseline_sample)][: arguments.baseline_sample]
    before = await evaluate(stores, timed, modes=HYBRID_MODES, bounded=False)
    after = await evaluate(stores, timed, modes=HYBRID_MODES)
    vector_only = await _vector_latency(stores, asked)
    print(f"\n{label}, scaled: {total} passages (vectors added at {add_rate:.0f}/s); all {len(asked)} questions")
    for mode, row in scaled.items():
        print(f"{mode:<14} p50 {row['p50']:>7.1f} ms  p95 {row['p95']:>7.1f} ms")
    print(f"before/after on {len(timed)} of the questions (one in {len(asked) // len(timed)}):")
    for mode in HYBRID_MODES:
        print(
            f"{mode:<14} before: p50 {before[mode]['p50']:>8.1f} ms  p95 {before[mode]['p95']:>8.1f} ms"
            f"  |  now: p50 {after[mode]['p50']:>6.1f} ms  p95 {after[mode]['p95']:>6.1f} ms"
        )
    print(
        f"query embedding p50 {vector_only[0]:.1f} ms, p95 {vector_only[1]:.1f} ms; "
        f"vector search alone p50 {vector_only[2]:.2f} ms, p95 {vector_only[3]:.2f} ms"
    )


async def postgres_report(
    server: str, settings: Settings, data: DemoData, asked: list[tuple[str, set[str]]], arguments: argparse.Namespace
) -> None:
    """The same on PostgreSQL + pgvector: a scratch database on ``server``, the demo seeded into it,
    the embedded run's passages and vectors copied over (no second embedding), then scaled."""
    name = f"kcp_bench_retrieval_{os.getpid()}"
    await _maintenance(server, f'CREATE DATABASE "{name}"')
    folder = Path(tempfile.mkdtemp(prefix="kcp-retrieval-pg-"))
    try:
        pg_settings = Settings(
            kcp_data_dir=folder, database_url=make_url(server).set(database=name).render_as_string(hide_password=False)
        )
        await seed(pg_settings, data, _Progress())
        stores = KnowledgeStores.open(pg_settings)
        await stores.ensure_schema()
        embedded = KnowledgeStores.open(settings)
        async with embedded.relational.reading() as session:
            chunks = (await session.execute(text("SELECT * FROM chunks ORDER BY key"))).mappings().all()
        await embedded.close()
        async with stores.relational.transaction() as session:
            await session.execute(text("DELETE FROM chunks"))
            columns = ", ".join(f'"{c}"' for c in chunks[0])
            values = ", ".join(f":{c}" for c in chunks[0])
            await session.execute(text(f"INSERT INTO chunks ({columns}) VALUES ({values})"), [dict(r) for r in chunks])  # noqa: S608 - column names from the table
        store = await stores.vectors.ready()
        keys = sorted(arguments.known_vectors)
        await store.upsert(keys, np.stack([arguments.known_vectors[k] for k in keys]))
        table = await evaluate(stores, asked)
        baseline = await evaluate(stores, asked, modes=HYBRID_MODES, bounded=False)
        table |= {f"{mode} before": row for mode, row in baseline.items()}
        print(f"\nPostgreSQL + pgvector, demo corpus: {len(chunks)} passages")
        for mode, row in table.items():
            print(
                f"{mode:<22}{row['R@1']:>7.3f}{row['R@5']:>7.3f}{row['R@10']:>7.3f}{row['MRR']:>7.3f}"
                f"{row['nDCG@10']:>9.3f}{row['empty']:>7}{row['p50']:>9.1f}{row['p95']:>9.1f}"
            )
        await scaled_report("PostgreSQL + pgvector", stores, asked, arguments)
        await stores.close()
    finally:
        await _maintenance(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(folder, ignore_errors=True)


async def _maintenance(server: str, statement: str) -> None:
    import asyncpg  # noqa: PLC0415 - only with --postgres

    parsed = make_url(server)
    connection = await asyncpg.connect(
        host=parsed.host, port=parsed.port, user=parsed.username, password=parsed.password, database="postgres"
    )
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _passages(settings: Settings) -> int:
    stores = KnowledgeStores.open(settings)
    async with stores.relational.reading() as session:
        count = int((await session.execute(text("SELECT count(*) FROM chunks"))).scalar_one())
    await stores.close()
    return count


async def _vector_latency(
    stores: KnowledgeStores, asked: list[tuple[str, set[str]]]
) -> tuple[float, float, float, float]:
    store = await stores.vectors.ready()
    embedding: list[float] = []
    searching: list[float] = []
    for question, _ in asked:
        started = time.perf_counter()
        vector = (await stores.vectors.embedder.embed([question]))[0]
        middle = time.perf_counter()
        await store.search(vector, 80)
        embedding.append((middle - started) * 1000)
        searching.append((time.perf_counter() - middle) * 1000)
    return (
        percentile(embedding, 0.5),
        percentile(embedding, 0.95),
        percentile(searching, 0.5),
        percentile(searching, 0.95),
    )


if __name__ == "__main__":
    asyncio.run(main())

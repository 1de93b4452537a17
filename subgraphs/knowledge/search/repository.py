"""All access to the full-text index on SQLite: one FTS5 table over articles and solutions.

FTS5 ``MATCH``, ``bm25()`` and ``snippet()``; ``search/postgres.py`` answers the same methods
with ``tsvector``/``ts_headline`` on PostgreSQL (``search/connect.py`` picks one). The index is written
in the same transaction as the record it mirrors, so a search never finds a rolled-back article.
Callers pass words (``\\w+`` runs only): the FTS5 syntax is made here, never by a client.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import BindParameter, bindparam, text

from subgraphs.knowledge.search.highlights import HIGHLIGHT_END, HIGHLIGHT_START, excerpt, mark

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

    from kcp.stores.relational import RelationalStore
    from subgraphs.knowledge.tables import ArticleRow, SolutionRow

ARTICLE = "article"
SOLUTION = "solution"
ELLIPSIS = "…"
SNIPPET_TOKENS = 16
RANK_CHUNK = 100  # well below SQLite's 500 terms per compound SELECT

TOKENIZE = "tokenize = 'porter unicode61 remove_diacritics 2'"
# Every query word is matched as a prefix ("i"*, "my"*): without prefix indexes FTS5 merges the
# posting lists of every term a short prefix starts, which made a KEYWORD search's page and count
# ~6 ms at p50 and ~25 ms at p95 at 50,000 passages; with them ~1 ms and ~6 ms (same matches, same
# scores; the index grows by about two thirds). Longer prefixes start few terms and need none.
PREFIXES = "prefix = '1 2 3'"
# Column order matters: snippet() and bm25() address columns by position.
_COLUMNS = (
    "record_id UNINDEXED, kind UNINDEXED, status UNINDEXED, locale UNINDEXED, article_kind UNINDEXED, tags, title, body"
)
CREATE_INDEX = f"CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5({_COLUMNS}, {TOKENIZE}, {PREFIXES})"
# How many records hold each indexed term: what bounds the hybrid search's keyword candidates.
CREATE_VOCABULARY = "CREATE VIRTUAL TABLE IF NOT EXISTS search_vocabulary USING fts5vocab(search_index, 'row')"
# Hybrid candidates: BM25 costs a row lookup per matching record, and "any word" of a question
# matches most of a large index (measured: 15.8 s p95 at 50,000 passages). The rarest words are
# kept while the records they match stay under this budget; a common word adds almost nothing
# to BM25 (its IDF is near zero), so the best records stay the best. (A cap on the rows ranked,
# ``rowid IN (… LIMIT n)``, was tried: FTS5 then re-runs the whole match once per row, 100x slower.)
CANDIDATE_BUDGET = 1_000
_LAST_CHARACTER = "\U0010ffff"  # sorts after any continuation of a word: the end of a prefix range
TAGS_COLUMN, TITLE_COLUMN, BODY_COLUMN = 5, 6, 7
# bm25 weights per column: a title hit counts most, then tags, then the body.
RANK = "bm25(search_index, 0, 0, 0, 0, 0, 2.0, 5.0, 1.0)"
# Hybrid candidates: the stored rows of this many best matches per candidate wanted are read and
# filtered (``Fts5Search._candidates``); published articles and solutions are nearly all of them.
CANDIDATE_WIDTH = 4
_SCORED = text(f"SELECT rowid, {RANK} FROM search_index WHERE search_index MATCH :match")  # noqa: S608 - a constant


@dataclass(frozen=True, slots=True)
class SearchFilters:
    kinds: tuple[str, ...] = (ARTICLE, SOLUTION)
    article_kind: str | None = None
    locale: str | None = None
    tag: str | None = None
    among: tuple[str, ...] | None = None  # only these record ids (what the graph links to a product)

    def clauses(self, prefix: str = "") -> tuple[list[str], dict[str, Any]]:
        """The SQL conditions both search engines share (published only, kinds, article kind,
        locale, record ids) over columns named ``prefix`` + name, and their parameters; each
        engine adds its own text match and tag condition."""
        clauses = [f"{prefix}status = 'published'"]
        parameters: dict[str, Any] = {}
        kinds = [kind for kind in (ARTICLE, SOLUTION) if kind in self.kinds]
        clauses.append(f"{prefix}kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")")
        if self.article_kind is not None:
            clauses.append(f"({prefix}kind != 'article' OR {prefix}article_kind = :article_kind)")
            parameters["article_kind"] = self.article_kind
        if self.locale is not None:
            clauses.append(f"({prefix}kind != 'article' OR {prefix}locale = :locale)")
            parameters["locale"] = self.locale
        if self.among is not None:
            clauses.append(f"{prefix}record_id IN :among")
            parameters["among"] = self.among
        return clauses, parameters


@dataclass(frozen=True, slots=True)
class Hit:
    record_id: str
    kind: str
    score: float
    title_highlight: str
    highlight: str


def _solution_text(row: SolutionRow) -> str:
    return "\n".join(f"{number}. {step}" for number, step in enumerate(row.steps, start=1))


async def ensure_index(connection: AsyncConnection) -> None:
    """Make the index, or rebuild one made before it had prefix indexes (FTS5 cannot add them to
    a table: its rows are copied into a new one, rowids kept, in the caller's transaction;
    ~3 s at 50,000 passages, once)."""
    existing = await connection.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'search_index'"))
    if existing is not None and "prefix" not in str(existing):
        await connection.execute(
            text(f"CREATE VIRTUAL TABLE search_index_rebuilt USING fts5({_COLUMNS}, {TOKENIZE}, {PREFIXES})")
        )
        columns = "rowid, record_id, kind, status, locale, article_kind, tags, title, body"
        await connection.execute(
            text(f"INSERT INTO search_index_rebuilt ({columns}) SELECT {columns} FROM search_index")  # noqa: S608 - constants
        )
        await connection.execute(text("DROP TABLE search_index"))
        await connection.execute(text("ALTER TABLE search_index_rebuilt RENAME TO search_index"))
    await connection.execute(text(CREATE_INDEX))
    await connection.execute(text(CREATE_VOCABULARY))


_stemmer_lock = threading.Lock()
_stemmer: sqlite3.Connection | None = None


@lru_cache(maxsize=4096)
def indexed_form(word: str) -> str:
    """``word`` as the index stores it (lower case, Porter-stemmed): FTS5 stems a prefix query's
    word the same way, so this is the prefix whose records ``"word"*`` matches. An in-memory
    FTS5 table with the index's tokenizer does the stemming, so the two can never disagree."""
    global _stemmer  # noqa: PLW0603 - one private in-memory table for the process
    with _stemmer_lock:
        if _stemmer is None:
            _stemmer = sqlite3.connect(":memory:", check_same_thread=False)
            _stemmer.execute(f"CREATE VIRTUAL TABLE words USING fts5(word, {TOKENIZE})")
            _stemmer.execute("CREATE VIRTUAL TABLE forms USING fts5vocab(words, 'instance')")
        _stemmer.execute("DELETE FROM words")
        _stemmer.execute("INSERT INTO words (word) VALUES (?)", (word,))
        row = _stemmer.execute("SELECT term FROM forms ORDER BY offset LIMIT 1").fetchone()
    return word if row is None else str(row[0])


def every_word(terms: Sequence[str]) -> str:
    """Matches records holding every word (each also as a word prefix)."""
    return " ".join(f'"{term}"*' for term in terms)


def any_word(terms: Sequence[str]) -> str:
    return " OR ".join(f'"{term}"*' for term in terms)


async def index_article(session: AsyncSession, row: ArticleRow) -> None:
    """(Re)index one article as it now is, in the caller's transaction (PostgreSQL needs no copy)."""
    if session.get_bind().dialect.name != "sqlite":
        return
    await session.execute(
        text("DELETE FROM search_index WHERE kind = :kind AND record_id = :id"), {"kind": ARTICLE, "id": row.id}
    )
    await session.execute(
        text(
            "INSERT INTO search_index (record_id, kind, status, locale, article_kind, tags, title, body) "
            "VALUES (:id, :kind, :status, :locale, :article_kind, :tags, :title, :body)"
        ),
        {
            "id": row.id,
            "kind": ARTICLE,
            "status": row.status,
            "locale": row.locale,
            "article_kind": row.kind,
            "tags": " ".join(row.tags),
            "title": row.title,
            "body": row.body,
        },
    )


class Fts5Search:
    def __init__(self, relational: RelationalStore, *, candidate_budget: int | None = CANDIDATE_BUDGET) -> None:
        """``candidate_budget=None`` ranks every record matching any word of a hybrid search (the
        way before the budget)."""
        self._relational = relational
        self._budget = candidate_budget

    async def index_missing(self, articles: Sequence[ArticleRow], solutions: Sequence[SolutionRow]) -> int:
        """Index the given records that are not in the index yet (idempotent); the number added."""
        async with self._relational.transaction() as session:
            indexed = {
                (kind, record_id)
                for kind, record_id in (await session.execute(text("SELECT kind, record_id FROM search_index"))).all()
            }
            added = 0
            for article in articles:
                if (ARTICLE, article.id) not in indexed:
                    await index_article(session, article)
                    added += 1
            rows = [
                {"id": row.id, "kind": SOLUTION, "status": "published", "title": row.title, "body": _solution_text(row)}
                for row in solutions
                if (SOLUTION, row.id) not in indexed
            ]
            if rows:
                await session.execute(
                    text(
                        "INSERT INTO search_index (record_id, kind, status, locale, article_kind, tags, title, body) "
                        "VALUES (:id, :kind, :status, NULL, NULL, '', :title, :body)"
                    ),
                    rows,
                )
            return added + len(rows)

    async def search(
        self, terms: Sequence[str], filters: SearchFilters, *, offset: int, limit: int, any_term: bool = False
    ) -> tuple[list[Hit], int]:
        """A page of published records holding every term (any, for hybrid candidates), best first, and how
        many there are in all (for candidates: how many were returned)."""
        expanding: list[BindParameter[Any]] = [bindparam("among", expanding=True)] if filters.among is not None else []
        if any_term:
            # One session for the words and the ranking: under load each session's round trips
            # to SQLite's thread cost milliseconds (bench/retrieval_profile.py).
            async with self._relational.reading() as session:
                kept = terms if self._budget is None else await self._rarest(session, terms, self._budget)
                if not kept:
                    return [], 0
                where, parameters = self._where(any_word(kept), filters)
                # every word of the question is marked, not only the ones ranked by
                words = {term.lower() for term in terms} | {indexed_form(term) for term in terms}
                hits = await self._candidates(
                    session, where, parameters, expanding, limit, words=words, filters=filters
                )
            return hits, 0
        where, parameters = self._where(every_word(terms), filters)
        page = text(
            f"SELECT record_id, kind, {RANK} AS score, "  # noqa: S608 - only constants are interpolated
            f"snippet(search_index, {TITLE_COLUMN}, :start, :end, :ellipsis, {SNIPPET_TOKENS}) AS title_highlight, "
            f"snippet(search_index, {BODY_COLUMN}, :start, :end, :ellipsis, {SNIPPET_TOKENS}) AS highlight "
            f"FROM search_index WHERE {where} ORDER BY score, kind, record_id LIMIT :limit OFFSET :offset"
        ).bindparams(*expanding)
        count = text(f"SELECT count(*) FROM search_index WHERE {where}").bindparams(*expanding)  # noqa: S608 - only constants are interpolated
        page_parameters = {
            **parameters,
            "start": HIGHLIGHT_START,
            "end": HIGHLIGHT_END,
            "ellipsis": ELLIPSIS,
            "limit": limit,
            "offset": offset,
        }
        async with self._relational.reading() as session:
            rows = (await session.execute(page, page_parameters)).all()
            total = int((await session.execute(count, parameters)).scalar_one())
        hits = [
            Hit(record_id=row[0], kind=row[1], score=-float(row[2]), title_highlight=row[3], highlight=row[4])
            for row in rows
        ]
        return hits, total

    async def _rarest(self, session: AsyncSession, terms: Sequence[str], budget: int) -> list[str]:
        """The rarest of ``terms`` (in the index's vocabulary) while the records they match, summed,
        stay within ``budget``; at least the rarest one that matches anything."""
        if not terms:
            return []
        forms = [indexed_form(term) for term in terms]
        parts = [
            f"SELECT {i}, coalesce(sum(doc), 0) FROM search_vocabulary WHERE term >= :low_{i} AND term < :high_{i}"  # noqa: S608 - only numbers are interpolated
            for i in range(len(forms))
        ]
        parameters: dict[str, Any] = {}
        for i, form in enumerate(forms):
            parameters[f"low_{i}"], parameters[f"high_{i}"] = form, form + _LAST_CHARACTER
        counts = (await session.execute(text(" UNION ALL ".join(parts)), parameters)).all()
        kept: list[str] = []
        spent = 0
        for matched, slot in sorted((int(matched), int(slot)) for slot, matched in counts if matched):
            if kept and spent + matched > budget:
                break
            kept.append(terms[slot])
            spent += matched
        return kept

    async def _candidates(  # noqa: PLR0913 - the query as built by search(), and the filters apart
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
        """The best ``limit`` matches of an any-word query that pass ``filters``, with ``words`` marked.

        The marks are made here (``highlights``), not by FTS5's ``snippet()``, which re-reads each
        hit's prefix matches from the index (measured at 50,000 passages: ~165 ms for 50 hits
        under load, against ~7 ms to read them).

        Ranked in two steps: every match's rowid and BM25 first, unfiltered (the filter columns
        are unindexed, so checking them reads each match's stored row: ~1,000 reads made the
        ranking ~8 ms at p50 and ~20 ms at p95, against ~1 ms without); then the stored rows of
        the best ``limit * CANDIDATE_WIDTH`` (and all tied with the last of them), filtered. When
        at least ``limit`` of those pass, they are the answer the one filtered query gives: every
        match left out scores worse than all of them. Otherwise that filtered query runs.
        """
        scored = list((await session.execute(_SCORED, {"match": parameters["match"]})).all())
        if not scored:
            return []
        scored.sort(key=lambda row: float(row[1]))
        cut = min(len(scored), limit * CANDIDATE_WIDTH)
        while cut < len(scored) and scored[cut][1] == scored[cut - 1][1]:
            cut += 1
        score_of = {int(rowid): float(score) for rowid, score in scored[:cut]}
        clauses, filter_parameters = filters.clauses()
        statement = text(
            "SELECT rowid, record_id, kind, title, body FROM search_index "  # noqa: S608 - only constants are interpolated
            f"WHERE rowid IN :rowids AND {' AND '.join(clauses)}"
        ).bindparams(bindparam("rowids", expanding=True), *expanding)
        stored = (await session.execute(statement, {**filter_parameters, "rowids": list(score_of)})).all()
        rows = [(r[1], r[2], score_of[int(r[0])], r[3], r[4]) for r in stored]
        rows.sort(key=lambda row: (row[2], row[1], row[0]))
        if len(rows) < limit and cut < len(scored):  # too few of the best passed: rank with the filter
            statement = text(
                f"SELECT record_id, kind, {RANK} AS score, title, body FROM search_index "  # noqa: S608 - only constants are interpolated
                f"WHERE {where} ORDER BY score, kind, record_id LIMIT :limit"
            ).bindparams(*expanding)
            rows = [tuple(r) for r in (await session.execute(statement, {**parameters, "limit": limit})).all()]
        return [
            Hit(
                record_id=r[0],
                kind=r[1],
                score=-float(r[2]),
                title_highlight=mark(r[3], words),
                highlight=excerpt(r[4] or "", words),
            )
            for r in rows[:limit]
        ]

    async def rank(
        self, term_lists: Sequence[Sequence[str]], *, kind: str, limit: int
    ) -> list[list[tuple[str, float]]]:
        """For each list of terms, the best ``kind`` records holding any of them: (id, score), best first.

        One statement per ``RANK_CHUNK`` lists (a UNION ALL of per-list top lists), so the
        suggestions of a whole page of tickets cost one round trip.
        """
        matches = [any_word(terms) for terms in term_lists]
        ranked: list[list[tuple[str, float]]] = [[] for _ in matches]
        async with self._relational.reading() as session:
            for start in range(0, len(matches), RANK_CHUNK):
                chunk = matches[start : start + RANK_CHUNK]
                parts = [
                    f"SELECT * FROM (SELECT {start + i} AS slot, record_id, {RANK} AS score FROM search_index "  # noqa: S608 - only numbers and constants are interpolated
                    f"WHERE search_index MATCH :match_{i} AND kind = :kind AND status = 'published' "
                    "ORDER BY score, record_id LIMIT :limit)"
                    for i in range(len(chunk))
                ]
                parameters: dict[str, Any] = {f"match_{i}": match for i, match in enumerate(chunk)}
                parameters.update(kind=kind, limit=limit)
                statement = text(" UNION ALL ".join(parts))
                for slot, record_id, score in (await session.execute(statement, parameters)).all():
                    ranked[slot].append((record_id, -float(score)))
        for hits in ranked:
            hits.sort(key=lambda hit: (-hit[1], hit[0]))
        return ranked

    async def allowed(self, record_ids: Sequence[str], filters: SearchFilters) -> set[str]:
        """The given records that are published and pass ``filters`` (vector candidates are found unfiltered)."""
        if not record_ids:
            return set()
        if filters.tag is None:
            return await self._allowed_by_key(record_ids, filters)
        clauses, parameters = filters.clauses()
        clauses.append("record_id IN :ids")
        parameters["ids"] = tuple(record_ids)
        expanding: list[BindParameter[Any]] = [bindparam("ids", expanding=True)]
        if filters.among is not None:
            expanding.append(bindparam("among", expanding=True))
        if filters.tag is not None:
            clauses.append("search_index MATCH :tag_match")
            parameters["tag_match"] = f'tags : "{filters.tag.replace(chr(34), chr(34) * 2)}"'
        statement = text(f"SELECT record_id FROM search_index WHERE {' AND '.join(clauses)}").bindparams(*expanding)  # noqa: S608 - only constants are interpolated
        async with self._relational.reading() as session:
            return {row[0] for row in (await session.execute(statement, parameters)).all()}

    async def _allowed_by_key(self, record_ids: Sequence[str], filters: SearchFilters) -> set[str]:
        """``allowed`` read from the records' own tables by primary key: FTS5 cannot look its
        unindexed ``record_id`` up, and scanning it took ~70 ms at 50,000 passages.

        The unary ``+`` keeps SQLite from answering the filters pushed into the subquery with
        ``ix_articles_status`` (every published article, ~15-60 ms at 50,000 passages) instead of
        the primary key (~0.2 ms for 60 ids, measured on the bench's scaled corpus)."""
        clauses, parameters = filters.clauses("d.")
        parameters["ids"] = tuple(record_ids)
        expanding: list[BindParameter[Any]] = [bindparam("ids", expanding=True)]
        if filters.among is not None:
            expanding.append(bindparam("among", expanding=True))
        statement = text(
            "SELECT d.record_id FROM ("  # noqa: S608 - only constants are interpolated
            "SELECT id AS record_id, 'article' AS kind, +status AS status, +locale AS locale, +kind AS article_kind "
            "FROM articles "
            "WHERE id IN :ids UNION ALL "
            "SELECT id, 'solution', 'published', NULL, NULL FROM solutions WHERE id IN :ids"
            f") d WHERE {' AND '.join(clauses)}"
        ).bindparams(*expanding)
        async with self._relational.reading() as session:
            return {row[0] for row in (await session.execute(statement, parameters)).all()}

    @staticmethod
    def _where(match: str, filters: SearchFilters) -> tuple[str, dict[str, Any]]:
        shared, parameters = filters.clauses()
        clauses = ["search_index MATCH :match", *shared]
        parameters["match"] = match
        if filters.tag is not None:  # a phrase in the tags column: "liberty-4-nc" matches that tag's tokens in order
            parameters["match"] = f'({match}) AND tags : "{filters.tag.replace(chr(34), chr(34) * 2)}"'
        return " AND ".join(clauses), parameters


class SearchRepository(Protocol):
    """What search needs of a store; ``Fts5Search`` on SQLite, ``PostgresSearch`` on PostgreSQL."""

    async def index_missing(self, articles: Sequence[ArticleRow], solutions: Sequence[SolutionRow]) -> int: ...

    async def search(
        self, terms: Sequence[str], filters: SearchFilters, *, offset: int, limit: int, any_term: bool = False
    ) -> tuple[list[Hit], int]: ...

    async def allowed(self, record_ids: Sequence[str], filters: SearchFilters) -> set[str]: ...

    async def rank(
        self, term_lists: Sequence[Sequence[str]], *, kind: str, limit: int
    ) -> list[list[tuple[str, float]]]: ...

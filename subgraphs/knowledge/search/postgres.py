"""Search on PostgreSQL: ``tsvector`` built from the articles and solutions tables as they are.

No copy of the records is kept (``index_missing`` has nothing to do, edits are seen at once): each
table carries its text vector in a column PostgreSQL generates, with a GIN index over it. Same contract as
``Fts5Search``: every word (as a prefix) for searches, any word for ticket suggestions, the title
weighted over the tags over the body, matches marked ``<mark>`` … ``</mark>``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import BindParameter, bindparam, text

from subgraphs.knowledge.search.highlights import HIGHLIGHT_END, HIGHLIGHT_START
from subgraphs.knowledge.search.repository import (
    RANK_CHUNK,
    SNIPPET_TOKENS,
    Hit,
    SearchFilters,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.ext.asyncio import AsyncConnection

    from kcp.stores.relational import RelationalStore
    from subgraphs.knowledge.tables import ArticleRow, SolutionRow

# The weighted text vector of each record, kept by PostgreSQL itself in a generated column with a
# GIN index (``ensure_index``): computed per query over every record instead, a search at 50,000
# passages read and parsed every body each time (the cost ``bench/retrieval.py`` measured).
STEPS_TEXT = (
    "CREATE OR REPLACE FUNCTION solution_steps_text(steps json) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "AS $$ SELECT string_agg(step, E'\\n') FROM json_array_elements_text(steps) AS step $$"
)
ARTICLE_VECTOR = (
    "setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', tags::text), 'B') || "
    "setweight(to_tsvector('english', coalesce(body, '')), 'C')"
)
SOLUTION_VECTOR = (
    "setweight(to_tsvector('english', title), 'A') || "
    "setweight(to_tsvector('english', coalesce(solution_steps_text(steps), '')), 'C')"
)
GENERATED = "tsvector GENERATED ALWAYS AS ({}) STORED"
ENSURE_INDEX = (
    STEPS_TEXT,
    f"ALTER TABLE articles ADD COLUMN IF NOT EXISTS search_vector {GENERATED.format(ARTICLE_VECTOR)}",
    f"ALTER TABLE solutions ADD COLUMN IF NOT EXISTS search_vector {GENERATED.format(SOLUTION_VECTOR)}",
    "CREATE INDEX IF NOT EXISTS articles_search_vector ON articles USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS solutions_search_vector ON solutions USING gin (search_vector)",
)
DOCUMENTS = (
    "SELECT a.id AS record_id, 'article' AS kind, a.status AS status, a.locale AS locale, "
    "a.kind AS article_kind, a.tags::jsonb AS tags, a.title AS title, a.body AS body, a.search_vector AS vector "
    "FROM articles a "
    "UNION ALL "
    "SELECT s.id, 'solution', 'published', NULL, NULL, '[]'::jsonb, s.title, solution_steps_text(s.steps), "
    "s.search_vector FROM solutions s"
)
# Written out (not a joined function scan) so the planner pushes the match into both halves of
# DOCUMENTS and answers it from their GIN indexes.
QUERY = "to_tsquery('english', :query)"
TITLE_OPTIONS = f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, HighlightAll=true"
BODY_OPTIONS = f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxWords={SNIPPET_TOKENS}, MinWords=5"


def _query(terms: Sequence[str], joiner: str) -> str:
    """A ``to_tsquery`` text: each term as a prefix. Terms are ``\\w+`` runs, so nothing else gets in."""
    return f" {joiner} ".join(f"{term}:*" for term in terms)


async def ensure_index(connection: AsyncConnection) -> None:
    """The generated text-vector columns and their GIN indexes (idempotent; in the service's schema)."""
    # Replicas starting together would race on the same catalog rows: one at a time.
    await connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('kcp.knowledge.search_vector'))"))
    for statement in ENSURE_INDEX:
        await connection.execute(text(statement))


# The same vector computed per query from the text: what searches did before the generated
# columns (``bench/retrieval.py`` times it as the baseline).
COMPUTED_VECTOR = (
    "(setweight(to_tsvector('english', d.title), 'A') || "
    "setweight(to_tsvector('english', d.tags::text), 'B') || "
    "setweight(to_tsvector('english', coalesce(d.body, '')), 'C'))"
)


class PostgresSearch:
    def __init__(self, relational: RelationalStore, *, stored_vectors: bool = True) -> None:
        self._relational = relational
        self._vector = "d.vector" if stored_vectors else COMPUTED_VECTOR

    async def index_missing(self, articles: Sequence[ArticleRow], solutions: Sequence[SolutionRow]) -> int:
        del articles, solutions  # searched where they are stored
        return 0

    async def search(
        self, terms: Sequence[str], filters: SearchFilters, *, offset: int, limit: int, any_term: bool = False
    ) -> tuple[list[Hit], int]:
        where, parameters = _where(filters)
        parameters["query"] = _query(terms, "|" if any_term else "&")
        expanding: list[BindParameter[Any]] = [bindparam("among", expanding=True)] if filters.among is not None else []
        source = f"FROM ({DOCUMENTS}) d WHERE {self._vector} @@ {QUERY} AND {where}"
        page = text(
            f"SELECT d.record_id, d.kind, ts_rank({self._vector}, {QUERY}) AS score, "
            f"ts_headline('english', d.title, {QUERY}, :title_options) AS title_highlight, "
            f"ts_headline('english', coalesce(d.body, ''), {QUERY}, :body_options) AS highlight "
            f"{source} ORDER BY score DESC, d.kind, d.record_id LIMIT :limit OFFSET :offset"
        ).bindparams(*expanding)
        count = text(f"SELECT count(*) {source}").bindparams(*expanding)
        page_parameters = {
            **parameters,
            "title_options": TITLE_OPTIONS,
            "body_options": BODY_OPTIONS,
            "limit": limit,
            "offset": offset,
        }
        async with self._relational.reading() as session:
            rows = (await session.execute(page, page_parameters)).all()
            # Candidates (any word) are not a page: counting every record holding any word is waste.
            total = 0 if any_term else int((await session.execute(count, parameters)).scalar_one())
        return [
            Hit(record_id=r[0], kind=r[1], score=float(r[2]), title_highlight=r[3], highlight=r[4]) for r in rows
        ], total

    async def allowed(self, record_ids: Sequence[str], filters: SearchFilters) -> set[str]:
        if not record_ids:
            return set()
        where, parameters = _where(filters)
        parameters["ids"] = tuple(record_ids)
        expanding: list[BindParameter[Any]] = [bindparam("ids", expanding=True)]
        if filters.among is not None:
            expanding.append(bindparam("among", expanding=True))
        statement = text(f"SELECT d.record_id FROM ({DOCUMENTS}) d WHERE d.record_id IN :ids AND {where}").bindparams(  # noqa: S608 - only constants are interpolated
            *expanding
        )
        async with self._relational.reading() as session:
            return {row[0] for row in (await session.execute(statement, parameters)).all()}

    async def rank(
        self, term_lists: Sequence[Sequence[str]], *, kind: str, limit: int
    ) -> list[list[tuple[str, float]]]:
        ranked: list[list[tuple[str, float]]] = [[] for _ in term_lists]
        async with self._relational.reading() as session:
            for start in range(0, len(term_lists), RANK_CHUNK):
                chunk = term_lists[start : start + RANK_CHUNK]
                parts = [
                    f"(SELECT {start + i} AS slot, d.record_id, "  # noqa: S608 - only numbers and constants are interpolated
                    f"ts_rank({self._vector}, to_tsquery('english', :query_{i})) "
                    f"AS score FROM ({DOCUMENTS}) d "
                    f"WHERE {self._vector} @@ to_tsquery('english', :query_{i}) "
                    "AND d.kind = :kind AND d.status = 'published' "
                    "ORDER BY score DESC, d.record_id LIMIT :limit)"
                    for i in range(len(chunk))
                ]
                parameters: dict[str, Any] = {f"query_{i}": _query(terms, "|") for i, terms in enumerate(chunk)}
                parameters.update(kind=kind, limit=limit)
                for slot, record_id, score in (
                    await session.execute(text(" UNION ALL ".join(parts)), parameters)
                ).all():
                    ranked[slot].append((record_id, float(score)))
        for hits in ranked:
            hits.sort(key=lambda hit: (-hit[1], hit[0]))
        return ranked


def _where(filters: SearchFilters) -> tuple[str, dict[str, Any]]:
    clauses, parameters = filters.clauses("d.")
    if filters.tag is not None:
        clauses.append("jsonb_exists(d.tags, :tag)")
        parameters["tag"] = filters.tag
    return " AND ".join(clauses), parameters

"""Search on PostgreSQL: ``tsvector`` built from the articles and solutions tables as they are.

No copy of the records is kept (``index_missing`` has nothing to do, edits are seen at once);
the vectors are computed per query, which is fine for a knowledge base of thousands of records.
A GIN expression index over the same ``VECTOR`` is the step when it grows. Same contract as
``Fts5Search``: every word (as a prefix) for searches, any word for ticket suggestions, the title
weighted over the tags over the body, matches marked ``<mark>`` … ``</mark>``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import BindParameter, bindparam, text

from subgraphs.knowledge.search.repository import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    RANK_CHUNK,
    SNIPPET_TOKENS,
    Hit,
    SearchFilters,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kcp.stores.relational import RelationalStore
    from subgraphs.knowledge.tables import ArticleRow, SolutionRow

DOCUMENTS = (
    "SELECT a.id AS record_id, 'article' AS kind, a.status AS status, a.locale AS locale, "
    "a.kind AS article_kind, a.tags::jsonb AS tags, a.title AS title, a.body AS body FROM articles a "
    "UNION ALL "
    "SELECT s.id, 'solution', 'published', NULL, NULL, '[]'::jsonb, s.title, "
    "(SELECT string_agg(step.value, E'\\n') FROM json_array_elements_text(s.steps::json) AS step(value)) "
    "FROM solutions s"
)
VECTOR = (
    "(setweight(to_tsvector('english', d.title), 'A') || "
    "setweight(to_tsvector('english', d.tags::text), 'B') || "
    "setweight(to_tsvector('english', coalesce(d.body, '')), 'C'))"
)
TITLE_OPTIONS = f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, HighlightAll=true"
BODY_OPTIONS = f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, MaxWords={SNIPPET_TOKENS}, MinWords=5"


def _query(terms: Sequence[str], joiner: str) -> str:
    """A ``to_tsquery`` text: each term as a prefix. Terms are ``\\w+`` runs, so nothing else gets in."""
    return f" {joiner} ".join(f"{term}:*" for term in terms)


class PostgresSearch:
    def __init__(self, relational: RelationalStore) -> None:
        self._relational = relational

    async def index_missing(self, articles: Sequence[ArticleRow], solutions: Sequence[SolutionRow]) -> int:
        del articles, solutions  # searched where they are stored
        return 0

    async def search(
        self, terms: Sequence[str], filters: SearchFilters, *, offset: int, limit: int, any_term: bool = False
    ) -> tuple[list[Hit], int]:
        where, parameters = _where(filters)
        parameters["query"] = _query(terms, "|" if any_term else "&")
        expanding: list[BindParameter[Any]] = [bindparam("among", expanding=True)] if filters.among is not None else []
        source = f"FROM ({DOCUMENTS}) d, to_tsquery('english', :query) q WHERE {VECTOR} @@ q AND {where}"
        page = text(
            f"SELECT d.record_id, d.kind, ts_rank({VECTOR}, q) AS score, "
            "ts_headline('english', d.title, q, :title_options) AS title_highlight, "
            "ts_headline('english', coalesce(d.body, ''), q, :body_options) AS highlight "
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
            total = int((await session.execute(count, parameters)).scalar_one())
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
                    f"(SELECT {start + i} AS slot, d.record_id, ts_rank({VECTOR}, q) AS score "  # noqa: S608 - only numbers and constants are interpolated
                    f"FROM ({DOCUMENTS}) d, to_tsquery('english', :query_{i}) q "
                    f"WHERE {VECTOR} @@ q AND d.kind = :kind AND d.status = 'published' "
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

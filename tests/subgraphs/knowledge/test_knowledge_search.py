"""Full-text search over published articles and solutions: ranking, highlights, filters, pages, events."""

from __future__ import annotations

import pytest
from knowledge_support import small_demo
from sqlalchemy import text

from kcp.stores.engines import sqlite_engine
from subgraphs.knowledge.search.repository import (
    CREATE_INDEX,
    PREFIXES,
    Fts5Search,
    SearchFilters,
    ensure_index,
    indexed_form,
)
from subgraphs.knowledge.seed import seed
from subgraphs.knowledge.stores import KnowledgeStores

SEARCH = """
query($q: String!, $kinds: [SearchResultKind!], $tag: String, $locale: String, $kind: ArticleKind,
      $first: Int! = 10, $after: String) {
  search(query: $q, kinds: $kinds, tag: $tag, locale: $locale, articleKind: $kind, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      score titleHighlight highlight
      result { __typename ... on Article { slug } ... on Solution { id } }
    } }
  }
}
"""


def found(body: dict) -> list[str]:
    return [
        edge["node"]["result"].get("slug") or edge["node"]["result"]["id"] for edge in body["data"]["search"]["edges"]
    ]


@pytest.mark.asyncio
async def test_search_ranks_articles_and_solutions_and_marks_the_matches(api) -> None:
    body = await api.gql(SEARCH, {"q": "LDAC"})

    assert "errors" not in body, body
    search = body["data"]["search"]
    assert search["totalCount"] == 2
    assert found(body) == ["ldac-faq", "sol-ldac-off"]  # the title hit ranks first
    top = search["edges"][0]["node"]
    assert top["titleHighlight"] == "<mark>LDAC</mark> FAQ"
    assert top["highlight"] == "What is <mark>LDAC</mark>? Hi-res audio."
    assert top["score"] > search["edges"][1]["node"]["score"] > 0
    assert search["edges"][1]["node"]["result"]["__typename"] == "Solution"


@pytest.mark.asyncio
async def test_every_word_must_match_as_a_prefix_or_a_stem_and_drafts_never_do(api) -> None:
    prefix = await api.gql(SEARCH, {"q": "pair"})  # pairing, Pair again
    both = await api.gql(SEARCH, {"q": "PAIRING firmware"})
    none = await api.gql(SEARCH, {"q": "pairing crackling"})
    punctuation = await api.gql(SEARCH, {"q": 'pairing" OR "*'})

    assert set(found(prefix)) == {"fix-pairing", "update-firmware", "sol-reset"}  # not the draft about pairing
    assert found(both) == ["update-firmware"]
    assert none["data"]["search"] == {
        "totalCount": 0,
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "edges": [],
    }
    assert "errors" not in punctuation  # FTS syntax in the query is plain words, never an error


@pytest.mark.asyncio
async def test_filters_narrow_to_kinds_tags_locales_and_article_kinds(api) -> None:
    solutions = await api.gql(SEARCH, {"q": "open app", "kinds": ["SOLUTION"]})
    guides = await api.gql(SEARCH, {"q": "app", "kind": "GUIDE", "kinds": ["ARTICLE"]})
    tagged = await api.gql(SEARCH, {"q": "pairing", "tag": "earbuds"})
    german = await api.gql(SEARCH, {"q": "pairing", "locale": "de-DE", "kinds": ["ARTICLE"]})

    assert set(found(solutions)) == {"sol-firmware", "sol-ldac-off"}
    assert found(guides) == ["update-firmware"]
    assert set(found(tagged)) == {"fix-pairing", "update-firmware"}  # solutions carry no tags
    assert german["data"]["search"]["totalCount"] == 0


@pytest.mark.asyncio
async def test_pages_follow_the_cursor_and_only_the_first_page_is_a_search_event(api, events) -> None:
    first = await api.gql(SEARCH, {"q": "pair", "first": 2})
    cursor = first["data"]["search"]["pageInfo"]["endCursor"]
    second = await api.gql(SEARCH, {"q": "pair", "first": 2, "after": cursor})
    await api.gql(SEARCH, {"q": "zzzz"})

    assert first["data"]["search"]["pageInfo"]["hasNextPage"] is True
    assert second["data"]["search"]["pageInfo"]["hasNextPage"] is False
    assert len(found(first)) == 2
    assert len(found(second)) == 1
    assert set(found(first)).isdisjoint(found(second))
    assert events.events == [
        ("search", {"query": "pair", "resultCount": 3}),
        ("search", {"query": "zzzz", "resultCount": 0}),
    ]


@pytest.mark.asyncio
async def test_a_product_keeps_its_own_solutions_and_articles_and_names_itself_in_the_event(api, events) -> None:
    liberty = await api.gql(
        "query($q: String!, $p: ID) { search(query: $q, product: $p) { edges { node { result { "
        "... on Article { slug } ... on Solution { id } } } } } }",
        {"q": "open app", "p": "prd-liberty-3-pro"},
    )
    space = await api.gql(
        "query($q: String!, $p: ID) { search(query: $q, product: $p) { totalCount } }",
        {"q": "open app", "p": "prd-space-one"},
    )

    assert found(liberty) == ["update-firmware", "sol-firmware"]  # not LDAC: Liberty 3 Pro has no crackling issue
    assert space["data"]["search"]["totalCount"] == 0
    assert events.events == [
        ("search", {"query": "open app", "resultCount": 2, "productId": "prd-liberty-3-pro"}),
        ("search", {"query": "open app", "resultCount": 0, "productId": "prd-space-one"}),
    ]


@pytest.mark.asyncio
async def test_hybrid_keyword_candidates_keep_the_rarest_words_within_their_budget(settings, new_progress) -> None:
    await seed(settings, small_demo(), new_progress())
    stores = KnowledgeStores.open(settings)
    await stores.ensure_schema()
    try:
        question = ["pairing", "ldac"]  # "pair" is in more records than "LDAC"
        ldac_only, _ = await Fts5Search(stores.relational).search(["ldac"], SearchFilters(), offset=0, limit=50)
        # A budget of one record keeps only the rarest word; no budget ranks every record holding any word.
        bounded, _ = await Fts5Search(stores.relational, candidate_budget=1).search(
            question, SearchFilters(), offset=0, limit=50, any_term=True
        )
        unbounded, _ = await Fts5Search(stores.relational, candidate_budget=None).search(
            question, SearchFilters(), offset=0, limit=50, any_term=True
        )
    finally:
        await stores.close()

    ldac = {"art-ldac-faq", "sol-ldac-off"}
    assert {hit.record_id for hit in bounded} == {hit.record_id for hit in ldac_only} == ldac
    assert {hit.record_id for hit in unbounded} > {hit.record_id for hit in bounded}
    assert "sol-reset" in {hit.record_id for hit in unbounded}
    top = next(hit for hit in bounded if hit.record_id == "art-ldac-faq")
    assert top.title_highlight == "<mark>LDAC</mark> FAQ"
    assert indexed_form("pairing") == "pair"  # FTS5's Porter stem: what "pairing"* matches


@pytest.mark.asyncio
async def test_a_hybrid_candidate_search_whose_words_are_in_no_record_finds_nothing(settings, new_progress) -> None:
    await seed(settings, small_demo(), new_progress())
    stores = KnowledgeStores.open(settings)
    await stores.ensure_schema()
    try:
        found, _ = await Fts5Search(stores.relational).search(
            ["zyzzyva", "qwxv"], SearchFilters(), offset=0, limit=50, any_term=True
        )
    finally:
        await stores.close()
    assert found == []


@pytest.mark.asyncio
async def test_an_index_made_before_prefix_indexes_is_rebuilt_with_its_rows(tmp_path) -> None:
    engine = sqlite_engine(tmp_path / "old.sqlite3", pool_size=1)
    old = CREATE_INDEX.replace(f", {PREFIXES}", "")
    async with engine.begin() as connection:
        await connection.execute(text(old))
        await connection.execute(
            text(
                "INSERT INTO search_index (rowid, record_id, kind, status, locale, article_kind, tags, title, body) "
                "VALUES (7, 'art-1', 'article', 'published', 'en-US', 'faq', 'ldac', 'LDAC explained', 'In my app')"
            )
        )
    async with engine.begin() as connection:
        await ensure_index(connection)
    async with engine.connect() as connection:
        made = await connection.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'search_index'"))
        rows = (
            await connection.execute(text("SELECT rowid, record_id FROM search_index WHERE search_index MATCH 'm*'"))
        ).all()
        documents = await connection.scalar(text("SELECT doc FROM search_vocabulary WHERE term = 'ldac'"))
    await engine.dispose()

    assert PREFIXES in str(made)
    assert [tuple(row) for row in rows] == [(7, "art-1")]
    assert documents == 1

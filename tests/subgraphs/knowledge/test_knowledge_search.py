"""Full-text search over published articles and solutions: ranking, highlights, filters, pages, events."""

from __future__ import annotations

import pytest

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

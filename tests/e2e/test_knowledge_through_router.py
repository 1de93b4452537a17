"""The knowledge domain through the router: find a product, walk its graph, search, edit articles."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import httpx
import pytest

import demo

if TYPE_CHECKING:
    from commands.launcher import Platform

pytestmark = pytest.mark.e2e


def gql(platform: Platform, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    response = httpx.post(
        platform.router_url, json={"query": query, "variables": variables or {}}, headers=headers, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.json()


def login(platform: Platform, email: str) -> str:
    body = gql(
        platform,
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }",
        {"e": email, "p": demo.generate().demo_password},
    )
    token: str = body["data"]["login"]["accessToken"]
    return token


WALK = """
query($slug: String!) {
  productBySlug(slug: $slug) {
    id name
    firmware { version }
    accessories { slug }
    knownIssues { id severity affectedFirmware { version product { slug } }
      solutions { id steps articles { slug status } } }
    related(depth: 2, kinds: [SOLUTION], first: 50) { distance node { ... on Solution { id } } }
  }
}
"""


def test_find_a_product_and_walk_its_graph_to_a_solution_article(platform: Platform) -> None:
    data = demo.generate()
    earbuds = gql(
        platform,
        '{ products(category: "earbuds", sort: NEWEST, first: 5) { totalCount edges { node { slug releasedAt } } } }',
    )["data"]["products"]
    assert earbuds["totalCount"] == sum(p.category_id == "cat-earbuds" for p in data.products)
    dates = [edge["node"]["releasedAt"] for edge in earbuds["edges"]]
    assert dates == sorted(dates, reverse=True)

    issues_of = {pid for pid, _ in data.affected_by}
    accessorised = {device for _, device in data.accessory_for}
    product = next(p for p in data.products if p.id in issues_of and p.id in accessorised)
    body = gql(platform, WALK, {"slug": product.slug})

    assert "errors" not in body, body
    found = body["data"]["productBySlug"]
    assert [f["version"] for f in found["firmware"]] == list(product.firmware_versions)
    by_id = {p.id: p.slug for p in data.products}
    assert sorted(a["slug"] for a in found["accessories"]) == sorted(
        by_id[a] for a, device in data.accessory_for if device == product.id
    )
    assert {i["id"] for i in found["knownIssues"]} == {i for p, i in data.affected_by if p == product.id}
    for issue in found["knownIssues"]:
        expected = {f for i, f in data.affects_firmware if i == issue["id"]}
        assert {f"prd-{f['product']['slug']}@{f['version']}" for f in issue["affectedFirmware"]} == expected
    solution_ids = {s["id"] for issue in found["knownIssues"] for s in issue["solutions"]}
    assert {r["node"]["id"] for r in found["related"]} == solution_ids
    assert {r["distance"] for r in found["related"]} == {2}
    articles = [a for issue in found["knownIssues"] for s in issue["solutions"] for a in s["articles"]]
    assert articles, "a demo product with known issues has documented solutions"
    assert {a["status"] for a in articles} == {"PUBLISHED"}


def test_path_from_a_product_to_a_solution_article(platform: Platform) -> None:
    data = demo.generate()
    product_id, issue_id = data.affected_by[0]
    solution_id = next(s for i, s, _ in data.resolved_by if i == issue_id)
    published = {a.id for a in data.articles if a.status == "published"}
    article_id = next(a for s, a in data.documented_in if s == solution_id and a in published)

    body = gql(
        platform,
        "query($from: ID!, $to: ID!) { path(from: $from, to: $to, maxDepth: 3) { length nodes { __typename } } }",
        {"from": product_id, "to": article_id},
    )

    assert "errors" not in body, body
    path = body["data"]["path"]
    assert path["length"] == 3
    kinds = [n["__typename"] for n in path["nodes"]]
    assert (len(kinds), kinds[0], kinds[-1]) == (4, "Product", "Article")


def test_search_highlights_published_articles_and_solutions(platform: Platform) -> None:
    body = gql(
        platform,
        '{ search(query: "firmware update", first: 5) { totalCount pageInfo { hasNextPage } '
        "edges { node { highlight result { __typename ... on Article { status } } } } } }",
    )

    assert "errors" not in body, body
    search = body["data"]["search"]
    assert search["totalCount"] > 5
    assert search["pageInfo"]["hasNextPage"] is True
    assert all("<mark>" in edge["node"]["highlight"] for edge in search["edges"])
    assert {
        edge["node"]["result"]["status"]
        for edge in search["edges"]
        if edge["node"]["result"]["__typename"] == "Article"
    } <= {"PUBLISHED"}


def test_a_hybrid_search_without_an_index_says_so_through_the_router(platform: Platform) -> None:
    # The platform is seeded but `kcp index` has not run: hybrid search answers with keywords
    # only, and the client must learn it from the router's response, not only from knowledge's.
    query = 'query($mode: SearchMode) { search(query: "firmware update", first: 3, mode: $mode) { totalCount } }'
    hybrid = gql(platform, query)
    again = gql(platform, query)  # anonymous and public: a cached answer would drop the label later
    keyword = gql(platform, query, {"mode": "KEYWORD"})

    assert hybrid["extensions"] == {"retrieval": {"degraded": "KEYWORD_ONLY:NOT_INDEXED"}}
    assert again["extensions"] == hybrid["extensions"]
    assert "extensions" not in keyword
    assert hybrid["data"] == keyword["data"]
    assert hybrid["data"]["search"]["totalCount"] > 0


def test_tickets_get_suggested_solutions_from_their_own_text(platform: Platform) -> None:
    data = demo.generate()
    ticket = data.tickets[0]
    admin = login(platform, "admin@soundcore.example")

    body = gql(
        platform,
        "query($id: ID!) { ticket(id: $id) { id subject suggestedSolutions(first: 3) { id title } } }",
        {"id": ticket.id},
        token=admin,
    )

    assert "errors" not in body, body
    found = body["data"]["ticket"]
    assert found["subject"] == ticket.subject
    suggested = found["suggestedSolutions"]
    assert 1 <= len(suggested) <= 3
    assert {s["id"] for s in suggested} <= {s.id for s in data.solutions}


def test_an_editor_writes_reviews_and_publishes_an_article(platform: Platform) -> None:
    editor = login(platform, "editor@soundcore.example")
    created = gql(
        platform,
        "mutation($input: CreateArticleInput!) { createArticle(input: $input) { id status version } }",
        {
            "input": {
                "slug": "e2e-router-article",
                "title": "Router-made guide",
                "kind": "GUIDE",
                "body": "# Quasar pairing\n\nA zyzzyva step.",
                "tags": ["e2e"],
            }
        },
        token=editor,
    )
    assert "errors" not in created, created
    article_id = created["data"]["createArticle"]["id"]
    move = "mutation($id: ID!, $to: ArticleStatus!) { transitionArticle(id: $id, to: $to) { status version } }"

    # As the editor: the router caches anonymous answers for CACHE_TTL, and a list that gains a
    # record cannot be purged by entity, so an anonymous search may show the change only later.
    hidden = gql(platform, '{ search(query: "zyzzyva") { totalCount } }', token=editor)
    assert gql(platform, move, {"id": article_id, "to": "REVIEW"}, editor)["data"]["transitionArticle"] == {
        "status": "REVIEW",
        "version": 2,
    }
    published = gql(platform, move, {"id": article_id, "to": "PUBLISHED"}, editor)
    history = gql(
        platform,
        "query($id: ID!) { article(id: $id) { versions { number change status author { id email } } } }",
        {"id": article_id},
        editor,
    )
    shown = gql(platform, '{ search(query: "zyzzyva") { totalCount } }', token=editor)

    assert hidden["data"]["search"]["totalCount"] == 0
    assert published["data"]["transitionArticle"] == {"status": "PUBLISHED", "version": 3}
    versions = history["data"]["article"]["versions"]
    assert [(v["number"], v["change"], v["status"]) for v in versions] == [
        (3, "STATUS_CHANGED", "PUBLISHED"),
        (2, "STATUS_CHANGED", "REVIEW"),
        (1, "CREATED", "DRAFT"),
    ]
    assert {v["author"]["email"] for v in versions} == {"editor@soundcore.example"}  # resolved by auth
    assert shown["data"]["search"]["totalCount"] == 1


def test_refusals_through_the_router(platform: Platform) -> None:
    agent = login(platform, "agent@soundcore.example")
    create = 'mutation { createArticle(input: {slug: "nope-e2e", title: "T", kind: FAQ, body: "B"}) { id } }'
    anonymous = gql(platform, create)
    forbidden = gql(platform, create, token=agent)
    illegal = gql(
        platform,
        "mutation($id: ID!) { transitionArticle(id: $id, to: ARCHIVED) { status } }",
        {"id": next(a.id for a in demo.generate().articles if a.status == "draft")},
        login(platform, "editor@soundcore.example"),
    )
    too_deep = gql(platform, "{ products(first: 1) { edges { node { related(depth: 4) { kind } } } } }")

    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert illegal["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert illegal["errors"][0]["extensions"]["from"] == "DRAFT"
    assert too_deep["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "`depth` must be between 1 and 3" in too_deep["errors"][0]["message"]


def _events_sent(platform: Platform) -> float:
    metrics = httpx.get(f"{platform.url('knowledge')}/metrics", timeout=5).text
    for line in metrics.splitlines():
        if line.startswith('kcp_events_sent_total{service="knowledge"}'):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_searches_reach_analytics_off_the_request_path(platform: Platform) -> None:
    before = _events_sent(platform)

    body = gql(platform, '{ search(query: "bluetooth pairing") { totalCount } }')

    assert "errors" not in body, body
    # Delivery is asynchronous (a background batch): wait for it, however long the machine takes.
    deadline = time.monotonic() + 30
    while _events_sent(platform) <= before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _events_sent(platform) > before


def test_customers_and_partners_read_published_knowledge_but_never_drafts(platform: Platform) -> None:
    customer = login(platform, "customer@soundcore.example")
    partner = login(platform, "partner@soundcore.example")
    draft = next(a for a in demo.generate().articles if a.status == "draft")
    published = next(a for a in demo.generate().articles if a.status == "published")
    query = "query($id: ID!) { article(id: $id) { id status } }"

    for token in (customer, partner):
        assert gql(platform, query, {"id": draft.id}, token) == {"data": {"article": None}}
        assert gql(platform, query, {"id": published.id}, token)["data"]["article"]["status"] == "PUBLISHED"
        drafts = gql(platform, "{ articles(statuses: [DRAFT]) { totalCount } }", token=token)
        assert drafts["errors"][0]["extensions"]["code"] == "FORBIDDEN"

"""Analytics through the router: anonymous and service events, idempotency, metrics, entity analytics, refusals."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import TYPE_CHECKING, Any

import httpx
import pytest

import demo

if TYPE_CHECKING:
    from commands.launcher import Platform

pytestmark = pytest.mark.e2e

LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }"
TRACK = "mutation($i: [TrackEventInput!]!) { trackEvents(inputs: $i) { id kind clientEventId } }"
WINDOW = {"from": "2026-01-01T00:00:00Z", "to": "2026-11-01T00:00:00Z"}


def gql(platform: Platform, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    response = httpx.post(
        platform.router_url, json={"query": query, "variables": variables or {}}, headers=headers, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.json()


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


@pytest.fixture(scope="module")
def tokens(platform: Platform) -> dict[str, str]:
    found = {}
    for role in ("analyst", "customer", "editor"):
        body = gql(platform, LOGIN, {"e": f"{role}@soundcore.example", "p": "soundcore-demo"})
        found[role] = body["data"]["login"]["accessToken"]
    return found


METRICS = """query($from: DateTime!, $to: DateTime!) { metrics(from: $from, to: $to) {
  searchVolume(bucket: WEEK) { start count }
  zeroResultQueries(first: 3) { query count averageResults }
  topArticles(first: 1) { article { id title } views helpfulness }
  ticketsByProduct(first: 3) { product { id name } created solved deflected deflectionRate }
  generationsByProvider { provider count }
  activeUserCount
} }"""


def test_metrics_over_the_demo_year_match_the_demo_events(platform: Platform, tokens: dict[str, str]) -> None:
    data = demo.generate()
    body = gql(platform, METRICS, WINDOW, tokens["analyst"])
    assert "errors" not in body, body["errors"]
    metrics = body["data"]["metrics"]
    searches = [e for e in data.events if e.kind == "search"]
    assert sum(b["count"] for b in metrics["searchVolume"]) >= len(searches)  # later tests may add searches
    assert metrics["searchVolume"][0]["start"] == "2025-12-29T00:00:00+00:00"  # the Monday of the week of Jan 1
    zero = Counter(e.query.lower() for e in searches if e.result_count == 0 and e.query)
    top_gap = metrics["zeroResultQueries"][0]
    assert (top_gap["count"], top_gap["averageResults"]) == (zero.most_common(1)[0][1], 0.0)
    assert metrics["topArticles"][0]["article"]["title"]  # the router joined knowledge's article
    busiest = metrics["ticketsByProduct"][0]
    created = Counter(e.product_id for e in data.events if e.kind == "ticket_created")
    assert busiest["created"] == created.most_common(1)[0][1]
    assert busiest["product"]["name"]
    assert 0 <= busiest["deflectionRate"] <= 1
    assert {p["provider"] for p in metrics["generationsByProvider"]} == {"template"}
    assert metrics["activeUserCount"] == len({e.user_id for e in data.events if e.user_id})


def test_metrics_need_analytics_read(platform: Platform, tokens: dict[str, str]) -> None:
    # metrics is @requiresScopes(analytics:read): the router removes it for these callers.
    assert codes(gql(platform, METRICS, WINDOW)) == ["UNAUTHORIZED_FIELD_OR_TYPE"]
    assert codes(gql(platform, METRICS, WINDOW, tokens["customer"])) == ["UNAUTHORIZED_FIELD_OR_TYPE"]
    too_many = gql(
        platform,
        "query($from: DateTime!, $to: DateTime!) "
        "{ metrics(from: $from, to: $to) { searchVolume(bucket: HOUR) { count } } }",
        WINDOW,
        tokens["analyst"],
    )
    assert codes(too_many) == ["BAD_USER_INPUT"]


def test_visitors_send_client_events_once_and_never_server_events(platform: Platform, tokens: dict[str, str]) -> None:
    # A product without tickets: no other e2e module looks at its counts (the data folder is shared).
    data = demo.generate()
    product = next(p for p in data.products if not any(t.product_id == p.id for t in data.tickets))
    key = f"e2e-{uuid.uuid4().hex}"
    view = {"kind": "PAGE_VIEW", "productId": product.id, "clientEventId": key}
    query = "query($id: ID!) { product(id: $id) { name analytics { pageViews ticketsCreated } } }"
    # Counts read signed in: the router's response cache keeps anonymous answers only.
    before = gql(platform, query, {"id": product.id}, tokens["analyst"])["data"]["product"]
    first = gql(platform, TRACK, {"i": [view]})["data"]["trackEvents"]
    again = gql(platform, TRACK, {"i": [view, view]})["data"]["trackEvents"]
    assert again == [first[0], first[0]]
    after = gql(platform, query, {"id": product.id}, tokens["analyst"])["data"]["product"]
    assert after["analytics"]["pageViews"] == before["analytics"]["pageViews"] + 1

    ticket = {"kind": "TICKET_CREATED", "ticketId": "tkt-fake", "productId": product.id}
    assert codes(gql(platform, TRACK, {"i": [ticket]})) == ["UNAUTHENTICATED"]
    assert codes(gql(platform, TRACK, {"i": [ticket]}, tokens["customer"])) == ["FORBIDDEN"]
    spoof = {"kind": "PAGE_VIEW", "productId": product.id, "userId": "usr-0001"}
    assert codes(gql(platform, TRACK, {"i": [spoof]}, tokens["customer"])) == ["FORBIDDEN"]
    assert codes(gql(platform, TRACK, {"i": [{"kind": "ARTICLE_VIEW"}]})) == ["BAD_USER_INPUT"]
    final = gql(platform, query, {"id": product.id}, tokens["analyst"])["data"]["product"]["analytics"]
    assert final == {
        "pageViews": before["analytics"]["pageViews"] + 1,
        "ticketsCreated": before["analytics"]["ticketsCreated"],
    }


def test_product_and_article_analytics_join_knowledge(platform: Platform) -> None:
    data = demo.generate()
    solved = Counter(e.product_id for e in data.events if e.kind == "ticket_solved")
    product_id, count = solved.most_common(1)[0]
    body = gql(
        platform,
        """query($id: ID!) { product(id: $id) { name analytics { ticketsSolved ticketsDeflected deflectionRate }
           articles { id title analytics { views helpfulVotes unhelpfulVotes helpfulness } } } }""",
        {"id": product_id},
    )
    assert "errors" not in body, body["errors"]
    product = body["data"]["product"]
    deflected = sum(1 for e in data.events if e.kind == "ticket_solved" and e.product_id == product_id and e.deflected)
    assert product["analytics"] == {
        "ticketsSolved": count,
        "ticketsDeflected": deflected,
        "deflectionRate": deflected / count,
    }
    views = Counter(e.article_id for e in data.events if e.kind == "article_view")
    for article in product["articles"]:
        assert article["analytics"]["views"] >= views[article["id"]]

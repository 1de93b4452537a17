"""The whole platform over HTTP: one query spanning the subgraphs, service endpoints, bad input."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
import pytest

import demo
from commands.subgraphs import SUBGRAPHS

if TYPE_CHECKING:
    from commands.launcher import Platform

pytestmark = pytest.mark.e2e

PRODUCT_QUERY = """
query Product($slug: String!) {
  productBySlug(slug: $slug) {
    id
    name
    features { name }
    knownIssues { id title solutions { title steps } }
    content { title }
    tickets(first: 100) { id subject customer { email } }
    analytics { ticketsCreated }
  }
}
"""


def post(platform: Platform, body: Any, **headers: str) -> httpx.Response:
    return httpx.post(platform.router_url, json=body, headers=headers, timeout=30)


def agent_token(platform: Platform) -> str:
    """An access token of the demo support agent (tickets are personal data: reading them needs one)."""
    login = post(
        platform,
        {
            "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }",
            "variables": {"e": "agent@soundcore.example", "p": demo.generate().demo_password},
        },
    )
    token: str = login.json()["data"]["login"]["accessToken"]
    return token


def test_one_query_returns_data_from_every_domain(platform: Platform) -> None:
    data = demo.generate()
    product = next(
        p
        for p in data.products
        if any(t.product_id == p.id for t in data.tickets)
        and any(c.product_id == p.id and c.status == "published" for c in data.content_items)
        and any(a[0] == p.id for a in data.affected_by)
    )
    response = post(
        platform,
        {"query": PRODUCT_QUERY, "variables": {"slug": product.slug}},
        Authorization=f"Bearer {agent_token(platform)}",
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    result = body["data"]["productBySlug"]

    features = {f.id: f.name for f in data.features}
    assert result["name"] == product.name
    assert sorted(f["name"] for f in result["features"]) == sorted(
        features[to] for frm, to in data.has_feature if frm == product.id
    )
    issue_ids = {to for frm, to in data.affected_by if frm == product.id}
    assert {issue["id"] for issue in result["knownIssues"]} == issue_ids
    solutions = {s.id: s for s in data.solutions}
    first_issue = result["knownIssues"][0]
    positions = sorted(data.resolved_by, key=lambda r: r[2])
    expected_solutions = [solutions[s] for i, s, _ in positions if i == first_issue["id"]]
    assert [s["title"] for s in first_issue["solutions"]] == [s.title for s in expected_solutions]
    assert [s["steps"] for s in first_issue["solutions"]] == [list(s.steps) for s in expected_solutions]

    # The support agent holds content:read, so sees every item, not only the published ones.
    assert sorted(c["title"] for c in result["content"]) == sorted(
        c.title for c in data.content_items if c.product_id == product.id
    )
    tickets = sorted((t for t in data.tickets if t.product_id == product.id), key=lambda t: t.created_at, reverse=True)
    assert len(tickets) <= 100, "the demo product chosen must fit in one page"
    assert [t["id"] for t in result["tickets"]] == [t.id for t in tickets]
    emails = {u.id: u.email for u in data.users}
    by_id = {t.id: t for t in tickets}
    for ticket in result["tickets"]:
        assert ticket["customer"]["email"] == emails[by_id[ticket["id"]].customer_id]
    created = sum(1 for e in data.events if e.kind == "ticket_created" and e.product_id == product.id)
    assert result["analytics"]["ticketsCreated"] == created


def test_every_process_serves_health_ready_and_metrics(platform: Platform) -> None:
    for name in (*SUBGRAPHS, "router"):
        base = platform.url(name)
        assert httpx.get(f"{base}/health", timeout=5).status_code == 200, name
        assert httpx.get(f"{base}/ready", timeout=5).status_code == 200, name
        metrics = httpx.get(f"{base}/metrics", timeout=5)
        assert metrics.status_code == 200, name
        assert "http_requests_total" in metrics.text, name


def test_graphiql_is_served_to_browsers(platform: Platform) -> None:
    response = httpx.get(platform.router_url, headers={"Accept": "text/html"}, timeout=5)
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    assert "graphiql" in response.text.lower()


def test_login_then_me_through_the_router(platform: Platform) -> None:
    login = post(
        platform,
        {
            "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }",
            "variables": {"e": "agent@soundcore.example", "p": demo.generate().demo_password},
        },
    )
    assert login.status_code == 200, login.text
    token = login.json()["data"]["login"]["accessToken"]
    me = post(platform, {"query": "{ me { email role } }"}, Authorization=f"Bearer {token}")
    assert me.json() == {"data": {"me": {"email": "agent@soundcore.example", "role": "SUPPORT_AGENT"}}}


def test_wrong_password_is_a_coded_error(platform: Platform) -> None:
    response = post(
        platform,
        {"query": 'mutation { login(email: "agent@soundcore.example", password: "nope") { accessToken } }'},
    )
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert body.get("data") is None


@pytest.mark.parametrize(
    ("body", "code"),
    [
        pytest.param(b"{not json", "BAD_REQUEST", id="malformed-json"),
        pytest.param(b'{"variables": {}}', "BAD_REQUEST", id="missing-query"),
        pytest.param(b'{"query": 42}', "BAD_REQUEST", id="query-not-a-string"),
        pytest.param(b'{"query": "{ productBySlug(slug: \\"x\\") { name "}', "GRAPHQL_PARSE_FAILED", id="syntax-error"),
        pytest.param(
            b'{"query": "{ productBySlug(slug: \\"x\\") { nope } }"}', "GRAPHQL_VALIDATION_FAILED", id="unknown-field"
        ),
    ],
)
def test_bad_input_gets_a_4xx_and_a_coded_error(platform: Platform, body: bytes, code: str) -> None:
    # A client asking for application/graphql-response+json gets 4xx statuses for request errors.
    headers = {"Content-Type": "application/json", "Accept": "application/graphql-response+json"}
    response = httpx.post(platform.router_url, content=body, headers=headers, timeout=10)
    assert 400 <= response.status_code < 500, response.text
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == code
    assert error["message"]
    assert "Traceback" not in response.text
    if code in {"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"}:
        assert error["locations"][0]["line"] == 1


def test_router_survives_bad_input_and_keeps_serving(platform: Platform) -> None:
    for _ in range(3):
        httpx.post(platform.router_url, content=b"\xff\xfe", headers={"Content-Type": "application/json"}, timeout=5)
    response = post(platform, {"query": "{ __typename }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


def test_the_query_graphiql_opens_with_runs_cleanly(platform: Platform) -> None:
    from router.graphiql import DEFAULT_QUERY  # noqa: PLC0415 - the page's own text, as a browser gets it

    response = post(platform, {"query": DEFAULT_QUERY})
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body, body["errors"]
    product = body["data"]["productBySlug"]
    assert product["name"] == "Liberty 4 NC"
    assert all(product[field] for field in ("features", "knownIssues", "content", "openTicketCount", "analytics"))

"""The router's edge over HTTP: CSRF, rate limit, APQ, response cache, introspection, cost."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio
from router_harness import Subgraphs, fixture_sdls, router_client, settings, write_supergraph

from router.app import create_app
from router.compose import compose

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    import httpx

pytestmark = pytest.mark.asyncio

TOP = "{ topProducts(first: 2) { upc name } }"


def edge_router(subgraphs: Subgraphs, tmp_path: Path, **overrides: Any) -> Any:
    return create_app(settings(**overrides), write_supergraph(tmp_path, subgraphs.urls))


def queries_to(subgraphs: Subgraphs, name: str) -> int:
    return len([b for b in subgraphs.recorders[name].bodies if "_service" not in b.get("query", "")])


@pytest_asyncio.fixture
async def client(subgraphs: Subgraphs, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    subgraphs.clear()
    async with router_client(edge_router(subgraphs, tmp_path)) as http:
        yield http


async def test_simple_requests_a_browser_could_forge_are_refused(client: httpx.AsyncClient) -> None:
    del client.headers["apollo-require-preflight"]
    form = await client.post("/graphql", content=b'{"query": "{ __typename }"}', headers={"content-type": "text/plain"})
    get = await client.get("/graphql", params={"query": "{ __typename }"}, headers={"accept": "application/json"})
    for refused in (form, get):
        assert refused.status_code == 400
        assert refused.json()["errors"][0]["extensions"]["code"] == "CSRF_PREVENTED"
    json_post = await client.post("/graphql", json={"query": "{ __typename }"})
    assert json_post.json() == {"data": {"__typename": "Query"}}


async def test_each_client_gets_its_allowance_then_a_429(subgraphs: Subgraphs, tmp_path: Path) -> None:
    async with router_client(edge_router(subgraphs, tmp_path, rate_limit_per_minute=3)) as http:
        statuses = [(await http.post("/graphql", json={"query": "{ __typename }"})).status_code for _ in range(4)]
        refused = await http.post("/graphql", json={"query": "{ __typename }"})
    assert statuses == [200, 200, 200, 429]
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    error = refused.json()["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["extensions"]["maximum"] == 3


async def test_automatic_persisted_queries_round_trip(client: httpx.AsyncClient) -> None:
    digest = hashlib.sha256(TOP.encode()).hexdigest()
    persisted = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    extensions = json.dumps(persisted)
    unknown = await client.get("/graphql", params={"extensions": extensions})
    assert unknown.status_code == 200
    assert unknown.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    registered = await client.post("/graphql", json={"query": TOP, "extensions": persisted})
    assert registered.json()["data"]["topProducts"][0]["name"] == "Table"
    by_hash = await client.get("/graphql", params={"extensions": extensions})
    assert by_hash.json() == registered.json()
    assert by_hash.headers["cache-control"] == "public, max-age=300"  # a CDN may keep it
    mismatch = await client.post("/graphql", json={"query": "{ __typename }", "extensions": persisted})
    assert mismatch.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"


async def test_public_answers_are_cached_until_a_mutation_changes_their_entity(
    client: httpx.AsyncClient, subgraphs: Subgraphs
) -> None:
    # A product of this test's own: the fixture subgraphs are shared by the whole session.
    create = 'mutation { createProduct(upc: "edge-1", name: "Stool", price: 5) { upc name } }'
    query = '{ product(upc: "edge-1") { upc name } }'
    await client.post("/graphql", json={"query": create})
    first = await client.post("/graphql", json={"query": query})
    second = await client.post("/graphql", json={"query": query})
    assert second.content == first.content
    assert queries_to(subgraphs, "products") == 2  # the creation, then one read for both queries
    changed = await client.post("/graphql", json={"query": create})
    assert changed.headers["cache-control"] == "no-store"
    await client.post("/graphql", json={"query": query})
    assert queries_to(subgraphs, "products") == 4  # the mutation purged the cached read


async def test_introspection_is_off_in_production(subgraphs: Subgraphs, tmp_path: Path) -> None:
    async with router_client(edge_router(subgraphs, tmp_path, kcp_production=True)) as http:
        refused = await http.post("/graphql", json={"query": "{ __schema { queryType { name } } }"})
        allowed = await http.post("/graphql", json={"query": "{ __typename }"})
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["extensions"]["code"] == "INTROSPECTION_DISABLED"
    assert allowed.json() == {"data": {"__typename": "Query"}}


async def test_an_operation_over_the_cost_budget_is_refused_with_its_figures(
    subgraphs: Subgraphs, tmp_path: Path
) -> None:
    async with router_client(edge_router(subgraphs, tmp_path, kcp_cost_budget=50)) as http:
        cheap = await http.post("/graphql", json={"query": "{ topProducts(first: 5) { name } }"})
        costly = await http.post(
            "/graphql",
            json={"query": "{ topProducts(first: 10) { reviews { author { username } } } }"},
            headers={"accept": "application/graphql-response+json"},
        )
    assert "errors" not in cheap.json()
    assert costly.status_code == 400
    error = costly.json()["errors"][0]
    assert error["extensions"]["code"] == "COST_LIMIT_EXCEEDED"
    assert error["extensions"]["maximum"] == 50
    assert error["extensions"]["actual"] == 10 + 100 + 100


async def test_the_cost_of_one_document_follows_its_list_size_variables(subgraphs: Subgraphs, tmp_path: Path) -> None:
    # The estimate is kept per document and list sizes: the same text with a larger page is refused.
    query = "query($n: Int) { topProducts(first: $n) { reviews { author { username } } } }"
    async with router_client(edge_router(subgraphs, tmp_path, kcp_cost_budget=50)) as http:
        answers = [await http.post("/graphql", json={"query": query, "variables": {"n": n}}) for n in (2, 10, 2, 10)]
    codes = [[e["extensions"]["code"] for e in answer.json().get("errors", ())] for answer in answers]
    assert codes == [[], ["COST_LIMIT_EXCEEDED"], [], ["COST_LIMIT_EXCEEDED"]]
    assert answers[1].json()["errors"][0]["extensions"]["actual"] == 10 + 100 + 100


async def test_fields_a_caller_may_not_see_are_removed_before_planning_and_reported(
    subgraphs: Subgraphs, tmp_path: Path
) -> None:
    # The users fixture, as if its author had marked me @authenticated and email @requiresScopes.
    sdls = fixture_sdls(subgraphs.urls)
    url, users = sdls["users"]
    users = users.replace('import: ["@key"]', 'import: ["@key", "@authenticated", "@requiresScopes"]')
    users = users.replace("  me: User\n", "  me: User @authenticated\n")
    users = users.replace("  email: String\n", '  email: String @requiresScopes(scopes: [["users:read"]])\n')
    path = tmp_path / "secured.graphql"
    path.write_text(compose({**sdls, "users": (url, users)}), encoding="utf-8")
    subgraphs.clear()
    async with router_client(create_app(settings(), path)) as http:
        response = await http.post(
            "/graphql", json={"query": '{ me { username } userCount review(id: "r1") { author { username email } } }'}
        )
        # The same operation rewritten (router.pipeline.canonical): still removed, under its own keys.
        rewritten = await http.post(
            "/graphql", json={"query": '{ r: review(id: "r1") { a: author { e: email username } } m: me { username } }'}
        )
    body = response.json()
    assert rewritten.json() == {
        "data": {"r": {"a": {"e": None, "username": "ada"}}, "m": None},
        "errors": [
            {
                "message": "Unauthorized field or type",
                "path": ["r", "a", "e"],
                "extensions": {"code": "UNAUTHORIZED_FIELD_OR_TYPE"},
            },
            {
                "message": "Unauthorized field or type",
                "path": ["m"],
                "extensions": {"code": "UNAUTHORIZED_FIELD_OR_TYPE"},
            },
        ],
    }
    assert body["data"]["me"] is None
    assert body["data"]["userCount"] >= 1
    assert body["data"]["review"]["author"] == {"username": "ada", "email": None}
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["me"], "UNAUTHORIZED_FIELD_OR_TYPE"),
        (["review", "author", "email"], "UNAUTHORIZED_FIELD_OR_TYPE"),
    ]
    # Neither removed field was asked of the users subgraph.
    sent = " ".join(b.get("query", "") for b in subgraphs.recorders["users"].bodies)
    assert "me" not in sent.split()
    assert "email" not in sent


async def test_cors_answers_only_the_configured_origins(subgraphs: Subgraphs, tmp_path: Path) -> None:
    app = edge_router(subgraphs, tmp_path, kcp_cors_origins="https://studio.soundcore.example")
    preflight = {"access-control-request-method": "POST", "access-control-request-headers": "content-type"}
    async with router_client(app) as http:
        allowed = await http.options("/graphql", headers={"origin": "https://studio.soundcore.example", **preflight})
        other = await http.options("/graphql", headers={"origin": "https://evil.example", **preflight})
        simple = await http.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"origin": "https://studio.soundcore.example"}
        )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://studio.soundcore.example"
    assert "access-control-allow-origin" not in other.headers
    assert simple.headers["access-control-allow-origin"] == "https://studio.soundcore.example"

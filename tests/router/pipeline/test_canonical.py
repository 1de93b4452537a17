"""Rewritten documents share one canonical operation: one validation, one plan, the client's own keys.

Over HTTP against the fixture subgraphs; the plan and validation caches are observed through
their /metrics counters (``router_cache_lookups_total``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from prometheus_client import REGISTRY

if TYPE_CHECKING:
    import httpx

pytestmark = pytest.mark.asyncio

QUERY = """
query First { topProducts(first: 2) { ...P reviews { id body author { username } } } }
fragment P on Product { upc name }
"""
# The same selections: other aliases, another fragment name, one spread inlined, another order.
REWRITTEN = """
query Second {
  best: topProducts(first: 2) {
    reviews { author { who: username } text: body id }
    ...Q
  }
}
fragment Q on Product { title: name ... on Product { upc } }
"""


def lookups(cache: str, result: str) -> float:
    return REGISTRY.get_sample_value("router_cache_lookups_total", {"cache": cache, "result": result}) or 0.0


async def post(client: httpx.AsyncClient, query: str, **extra: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, **extra})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_a_rewritten_document_reuses_the_plan_and_answers_under_its_own_keys(router: httpx.AsyncClient) -> None:
    first = await post(router, QUERY)
    plans_missed, validated = lookups("plans", "miss"), lookups("valid_operations", "hit")
    second = await post(router, REWRITTEN)

    assert lookups("plans", "miss") == plans_missed  # planned once, for both documents
    assert lookups("valid_operations", "hit") == validated + 1  # validated once too
    products = first["data"]["topProducts"]
    assert [list(product) for product in products] == [["upc", "name", "reviews"]] * len(products)
    assert second == {
        "data": {
            "best": [
                {
                    "reviews": [
                        {"author": {"who": r["author"]["username"]}, "text": r["body"], "id": r["id"]}
                        for r in product["reviews"]
                    ],
                    "title": product["name"],
                    "upc": product["upc"],
                }
                for product in products
            ]
        }
    }
    # Keys in the order the client wrote them, not the canonical order.
    assert [list(product) for product in second["data"]["best"]] == [["reviews", "title", "upc"]] * len(products)


async def test_one_field_under_two_aliases_and_two_arguments(router: httpx.AsyncClient) -> None:
    body = await post(
        router, '{ a: product(upc: "p1") { name } b: product(upc: "p2") { name } c: product(upc: "p1") { n: name } }'
    )
    assert body == {"data": {"a": {"name": "Table"}, "b": {"name": "Couch"}, "c": {"n": "Table"}}}


async def test_a_rewriting_that_breaks_validation_is_still_refused(router: httpx.AsyncClient) -> None:
    await post(router, "{ topProducts(first: 1) { name price } }")  # its canonical operation is now valid
    refused = [
        # One response key naming two fields: the canonical operation alone cannot see it.
        "{ topProducts(first: 1) { x: name x: price } }",
        # A fragment defined but never used, and one used but not defined.
        "{ topProducts(first: 1) { name price } } fragment Unused on Product { name }",
        "{ topProducts(first: 1) { ...Missing } }",
    ]
    for query in refused:
        body = await post(router, query)
        assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED", query


async def test_subgraph_errors_name_the_clients_path(router: httpx.AsyncClient) -> None:
    body = await post(router, "{ tp: topProducts(first: 1) { rs: reviews { id f: flaky } } }")
    assert body["data"] == {"tp": [{"rs": [{"id": "r1", "f": "fine r1"}, {"id": "r2", "f": None}]}]}
    [error] = body["errors"]
    assert error["path"] == ["tp", 0, "rs", 1, "f"]


async def test_an_error_lands_under_every_alias_that_selected_the_failing_field(router: httpx.AsyncClient) -> None:
    # Both response keys name the same field (one canonical key): the failing field's error is
    # the client's under each key that selected it, and only there.
    body = await post(router, "{ tp: topProducts(first: 1) { rs: reviews { id } more: reviews { f: flaky } } }")
    assert body["data"] == {"tp": [{"rs": [{"id": "r1"}, {"id": "r2"}], "more": [{"f": "fine r1"}, {"f": None}]}]}
    assert [error["path"] for error in body["errors"]] == [["tp", 0, "more", 1, "f"]]
    body = await post(
        router, "{ tp: topProducts(first: 1) { rs: reviews { id f: flaky } more: reviews { g: flaky } } }"
    )
    assert sorted(error["path"] for error in body["errors"]) == [["tp", 0, "more", 1, "g"], ["tp", 0, "rs", 1, "f"]]

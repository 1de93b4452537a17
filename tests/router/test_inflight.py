"""Deduplication of identical in-flight requests: subgraph requests by default
(``KCP_DEDUPLICATE_SUBGRAPH_REQUESTS``), client requests opt-in (``KCP_DEDUPLICATE_REQUESTS``).

The shared-call primitive on its own, then the router over HTTP with a products subgraph that
holds every request at a gate until the test opens it, so overlap is certain rather than timed.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import TYPE_CHECKING, Any

import pytest
from prometheus_client import REGISTRY
from router_harness import ServerThread, Subgraphs, create_app, load_fixture, router_client, settings, write_supergraph
from strawberry.asgi import GraphQL

from kcp.identity import Caller, CallerKind
from router.inflight import InflightRequests

if TYPE_CHECKING:
    from pathlib import Path

    from starlette.types import ASGIApp, Message, Receive, Scope, Send

pytestmark = pytest.mark.asyncio

CALLERS = 5
WAIT_SECONDS = 10.0


def joined(kind: str) -> float:
    """How many requests of ``kind`` have joined an identical one in flight (the /metrics counter)."""
    return REGISTRY.get_sample_value("router_deduplicated_requests_total", {"kind": kind}) or 0.0


async def until(condition: Any, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        await asyncio.sleep(0.005)


# --- the primitive ------------------------------------------------------------------------------


async def test_identical_calls_in_flight_run_once_and_share_the_result() -> None:
    group: InflightRequests[str, bytes] = InflightRequests("test-identical")
    gate = asyncio.Event()
    calls = 0

    async def call() -> bytes:
        nonlocal calls
        calls += 1
        await gate.wait()
        return b"answer"

    before = joined("test-identical")
    callers = [asyncio.create_task(group.run("key", call)) for _ in range(CALLERS)]
    await until(lambda: joined("test-identical") - before == CALLERS - 1, "the callers to join")
    gate.set()

    assert await asyncio.gather(*callers) == [b"answer"] * CALLERS
    assert calls == 1
    assert len(group) == 0


async def test_different_keys_run_separately() -> None:
    group: InflightRequests[str, str] = InflightRequests("test-keys")

    async def echo(value: str) -> str:
        await asyncio.sleep(0)
        return value

    results = await asyncio.gather(group.run("a", lambda: echo("a")), group.run("b", lambda: echo("b")))

    assert results == ["a", "b"]


async def test_a_finished_call_is_not_reused() -> None:
    group: InflightRequests[str, int] = InflightRequests("test-finished")
    calls = 0

    async def count() -> int:
        nonlocal calls
        calls += 1
        return calls

    assert await group.run("key", count) == 1
    assert await group.run("key", count) == 2


async def test_a_failure_reaches_every_caller_and_is_not_kept() -> None:
    group: InflightRequests[str, str] = InflightRequests("test-failure")
    gate = asyncio.Event()

    async def fail() -> str:
        await gate.wait()
        raise ValueError("subgraph exploded")

    before = joined("test-failure")
    callers = [asyncio.create_task(group.run("key", fail)) for _ in range(3)]
    await until(lambda: joined("test-failure") - before == 2, "the callers to join")
    gate.set()
    results = await asyncio.gather(*callers, return_exceptions=True)

    assert [str(result) for result in results] == ["subgraph exploded"] * 3

    async def succeed() -> str:
        return "fine"

    assert await group.run("key", succeed) == "fine"


async def test_a_caller_that_goes_away_does_not_cancel_the_others() -> None:
    group: InflightRequests[str, str] = InflightRequests("test-cancel")
    gate = asyncio.Event()

    async def slow() -> str:
        await gate.wait()
        return "done"

    before = joined("test-cancel")
    first = asyncio.create_task(group.run("key", slow))
    second = asyncio.create_task(group.run("key", slow))
    await until(lambda: joined("test-cancel") - before == 1, "the second caller to join")
    first.cancel()
    gate.set()

    assert await second == "done"
    with pytest.raises(asyncio.CancelledError):
        await first


# --- the router over HTTP ------------------------------------------------------------------------


class Gate:
    """ASGI wrapper: records each GraphQL request and holds it until ``open`` is set."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.open = threading.Event()
        self.queries: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        message = await receive()
        body = message.get("body", b"")
        self.queries.append(json.loads(body)["query"])
        await asyncio.to_thread(self.open.wait, WAIT_SECONDS)

        async def replay() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


@pytest.fixture
def gated_products() -> Any:
    gate = Gate(GraphQL(load_fixture("products").schema))
    server = ServerThread(gate)
    server.start()
    yield gate, server
    gate.open.set()
    server.stop()


def _router(subgraphs: Subgraphs, tmp_path: Path, products_url: str, *, deduplicate: bool, **more: Any) -> Any:
    urls = {**subgraphs.urls, "products": products_url}
    return create_app(settings(kcp_deduplicate_requests=deduplicate, **more), write_supergraph(tmp_path, urls))


async def test_identical_queries_in_flight_share_one_execution(
    subgraphs: Subgraphs, gated_products: Any, tmp_path: Path
) -> None:
    gate, server = gated_products
    query = "{ topProducts(first: 2) { name price } }"
    before = joined("client")
    async with router_client(_router(subgraphs, tmp_path, server.url, deduplicate=True)) as client:
        requests = [asyncio.create_task(client.post("/graphql", json={"query": query})) for _ in range(CALLERS)]
        await until(lambda: joined("client") - before == CALLERS - 1, "the identical queries to join")
        gate.open.set()
        responses = await asyncio.gather(*requests)

    bodies = [response.json() for response in responses]
    assert (
        bodies
        == [{"data": {"topProducts": [{"name": "Table", "price": 899}, {"name": "Couch", "price": 1299}]}}] * CALLERS
    )
    assert len(gate.queries) == 1


async def test_queries_differing_in_variables_are_not_shared(
    subgraphs: Subgraphs, gated_products: Any, tmp_path: Path
) -> None:
    gate, server = gated_products
    query = "query($upc: String!) { product(upc: $upc) { name } }"
    async with router_client(_router(subgraphs, tmp_path, server.url, deduplicate=True)) as client:
        requests = [
            asyncio.create_task(client.post("/graphql", json={"query": query, "variables": {"upc": upc}}))
            for upc in ("p1", "p2")
        ]
        await until(lambda: len(gate.queries) == 2, "both queries to reach the subgraph")
        gate.open.set()
        responses = await asyncio.gather(*requests)

    assert [response.json()["data"]["product"]["name"] for response in responses] == ["Table", "Couch"]


async def test_identical_mutations_all_run(subgraphs: Subgraphs, gated_products: Any, tmp_path: Path) -> None:
    gate, server = gated_products
    mutation = 'mutation { createProduct(upc: "inflight", name: "Stool") { name } }'
    try:
        async with router_client(_router(subgraphs, tmp_path, server.url, deduplicate=True)) as client:
            requests = [asyncio.create_task(client.post("/graphql", json={"query": mutation})) for _ in range(3)]
            await until(lambda: len(gate.queries) == 3, "every mutation to reach the subgraph")
            gate.open.set()
            responses = await asyncio.gather(*requests)
    finally:
        load_fixture("products").PRODUCTS.pop("inflight", None)

    assert [response.json() for response in responses] == [{"data": {"createProduct": {"name": "Stool"}}}] * 3


async def test_by_default_identical_queries_each_run_but_share_their_subgraph_request(
    subgraphs: Subgraphs, gated_products: Any, tmp_path: Path
) -> None:
    gate, server = gated_products
    query = "{ topProducts(first: 1) { name } }"
    client_before, subgraph_before = joined("client"), joined("subgraph")
    async with router_client(_router(subgraphs, tmp_path, server.url, deduplicate=False)) as client:
        requests = [asyncio.create_task(client.post("/graphql", json={"query": query})) for _ in range(3)]
        await until(lambda: joined("subgraph") - subgraph_before == 2, "the identical subgraph requests to join")
        gate.open.set()
        responses = await asyncio.gather(*requests)

    assert [response.json() for response in responses] == [{"data": {"topProducts": [{"name": "Table"}]}}] * 3
    assert len(gate.queries) == 1
    assert joined("client") == client_before  # client-level deduplication stays opt-in


async def test_identical_mutations_all_run_by_default(
    subgraphs: Subgraphs, gated_products: Any, tmp_path: Path
) -> None:
    gate, server = gated_products
    mutation = 'mutation { createProduct(upc: "inflight-default", name: "Bench") { name } }'
    try:
        async with router_client(_router(subgraphs, tmp_path, server.url, deduplicate=False)) as client:
            requests = [asyncio.create_task(client.post("/graphql", json={"query": mutation})) for _ in range(3)]
            await until(lambda: len(gate.queries) == 3, "every mutation to reach the subgraph")
            gate.open.set()
            responses = await asyncio.gather(*requests)
    finally:
        load_fixture("products").PRODUCTS.pop("inflight-default", None)

    assert [response.json() for response in responses] == [{"data": {"createProduct": {"name": "Bench"}}}] * 3


async def test_subgraph_requests_with_different_forwarded_headers_are_not_shared(
    subgraphs: Subgraphs, gated_products: Any, tmp_path: Path
) -> None:
    # The headers the router forwards to subgraphs (an identity, an authorization) can change the
    # answer: requests that differ there each go out.
    gate, server = gated_products
    query = "{ topProducts(first: 1) { name } }"
    anonymous = Caller(kind=CallerKind.ANONYMOUS)
    app = _router(subgraphs, tmp_path, server.url, deduplicate=False)
    async with router_client(app):
        pipeline = app.state.router.pipeline
        answers = [
            asyncio.create_task(
                pipeline.respond(query, None, {}, {"authorization": token}, allow_mutation=False, caller=anonymous)
            )
            for token in ("Bearer a", "Bearer b")
        ]
        await until(lambda: len(gate.queries) == 2, "both subgraph requests to be sent")
        gate.open.set()
        bodies = [json.loads((await answer).body) for answer in answers]

    assert bodies == [{"data": {"topProducts": [{"name": "Table"}]}}] * 2


async def test_with_subgraph_deduplication_off_identical_queries_each_reach_the_subgraph(
    subgraphs: Subgraphs, gated_products: Any, tmp_path: Path
) -> None:
    gate, server = gated_products
    query = "{ topProducts(first: 1) { name } }"
    app = _router(subgraphs, tmp_path, server.url, deduplicate=False, kcp_deduplicate_subgraph_requests=False)
    async with router_client(app) as client:
        requests = [asyncio.create_task(client.post("/graphql", json={"query": query})) for _ in range(3)]
        await until(lambda: len(gate.queries) == 3, "every query to reach the subgraph")
        gate.open.set()
        responses = await asyncio.gather(*requests)

    assert [response.json() for response in responses] == [{"data": {"topProducts": [{"name": "Table"}]}}] * 3


async def test_identical_subgraph_requests_of_different_documents_share_one_exchange(
    subgraphs: Subgraphs, gated_products: Any, tmp_path: Path
) -> None:
    gate, server = gated_products
    # Two texts (two documents, so two executions) that plan the same subgraph request.
    queries = ["{ topProducts(first: 1) { name } }", "{  topProducts(first: 1) { name }  }"]
    before = joined("subgraph")
    async with router_client(_router(subgraphs, tmp_path, server.url, deduplicate=True)) as client:
        requests = [asyncio.create_task(client.post("/graphql", json={"query": query})) for query in queries]
        await until(lambda: joined("subgraph") - before == 1, "the second subgraph request to join the first")
        gate.open.set()
        responses = await asyncio.gather(*requests)

    assert [response.json() for response in responses] == [{"data": {"topProducts": [{"name": "Table"}]}}] * 2
    assert len(gate.queries) == 1


async def test_identical_queries_of_different_callers_are_not_shared(
    subgraphs: Subgraphs, gated_products: Any, tmp_path: Path
) -> None:
    # Authorization shapes an answer by the caller, and a partner's API key is not a header the
    # router forwards: two partners' identical queries must each be answered for their caller.
    gate, server = gated_products
    partners = [
        Caller(kind=CallerKind.PARTNER, subject=name, role="partner", scopes=frozenset({"knowledge:read"}))
        for name in ("partner-a", "partner-b", "partner-a")
    ]
    query = "{ topProducts(first: 1) { name } }"
    before = joined("client")
    app = _router(subgraphs, tmp_path, server.url, deduplicate=True)
    async with router_client(app):
        pipeline = app.state.router.pipeline
        answers = [
            asyncio.create_task(pipeline.respond(query, None, {}, {}, allow_mutation=False, caller=caller))
            for caller in partners
        ]
        # partner-a's second request joins its first; partner-b's joins nothing.
        await until(lambda: joined("client") - before == 1, "partner-a's second query to join its first")
        gate.open.set()
        bodies = [json.loads((await answer).body) for answer in answers]

    assert bodies == [{"data": {"topProducts": [{"name": "Table"}]}}] * 3
    assert joined("client") - before == 1

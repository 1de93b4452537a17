"""The HTTP contract every subgraph shares (kcp.service), on a minimal Federation-2 schema."""

from __future__ import annotations

import asyncio
import gc
import time
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import pytest_asyncio
import strawberry
from strawberry.dataloader import DataLoader

from kcp.edge.gate import SubgraphEdge
from kcp.edge.signature import ROUTER_SIGNATURE_HEADER, signature_headers
from kcp.edge.work import MAX_LISTED_OBJECTS
from kcp.errors import KcpError, NotFoundError
from kcp.service import SubgraphSchema, SubgraphService, create_subgraph_app, subgraph_extensions
from kcp.settings import Settings

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from starlette.applications import Starlette
    from starlette.requests import Request

pytestmark = pytest.mark.asyncio


@strawberry.type
class Query:
    @strawberry.field
    def ok(self) -> str:
        return "fine"

    @strawberry.field
    def missing(self) -> str:
        raise NotFoundError("no such thing")

    @strawberry.field
    def broken(self) -> str:
        detail = "s3cr3t internals"
        raise RuntimeError(detail)


async def _context(_request: Request) -> dict[str, object]:
    return {}


async def _failing_probe() -> None:
    raise KcpError("store down")


@pytest_asyncio.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    schema = SubgraphSchema(query=Query, extensions=subgraph_extensions())
    app = create_subgraph_app(SubgraphService("demo", schema, _context, readiness={"store": _failing_probe}))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://subgraph") as http,
    ):
        yield http


@pytest.mark.parametrize(
    ("method", "body", "status", "code"),
    [
        ("POST", b"{not json", 400, "BAD_REQUEST"),
        ("POST", b'{"variables": {}}', 400, "BAD_REQUEST"),
        ("PUT", b'{"query": "{ ok }"}', 405, "METHOD_NOT_ALLOWED"),
        ("POST", b'{"query": "{ nope }"}', 200, "GRAPHQL_VALIDATION_FAILED"),
        ("POST", b'{"query": "{ ok "}', 200, "GRAPHQL_PARSE_FAILED"),
        ("POST", b'{"query": "{ missing }"}', 200, "NOT_FOUND"),
    ],
)
async def test_every_refusal_is_json_with_a_code(
    client: httpx.AsyncClient, method: str, body: bytes, status: int, code: str
) -> None:
    response = await client.request(method, "/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"][0]["extensions"]["code"] == code


async def test_unexpected_errors_are_masked(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ broken }"})
    error = response.json()["errors"][0]
    assert error["message"] == "Internal server error."
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "s3cr3t" not in response.text


async def test_health_ready_and_metrics(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).json() == {"status": "ok", "service": "demo"}
    ready = await client.get("/ready")
    assert ready.status_code == 503
    assert ready.json()["failures"] == {"store": "KcpError: store down"}
    await client.get("/health")
    metrics = (await client.get("/metrics")).text
    assert 'http_requests_total{method="GET",path="/health",service="demo",status="200"}' in metrics


@strawberry.type
class Item:
    id: str

    @strawberry.field
    def children(self, first: int = 10) -> list[Item]:
        return [Item(id=f"{self.id}.{i}") for i in range(min(first, 3))]

    @strawberry.field
    def fanout(self) -> list[Item]:
        # Thirty items where the cost estimate, with no page size to read, counts ten.
        return [Item(id=f"{self.id}.{i}") for i in range(30)]

    @strawberry.field
    async def slow(self) -> list[Item]:
        # Two items after a store read that takes 100 ms: few objects, much time.
        await asyncio.sleep(0.1)
        return [Item(id=f"{self.id}.{i}") for i in range(2)]


@strawberry.type
class ListQuery:
    @strawberry.field
    def items(self, first: int = 10) -> list[Item]:
        return [Item(id=str(i)) for i in range(min(first, 3))]


SECRET = "test-secret-for-signatures"  # noqa: S105 - a test value


def _list_app(**settings: object) -> Starlette:
    schema = SubgraphSchema(query=ListQuery, extensions=subgraph_extensions())
    return create_subgraph_app(
        SubgraphService("lists", schema, _context), Settings(kcp_identity_secret=SECRET, **settings)
    )


@pytest_asyncio.fixture
async def lists() -> AsyncIterator[httpx.AsyncClient]:
    app = _list_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://subgraph") as http:
        yield http


@pytest.mark.parametrize(
    ("body", "headers", "status", "code"),
    [
        # Were 500s with a text body: valid JSON that is not an object.
        (b"null", {}, 400, "BAD_REQUEST"),
        (b"1", {}, 400, "BAD_REQUEST"),
        (b'"x"', {}, 400, "BAD_REQUEST"),
        (b"[]", {}, 400, "BAD_REQUEST"),
        (b'{"query": "{ items { id } }", "variables": {"x": "\xed\xb2\x80"}}', {}, 400, "BAD_REQUEST"),
        (b'{"query": "{ items { id } } # \\udc80"}', {}, 400, "BAD_REQUEST"),
        (b'{"query": "{ items { id } }", "x": NaN}', {}, 400, "BAD_REQUEST"),
        (b'{"query": "{ items { id } }"}', {"content-type": "text/plain"}, 415, "BAD_REQUEST"),
        (b'{"query": 1}', {}, 400, "BAD_REQUEST"),
        (b'{"query": "{ items { id } }", "variables": [1]}', {}, 400, "BAD_REQUEST"),
        (b"[" * 100_000, {}, 400, "BAD_REQUEST"),
        (
            ('{"query": "{ ' + " ".join(f"a{i}: items {{ id }}" for i in range(200)) + ' }"}').encode(),
            {},
            400,
            "OPERATION_LIMIT_EXCEEDED",
        ),
        (
            ('{"query": "{ items { ' + "children { " * 30 + "id" + " }" * 30 + ' } }"}').encode(),
            {},
            400,
            "OPERATION_LIMIT_EXCEEDED",
        ),
        # 1000 * 1000 * 1000 objects: the estimate counts the lists' sizes.
        (
            b'{"query": "{ items(first: 1000) { children(first: 1000) { children(first: 1000) { id } } } }"}',
            {},
            400,
            "COST_LIMIT_EXCEEDED",
        ),
        # The same through a variable and a fragment.
        (
            (
                b'{"query": "query($n: Int!) { items(first: $n) { ...F } } fragment F on Item { children(first: $n) '
                b'{ children(first: $n) { id } } }", "variables": {"n": 1000}}'
            ),
            {},
            400,
            "COST_LIMIT_EXCEEDED",
        ),
    ],
)
async def test_a_subgraph_refuses_what_the_router_refuses_with_a_4xx_and_a_code(
    lists: httpx.AsyncClient, body: bytes, headers: dict[str, str], status: int, code: str
) -> None:
    response = await lists.post("/graphql", content=body, headers={"content-type": "application/json", **headers})
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"][0]["extensions"]["code"] == code


async def test_a_body_over_the_subgraph_maximum_is_a_413(lists: httpx.AsyncClient) -> None:
    body = b'{"query": "{ items { id } }", "variables": {"x": "' + b"a" * (SubgraphEdge().max_body_bytes + 1) + b'"}}'
    response = await lists.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_a_request_ends_once_its_lists_hold_more_objects_than_the_bound(lists: httpx.AsyncClient) -> None:
    # 3 * 30^4 = 2.4 million objects, estimated at 3 * 11,111 = 33,333: within the cost budget, but the
    # listed objects are counted as they come and the request ends past MAX_LISTED_OBJECTS.
    query = "{ items(first: 3) { " + "fanout { " * 4 + "id" + " }" * 4 + " } }"
    response = await lists.post("/graphql", json={"query": query})
    codes = {error["extensions"]["code"] for error in response.json()["errors"]}
    assert codes == {"OPERATION_LIMIT_EXCEEDED"}
    assert str(MAX_LISTED_OBJECTS) in response.json()["errors"][0]["message"]


async def test_a_request_ends_once_it_has_listed_for_longer_than_the_router_waits() -> None:
    # The router waits 0.25 s here, so the subgraph lists for 0.2 s: four levels of 100 ms reads
    # (16 objects, far under the object bound, and within the cost budget) stop before the fourth
    # with a clear error (the nulls then propagate up this schema's non-null lists).
    app = _list_app(kcp_subgraph_timeout_seconds=0.25)
    query = "{ items(first: 1) { " + "slow { " * 4 + "id" + " }" * 4 + " } }"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://subgraph") as http:
        response = await http.post("/graphql", json={"query": query})
    body = response.json()
    assert {error["extensions"]["code"] for error in body["errors"]} == {"OPERATION_LIMIT_EXCEEDED"}
    assert "ran out of time" in body["errors"][0]["message"]


async def test_what_fits_the_limits_is_answered(lists: httpx.AsyncClient) -> None:
    response = await lists.post("/graphql", json={"query": "{ items(first: 2) { children { id } } }"})
    assert response.status_code == 200
    assert response.json()["data"]["items"][1]["children"][2] == {"id": "1.2"}


async def test_variables_the_operation_does_not_declare_are_not_kept_past_the_answer(lists: httpx.AsyncClient) -> None:
    # Kept, a few MB of undeclared values lived on in Strawberry's per-request reference cycles
    # until the collector's next full pass: hostile requests piled them up (bench.hostile, RSS).
    junk = list(range(100_000, 100_000 + 54_321))
    query = "query($n: Int!) { items(first: $n) { id } }"
    gc.collect()
    gc.disable()
    try:
        response = await lists.post("/graphql", json={"query": query, "variables": {"n": 2, "junk": junk}})
        alive = [o for o in gc.get_objects() if isinstance(o, list) and len(o) == len(junk) and o is not junk]
    finally:
        gc.enable()
    assert response.json() == {"data": {"items": [{"id": "0"}, {"id": "1"}]}}
    assert alive == []


@pytest.mark.parametrize("setting", [{"kcp_production": True}, {"kcp_subgraph_require_router_signature": True}])
async def test_a_subgraph_that_requires_the_router_signature_refuses_anyone_else(setting: dict[str, bool]) -> None:
    app = _list_app(**setting)
    url = "http://subgraph/graphql"
    body = b'{"query": "{ items { id } }"}'
    json_type = {"content-type": "application/json"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://subgraph") as http:
        missing = await http.post("/graphql", content=body, headers=json_type)
        assert missing.status_code == 401
        assert missing.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        wrong = signature_headers("another secret", url, body)
        stale = signature_headers(SECRET, url, body, now=time.time() - 3600)
        other_body = signature_headers(SECRET, url, b'{"query": "{ __typename }"}')
        other_path = signature_headers(SECRET, "http://subgraph/other", body)
        for headers in (wrong, stale, other_body, other_path, {ROUTER_SIGNATURE_HEADER: "v1=zz"}):
            refused = await http.post("/graphql", content=body, headers={**json_type, **headers})
            assert refused.status_code == 403, headers
            assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        # Refused before parsing: a body that is not even JSON gets the same 401.
        assert (await http.post("/graphql", content=b"null", headers=json_type)).status_code == 401
        signed = await http.post(
            "/graphql", content=body, headers={**json_type, **signature_headers(SECRET, url, body)}
        )
        assert signed.status_code == 200
        assert signed.json()["data"]["items"][0] == {"id": "0"}
        for open_path in ("/health", "/ready", "/metrics"):
            assert (await http.get(open_path)).status_code == 200, open_path


async def test_without_the_setting_direct_access_stays_open(lists: httpx.AsyncClient) -> None:
    response = await lists.post("/graphql", json={"query": "{ items { id } }"})
    assert response.status_code == 200


@strawberry.type
class Pair:
    @strawberry.field
    async def shared(self, info: strawberry.Info[Any, None]) -> str:
        return await info.context["loader"].load("k")  # type: ignore[no-any-return]

    @strawberry.field
    async def failing(self) -> str:
        await asyncio.sleep(0.01)  # `shared` waits on the load by now
        raise NotFoundError("gone")


@strawberry.type
class SharedQuery:
    @strawberry.field
    async def first(self, info: strawberry.Info[Any, None]) -> str | None:
        return await info.context["loader"].load("k")  # type: ignore[no-any-return]

    @strawberry.field
    def pair(self) -> Pair | None:
        return Pair()


async def test_a_load_shared_with_a_cancelled_field_fails_that_field_not_the_request() -> None:
    # `pair.failing` nulls the non-null `pair`, so graphql-core cancels `pair.shared`, which was
    # waiting on the load `first` shares: `first` saw a CancelledError, and the request was a 500.
    async def slow_load(keys: list[str]) -> list[str]:
        await asyncio.sleep(0.05)
        return keys

    async def context(_request: Request) -> dict[str, object]:
        return {"loader": DataLoader(slow_load)}

    schema = SubgraphSchema(query=SharedQuery, extensions=subgraph_extensions())
    app = create_subgraph_app(SubgraphService("shared", schema, context), Settings())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://subgraph") as http:
        response = await http.post("/graphql", json={"query": "{ first pair { shared failing } }"})

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"] == {"first": None, "pair": None}
    codes = {tuple(error["path"]): error["extensions"]["code"] for error in body["errors"]}
    assert codes == {("first",): "INTERNAL_SERVER_ERROR", ("pair", "failing"): "NOT_FOUND"}

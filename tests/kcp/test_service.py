"""The HTTP contract every subgraph shares (kcp.service), on a minimal Federation-2 schema."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest
import pytest_asyncio
import strawberry

from kcp.errors import KcpError, NotFoundError
from kcp.service import SubgraphSchema, SubgraphService, create_subgraph_app, subgraph_extensions

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

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

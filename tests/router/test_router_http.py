"""The router end to end: real fixture subgraphs over HTTP, the router app in-process."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import TYPE_CHECKING, Any

import pytest
from router_harness import (
    ServerThread,
    Subgraphs,
    create_app,
    free_port,
    load_fixture,
    router_client,
    settings,
    wait_ready,
    write_supergraph,
)
from starlette.applications import Starlette
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL

if TYPE_CHECKING:
    from pathlib import Path

    import httpx
    from starlette.requests import Request

pytestmark = pytest.mark.asyncio


async def post(client: httpx.AsyncClient, query: str, **extra: Any) -> tuple[int, dict[str, Any]]:
    headers = extra.pop("headers", None)
    response = await client.post("/graphql", json={"query": query, **extra}, headers=headers)
    return response.status_code, response.json()


# --- happy paths --------------------------------------------------------------------------------


async def test_two_hop_chain_over_lists_is_batched(router: httpx.AsyncClient, subgraphs: Subgraphs) -> None:
    status, body = await post(router, "{ topProducts(first: 3) { name reviews { body author { username } } } }")
    assert status == 200
    assert body == {
        "data": {
            "topProducts": [
                {
                    "name": "Table",
                    "reviews": [
                        {"body": "Love it", "author": {"username": "ada"}},
                        {"body": "Too expensive", "author": {"username": "alan"}},
                    ],
                },
                {"name": "Couch", "reviews": [{"body": "Could be better", "author": {"username": "ada"}}]},
                {"name": "Lamp", "reviews": [{"body": "Bright", "author": {"username": "alan"}}]},
            ]
        }
    }
    # One _entities request per subgraph per plan step, with every representation, deduplicated.
    reviews_calls = subgraphs.recorders["reviews"].entity_requests()
    users_calls = subgraphs.recorders["users"].entity_requests()
    assert len(reviews_calls) == 1
    assert len(reviews_calls[0]["variables"]["representations"]) == 3
    assert len(users_calls) == 1
    assert users_calls[0]["variables"]["representations"] == [
        {"__typename": "User", "id": "u1"},
        {"__typename": "User", "id": "u2"},
    ]


async def test_one_step_sends_one_users_request_for_two_paths(router: httpx.AsyncClient, subgraphs: Subgraphs) -> None:
    # author asks for username, likedBy for email: one batched request asks users for both.
    status, body = await post(router, '{ review(id: "r1") { author { username } likedBy { email } } }')
    assert status == 200
    # Exactly what was asked at each path: no email on the author, no username on the likers.
    assert body == {
        "data": {
            "review": {
                "author": {"username": "ada"},
                "likedBy": [{"email": "ada@example.com"}, {"email": "alan@example.com"}],
            }
        }
    }
    (call,) = subgraphs.recorders["users"].entity_requests()
    # u1 is both the author and a liker: sent once.
    assert call["variables"]["representations"] == [
        {"__typename": "User", "id": "u1"},
        {"__typename": "User", "id": "u2"},
    ]
    assert "username" in call["query"]
    assert "email" in call["query"]


async def test_batched_fields_never_overwrite_another_paths_keys(
    router: httpx.AsyncClient, subgraphs: Subgraphs
) -> None:
    # likedBy's "id" is an alias of email; the author's "id" is its key. They share one request,
    # and the author keeps its own id.
    query = '{ review(id: "r1") { author { id username } likedBy { id: email } } }'
    _, body = await post(router, query)
    assert body == {
        "data": {
            "review": {
                "author": {"id": "u1", "username": "ada"},
                "likedBy": [{"id": "ada@example.com"}, {"id": "alan@example.com"}],
            }
        }
    }
    assert len(subgraphs.recorders["users"].entity_requests()) == 1


async def test_conflicting_aliases_keep_their_own_values(router: httpx.AsyncClient, subgraphs: Subgraphs) -> None:
    _, body = await post(router, '{ review(id: "r2") { author { handle: username } likedBy { handle: email } } }')
    assert body == {"data": {"review": {"author": {"handle": "alan"}, "likedBy": [{"handle": "ada@example.com"}]}}}
    # The canonical operation is planned (router.pipeline.canonical): no aliases, so no conflict,
    # and both paths' fields share one entity request.
    assert len(subgraphs.recorders["users"].entity_requests()) == 1


async def test_requires_sends_the_required_field(router: httpx.AsyncClient, subgraphs: Subgraphs) -> None:
    status, body = await post(router, "{ topProducts(first: 2) { name shippingEstimate } }")
    assert status == 200
    assert body == {
        "data": {"topProducts": [{"name": "Table", "shippingEstimate": 10}, {"name": "Couch", "shippingEstimate": 100}]}
    }
    (call,) = subgraphs.recorders["reviews"].entity_requests()
    assert call["variables"]["representations"][0] == {"__typename": "Product", "upc": "p1", "weight": 100}


async def test_fragments_aliases_typename_and_conditions(router: httpx.AsyncClient) -> None:
    query = """
    query Q($withReviews: Boolean!, $skipKind: Boolean = true) {
      first: product(upc: "p1") { ...Bits title: name kind @skip(if: $skipKind) __typename }
      search(text: "lamp") {
        __typename
        ... on Product { name opinions: reviews { text: body } }
        ... on Collection { title }
      }
    }
    fragment Bits on Product { upc opinions: reviews @include(if: $withReviews) { text: body } }
    """
    status, body = await post(router, query, variables={"withReviews": False})
    assert status == 200
    assert body == {
        "data": {
            "first": {"upc": "p1", "title": "Table", "__typename": "Product"},
            "search": [
                {"__typename": "Product", "name": "Lamp", "opinions": [{"text": "Bright"}]},
                {"__typename": "Collection", "title": "All about lamp"},
            ],
        }
    }
    _, body = await post(router, query, variables={"withReviews": True, "skipKind": False})
    assert body["data"]["first"] == {
        "upc": "p1",
        "opinions": [{"text": "Love it"}, {"text": "Too expensive"}],
        "title": "Table",
        "kind": "FURNITURE",
        "__typename": "Product",
    }


async def test_variables_are_forwarded_only_where_used(router: httpx.AsyncClient, subgraphs: Subgraphs) -> None:
    query = "query V($upc: String!, $id: ID!) { product(upc: $upc) { name } review(id: $id) { body } }"
    _, body = await post(router, query, variables={"upc": "p2", "id": "r4"})
    assert body == {"data": {"product": {"name": "Couch"}, "review": {"body": "Bright"}}}
    assert subgraphs.recorders["products"].bodies[-1]["variables"] == {"upc": "p2"}
    assert subgraphs.recorders["reviews"].bodies[-1]["variables"] == {"id": "r4"}


async def test_mutations_run_in_order(router: httpx.AsyncClient, subgraphs: Subgraphs) -> None:
    query = """
    mutation {
      one: createProduct(upc: "m1", name: "Stool") { upc name }
      two: addReview(upc: "m1", body: "Sturdy") { body product { name } }
      three: createProduct(upc: "m2", name: "Shelf") { name reviews { body } }
    }
    """
    status, body = await post(router, query)
    assert status == 200
    assert body == {
        "data": {
            "one": {"upc": "m1", "name": "Stool"},
            "two": {"body": "Sturdy", "product": {"name": "Stool"}},
            "three": {"name": "Shelf", "reviews": []},
        }
    }
    order = [b["query"].split("{")[1].strip().split("(")[0] for b in _all_bodies(subgraphs)]
    assert order.index("one: createProduct") < order.index("two: addReview")


def _all_bodies(subgraphs: Subgraphs) -> list[dict[str, Any]]:
    bodies = []
    for recorder in subgraphs.recorders.values():
        bodies.extend(b for b in recorder.bodies if "mutation" in b["query"])
    # Mutations are awaited one after another, so each mutation's subgraph saw it first.
    return bodies


async def test_an_invalid_token_is_refused_before_any_subgraph_is_called(
    router: httpx.AsyncClient, subgraphs: Subgraphs
) -> None:
    calls = len(subgraphs.recorders["users"].headers)
    status, body = await post(router, "{ me { username } }", headers={"Authorization": "Bearer u2"})
    assert status == 401
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert len(subgraphs.recorders["users"].headers) == calls


async def test_subgraph_errors_are_repathed(router: httpx.AsyncClient) -> None:
    status, body = await post(router, "{ topProducts(first: 1) { reviews { id flaky } } }")
    assert "locations" not in body["errors"][0], "a subgraph's locations are in its own document, not the client's"
    assert status == 200
    assert body["data"] == {
        "topProducts": [{"reviews": [{"id": "r1", "flaky": "fine r1"}, {"id": "r2", "flaky": None}]}]
    }
    (error,) = body["errors"]
    assert error["message"] == "flaky failed for r2"
    assert error["path"] == ["topProducts", 0, "reviews", 1, "flaky"]
    assert error["extensions"]["serviceName"] == "reviews"


async def test_an_entity_its_subgraph_does_not_know_is_not_found_where_referenced(router: httpx.AsyncClient) -> None:
    status, body = await post(router, '{ review(id: "r3") { body likedBy { id username } } }')
    assert status == 200
    # likedBy is [User!]!, so the unknown user's null bubbles to the nullable review; the one
    # error names the user and where it is referenced, not a "Cannot return null" server fault.
    assert body["data"] == {"review": None}
    assert body["errors"] == [
        {
            "message": "User 'u404' was not found by 'users'",
            "path": ["review", "likedBy", 0],
            "extensions": {"code": "NOT_FOUND", "serviceName": "users"},
        }
    ]


async def test_introspection_is_answered_by_the_router(router: httpx.AsyncClient) -> None:
    status, body = await post(
        router,
        '{ __schema { queryType { name } types { name } } product: __type(name: "Product") { fields { name } } }',
    )
    assert status == 200
    names = {t["name"] for t in body["data"]["__schema"]["types"]}
    assert "Product" in names
    assert not {n for n in names if n.startswith(("join__", "link__", "_Any", "_Entity", "_Service"))}
    fields = [f["name"] for f in body["data"]["product"]["fields"]]
    assert fields == ["upc", "name", "price", "weight", "kind", "reviews", "shippingEstimate"]


async def test_introspection_answers_are_reused_per_document_and_variables(router: httpx.AsyncClient) -> None:
    query = "query T($n: String!) { __type(name: $n) { name kind } }"
    product = [await post(router, query, variables={"n": "Product"}) for _ in range(2)]
    review = await post(router, query, variables={"n": "Review"})
    assert product[0] == product[1] == (200, {"data": {"__type": {"name": "Product", "kind": "OBJECT"}}})
    assert review == (200, {"data": {"__type": {"name": "Review", "kind": "OBJECT"}}})


@pytest.fixture(autouse=True)
def modern_client(router: httpx.AsyncClient) -> None:
    # Refusals are 4xx for clients that accept application/graphql-response+json; tests of the
    # legacy application/json behaviour set their own Accept header.
    router.headers["accept"] = "application/graphql-response+json"


async def test_get_query_and_content_negotiation(router: httpx.AsyncClient) -> None:
    response = await router.get(
        "/graphql",
        params={"query": "query P($u: String!) { product(upc: $u) { name } }", "variables": '{"u": "p1"}'},
        headers={"accept": "application/graphql-response+json"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/graphql-response+json")
    assert response.json() == {"data": {"product": {"name": "Table"}}}
    plain = await router.post("/graphql", json={"query": "{ __typename }"}, headers={"accept": "application/json"})
    assert plain.headers["content-type"].startswith("application/json")
    assert plain.json() == {"data": {"__typename": "Query"}}
    anything = await router.post("/graphql", json={"query": "{ __typename }"}, headers={"accept": "*/*"})
    assert anything.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize(
    ("accept", "status", "media_type"),
    [
        (None, 200, "application/json"),
        ("*/*", 200, "application/json"),
        ("application/graphql-response+json", 400, "application/graphql-response+json"),
        ("application/json", 200, "application/json"),
        ("application/json, application/graphql-response+json;q=0.9", 200, "application/json"),
        ("application/json;q=0.5, application/graphql-response+json", 400, "application/graphql-response+json"),
    ],
)
async def test_validation_errors_follow_the_negotiated_media_type(
    router: httpx.AsyncClient, accept: str | None, status: int, media_type: str
) -> None:
    # GraphQL over HTTP: with application/json a request error is a 200 whose body carries the
    # errors; with application/graphql-response+json it is a 4xx. No Accept, or */*, is the former.
    headers = {} if accept is None else {"accept": accept}
    request = router.build_request("POST", "/graphql", json={"query": "{ nope }"}, headers=headers)
    if accept is None:
        del request.headers["accept"]
    response = await router.send(request)
    assert response.status_code == status
    assert response.headers["content-type"].startswith(media_type)
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "data" not in response.json()


async def test_graphiql_page(router: httpx.AsyncClient) -> None:
    response = await router.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_health_ready_metrics(router: httpx.AsyncClient) -> None:
    assert (await router.get("/health")).status_code == 200
    assert (await router.get("/ready")).json() == {"status": "ready", "service": "router"}
    await post(router, "{ __typename }")
    metrics = await router.get("/metrics")
    assert 'http_requests_total{method="POST",path="/graphql",service="router",status="200"}' in metrics.text


# --- bad input ----------------------------------------------------------------------------------

BAD_POSTS: list[tuple[str, bytes, int, str]] = [
    ("malformed json", b'{"query": ', 400, "BAD_REQUEST"),
    ("body not an object", b'["{ __typename }"]', 400, "BAD_REQUEST"),
    ("missing query", b'{"variables": {}}', 400, "BAD_REQUEST"),
    ("non-string query", b'{"query": 42}', 400, "BAD_REQUEST"),
    ("variables not an object", b'{"query": "{ __typename }", "variables": [1]}', 400, "BAD_REQUEST"),
    ("operationName not a string", b'{"query": "{ __typename }", "operationName": 1}', 400, "BAD_REQUEST"),
    ("syntax error", b'{"query": "{ topProducts { "}', 400, "GRAPHQL_PARSE_FAILED"),
    ("unknown field", b'{"query": "{ nope }"}', 400, "GRAPHQL_VALIDATION_FAILED"),
    ("inaccessible field", b'{"query": "{ topProducts { secret } }"}', 400, "GRAPHQL_VALIDATION_FAILED"),
    ("unknown operation", b'{"query": "query A { __typename }", "operationName": "B"}', 400, "OPERATION_NOT_FOUND"),
    (
        "variable of the wrong type",
        b'{"query": "query($u: String!) { product(upc: $u) { name } }", "variables": {"u": 5}}',
        400,
        "BAD_USER_INPUT",
    ),
    ("missing variable", b'{"query": "query($u: String!) { product(upc: $u) { name } }"}', 400, "BAD_USER_INPUT"),
]


@pytest.mark.parametrize(("case", "body", "status", "code"), BAD_POSTS, ids=[c[0] for c in BAD_POSTS])
async def test_bad_input_is_a_4xx_with_a_code(
    router: httpx.AsyncClient, case: str, body: bytes, status: int, code: str
) -> None:
    response = await router.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status, case
    payload = response.json()
    assert set(payload) == {"errors"}
    assert payload["errors"][0]["extensions"]["code"] == code
    assert "Traceback" not in response.text


async def test_errors_carry_locations(router: httpx.AsyncClient) -> None:
    status, body = await post(router, "{\n  nope\n}")
    assert status == 400
    assert body["errors"][0]["locations"] == [{"line": 2, "column": 3}]


async def test_mutation_over_get_is_405(router: httpx.AsyncClient) -> None:
    response = await router.get("/graphql", params={"query": 'mutation { createProduct(upc: "g", name: "G") { upc } }'})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


async def test_get_with_bad_variables_json(router: httpx.AsyncClient) -> None:
    response = await router.get("/graphql", params={"query": "{ __typename }", "variables": "{"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


# --- failing subgraphs --------------------------------------------------------------------------


async def _broken(request: Request) -> Response:
    mode = request.path_params["mode"]
    if mode == "slow":
        await asyncio.sleep(2)
    if mode == "invalid":
        return PlainTextResponse("<html>not json</html>")
    if mode == "refuses":  # a request-level GraphQL error: no data, no path
        return JSONResponse({"data": None, "errors": [{"message": "refused", "extensions": {"code": "X"}}]})
    return PlainTextResponse("boom", status_code=500)


@pytest.fixture(scope="module")
def broken_server() -> Any:
    server = ServerThread(Starlette(routes=[Route("/{mode}", _broken, methods=["POST"])]))
    server.start()
    yield server
    server.stop()


def _router_with_users_at(subgraphs: Subgraphs, tmp_path: Path, users_url: str, timeout_seconds: float = 2.0) -> Any:
    urls = {**subgraphs.urls, "users": users_url}
    return create_app(settings(timeout=timeout_seconds), write_supergraph(tmp_path, urls))


async def test_unavailable_subgraph_gives_partial_data(subgraphs: Subgraphs, tmp_path: Path) -> None:
    app = _router_with_users_at(subgraphs, tmp_path, f"http://127.0.0.1:{free_port()}/graphql")
    async with router_client(app) as client:
        status, body = await post(client, "{ topProducts(first: 1) { name } me { username } }")
        assert status == 200
        assert body["data"] == {"topProducts": [{"name": "Table"}], "me": None}
        (error,) = body["errors"]
        assert "'users'" in error["message"]
        assert error["path"] == ["me"]
        assert error["extensions"] == {"code": "SUBGRAPH_UNAVAILABLE", "serviceName": "users"}

        # An entity fetch failing: nullable field becomes null where it was asked for.
        _, body = await post(client, '{ review(id: "r1") { body author { id email } } }')
        assert body["data"] == {"review": {"body": "Love it", "author": {"id": "u1", "email": None}}}
        (error,) = body["errors"]
        assert error["path"] == ["review", "author", "email"]
        assert error["extensions"]["serviceName"] == "users"

        # A non-null field missing: null bubbles to the nearest nullable parent, one error.
        _, body = await post(client, '{ review(id: "r1") { body author { username } } }')
        assert body["data"] == {"review": None}
        assert [e["path"] for e in body["errors"]] == [["review", "author", "username"]]

        # A batched fetch failing: an error at each object of each path, naming that path's field.
        _, body = await post(client, '{ review(id: "r2") { author { email } likedBy { id username } } }')
        assert body["data"] == {"review": None}
        assert [e["path"] for e in body["errors"]] == [
            ["review", "author", "email"],
            ["review", "likedBy", 0, "username"],
        ]


async def test_a_subgraph_refusing_the_whole_fetch_is_reported_once(
    subgraphs: Subgraphs, tmp_path: Path, broken_server: ServerThread
) -> None:
    # `me` is null because users refused the request; that error says so, and no second
    # "Cannot return null" error may blame the router for it.
    app = _router_with_users_at(subgraphs, tmp_path, f"http://127.0.0.1:{broken_server.port}/refuses")
    refused = {"message": "refused", "extensions": {"code": "X", "serviceName": "users"}}
    async with router_client(app) as client:
        _, body = await post(client, "{ me { username } topProducts(first: 1) { upc } }")
        assert body["data"] == {"me": None, "topProducts": [{"upc": "p1"}]}
        assert body["errors"] == [refused]
        _, body = await post(client, "{ userCount topProducts(first: 1) { upc } }")  # userCount is Int!
        assert body == {"data": None, "errors": [refused]}


@pytest.mark.parametrize(
    ("mode", "reason"),
    [("status", "HTTP status 500"), ("invalid", "not valid JSON"), ("slow", "no response within")],
)
async def test_broken_subgraph_is_subrequest_http_error(
    subgraphs: Subgraphs, tmp_path: Path, broken_server: ServerThread, mode: str, reason: str
) -> None:
    url = f"http://127.0.0.1:{broken_server.port}/{mode}"
    app = _router_with_users_at(subgraphs, tmp_path, url, timeout_seconds=0.3)
    async with router_client(app) as client:
        status, body = await post(client, "{ me { username } topProducts(first: 1) { upc } }")
    assert status == 200
    assert body["data"] == {"me": None, "topProducts": [{"upc": "p1"}]}
    (error,) = body["errors"]
    assert reason in error["message"]
    assert error["extensions"] == {"code": "SUBREQUEST_HTTP_ERROR", "serviceName": "users"}
    assert error["path"] == ["me"]


# --- start-up -----------------------------------------------------------------------------------


async def test_composes_from_running_subgraphs_at_startup(subgraphs: Subgraphs, tmp_path: Path) -> None:
    output = tmp_path / "schema" / "supergraph.graphql"
    app = create_app(settings(), None, subgraph_urls=subgraphs.urls, supergraph_output=output)
    async with router_client(app) as client:
        await wait_ready(client)
        _, body = await post(client, '{ product(upc: "p3") { name reviews { author { username } } } }')
    assert body == {"data": {"product": {"name": "Lamp", "reviews": [{"author": {"username": "alan"}}]}}}
    assert "join__Graph" in output.read_text()


async def test_becomes_ready_when_a_late_subgraph_comes_up(subgraphs: Subgraphs, tmp_path: Path) -> None:
    late = ServerThread(GraphQL(load_fixture("users").schema))
    urls = {**subgraphs.urls, "users": late.url}
    app = create_app(settings(), None, subgraph_urls=urls, supergraph_output=tmp_path / "s.graphql")
    # Until it starts, the late subgraph's port only takes a connection and drops it, so the test
    # knows when composition has been tried (and has failed) instead of guessing how long it takes.
    with socket.create_server(("127.0.0.1", late.port)) as not_yet:
        not_yet.settimeout(30)
        async with router_client(app) as client:
            knock, _ = await asyncio.to_thread(not_yet.accept)
            knock.close()
            not_yet.close()

            assert (await client.get("/ready")).status_code == 503
            late.start()
            try:
                await wait_ready(client)
                _, body = await post(client, '{ product(upc: "p3") { reviews { author { username } } } }')
            finally:
                late.stop()
    assert body == {"data": {"product": {"reviews": [{"author": {"username": "alan"}}]}}}


async def test_not_ready_while_a_subgraph_is_missing(subgraphs: Subgraphs, tmp_path: Path) -> None:
    urls = {**subgraphs.urls, "users": f"http://127.0.0.1:{free_port()}/graphql"}
    app = create_app(settings(), None, subgraph_urls=urls, supergraph_output=tmp_path / "s.graphql")
    async with router_client(app) as client:
        assert (await client.get("/ready")).status_code == 503
        response = await client.post("/graphql", json={"query": "{ __typename }"})
        assert response.status_code == 503
        assert json.loads(response.text)["errors"][0]["extensions"]["code"] == "SUBGRAPH_UNAVAILABLE"
        assert (await client.get("/health")).status_code == 200


@pytest.mark.asyncio
async def test_an_operation_the_planner_cannot_plan_is_a_500_with_its_own_code(
    subgraphs: Subgraphs, tmp_path: Path
) -> None:
    app = create_app(settings(), write_supergraph(tmp_path, subgraphs.urls))
    async with router_client(app) as client:
        await wait_ready(client)
        # Drop reviews' key of Product: Product.reviews is still in the schema, but unreachable.
        graph = app.state.router.pipeline.supergraph
        graph.types["Product"].keys = [key for key in graph.types["Product"].keys if key.subgraph != "reviews"]
        status, body = await post(client, "{ topProducts { reviews { body } } }")
        healthy, _ = await post(client, "{ topProducts { name } }")
    assert status == 500
    assert body["errors"][0]["extensions"]["code"] == "QUERY_PLANNING_FAILED"
    assert "Product.reviews" in body["errors"][0]["message"]
    assert healthy == 200


@pytest.mark.asyncio
async def test_an_operation_that_takes_longer_than_the_planning_budget_is_refused(
    subgraphs: Subgraphs, tmp_path: Path
) -> None:
    # A budget of a nanosecond: no operation with a field to plan can be planned within it.
    app = create_app(settings(kcp_planning_timeout_ms=1e-6), write_supergraph(tmp_path, subgraphs.urls))
    async with router_client(app) as client:
        await wait_ready(client)
        status, body = await post(client, "{ topProducts { name reviews { body } } }")
        typename, answer = await post(client, "{ __typename }")  # nothing to plan: within any budget
    assert status == 400
    assert body["errors"][0]["extensions"]["code"] == "QUERY_PLANNING_TIMEOUT"
    assert "data" not in body
    assert (typename, answer) == (200, {"data": {"__typename": "Query"}})

"""The router under bad and hostile input: never a 5xx, a traceback or a hang, and it keeps serving.

Every request goes over HTTP to the ``router`` fixture (real fixture subgraphs behind it). Each
answer must be a 200 or a 4xx with a JSON body; a refusal carries ``errors[0].extensions.code`` and
no Python internals; nothing takes longer than ``HANG_SECONDS``; and ``{ __typename }`` still
answers afterwards.

The generated inputs use Hypothesis from a worker thread: its examples are synchronous, so each
request is handed to the test's event loop (where the ASGI app and the client live) and awaited
from the thread with a timeout, which is also what catches a hang.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import traceback
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pytest
from graphql import build_schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kcp.errors import ErrorCode
from router.documents import MAX_EXPANDED_FIELDS, DocumentCache
from router.errors import RouterError
from router.pipeline.http import MAX_BODY_BYTES

if TYPE_CHECKING:
    from collections.abc import Callable

    import httpx

pytestmark = pytest.mark.asyncio

HANG_SECONDS = 5.0
CODES = {str(code) for code in ErrorCode}
# A Python exception's name and colon ("ValueError: ..."), a traceback, or a source location; but
# not GraphQL's own "Syntax Error: ..." (a space before "Error").
INTERNALS = re.compile(r"Traceback|File \"|\b\w+(Error|Exception):|internal router error|<\w+ object at 0x")
JSON_HEADERS = {"content-type": "application/json"}
PROPERTY = settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

VALID_QUERIES = [
    "{ __typename }",
    "{ topProducts(first: 2) { upc name price kind } }",
    '{ product(upc: "p1") { name reviews { body author { username } } } }',
    '{ search(text: "a") { __typename ... on Product { name } ... on Collection { id title } } }',
    "query Q($first: Int = 1) { topProducts(first: $first) { name shippingEstimate } }",
    'query A { me { username } } query B { review(id: "r1") { body flaky } }',
    "{ ...F } fragment F on Query { topProducts { ...P } } fragment P on Product { upc name }",
    '{ __type(name: "Product") { name fields { name type { name ofType { name } } } } }',
    '{ topProducts @skip(if: false) { name @include(if: true) } a: product(upc: "p2") { name } }',
]
TYPED_QUERY = """query Typed($first: Int, $upc: String!, $id: ID!, $skip: Boolean!, $text: String = "a") {
  topProducts(first: $first) { name @skip(if: $skip) }
  product(upc: $upc) { name }
  review(id: $id) { body }
  search(text: $text) { __typename }
}"""
GRAPHQL_ALPHABET = [
    *"{}()[]:$@!.,=\"' \n\t#|&_azAZ09-",
    "...",
    " on ",
    "fragment ",
    "query ",
    "mutation ",
    "__typename",
    "__schema",
    "$v",
    "@skip(if: true)",
    '"""',
    "\\u0000",
    "\ud800",
    "é",
]


# --- checks ---------------------------------------------------------------------------------------


def check_answer(response: httpx.Response, allowed: set[int] | None = None) -> dict[str, Any]:
    """The JSON body of an acceptable answer; fails on a 5xx, a non-JSON body or leaked internals."""
    status = response.status_code
    if allowed is not None:
        assert status in allowed, (status, response.text[:500])
    assert status == 200 or 400 <= status < 500, (status, response.text[:500])
    assert response.headers["content-type"].split(";")[0] in {"application/json", "application/graphql-response+json"}
    body = response.json()
    assert isinstance(body, dict), body
    if status >= 400:
        assert set(body) == {"errors"}, body
        assert body["errors"], body
        for error in body["errors"]:
            assert error["extensions"]["code"] in CODES, error
    else:
        assert "data" in body or "errors" in body, body
    for error in body.get("errors") or ():
        assert not INTERNALS.search(str(error.get("message"))), error
    assert "Traceback" not in response.text
    return body


@pytest.fixture(autouse=True)
def modern_client(router: httpx.AsyncClient) -> None:
    # A client that asks for application/graphql-response+json gets 4xx statuses for refusals;
    # with application/json (also the answer to */* or no Accept) the spec wants a 200 instead.
    router.headers["accept"] = "application/graphql-response+json"


async def still_serving(router: httpx.AsyncClient) -> None:
    response = await router.post("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


async def timed(router: httpx.AsyncClient, method: str, path: str = "/graphql", **kwargs: Any) -> httpx.Response:
    started = time.monotonic()
    response = await asyncio.wait_for(router.request(method, path, **kwargs), timeout=HANG_SECONDS * 4)
    elapsed = time.monotonic() - started
    assert elapsed < HANG_SECONDS, f"{method} took {elapsed:.1f} s"
    return response


async def run_property(router: httpx.AsyncClient, prop: Callable[[Callable[..., httpx.Response]], None]) -> None:
    """Run a Hypothesis property in a worker thread; ``send(method, **kwargs)`` does one request."""
    loop = asyncio.get_running_loop()

    def send(method: str = "POST", **kwargs: Any) -> httpx.Response:
        future = asyncio.run_coroutine_threadsafe(timed(router, method, **kwargs), loop)
        return future.result(timeout=HANG_SECONDS * 5)

    await asyncio.to_thread(prop, send)
    await still_serving(router)


# --- generated inputs -----------------------------------------------------------------------------

surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
texts = st.text(max_size=30) | st.text(alphabet=st.characters() | surrogates, max_size=10)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(texts, children, max_size=4),
    max_leaves=12,
)


def json_bytes(value: object) -> bytes:
    # ensure_ascii: lone surrogates go out as \udXXX escapes; NaN/Infinity as bare tokens.
    return json.dumps(value).encode()


async def test_arbitrary_bytes_as_a_json_body(router: httpx.AsyncClient) -> None:
    prefixes = st.sampled_from([b"", b"{", b'{"query": ', b'{"query": "{ __typename }", "variables": '])

    @PROPERTY
    @given(prefix=prefixes, body=st.binary(max_size=200))
    def prop(send: Callable[..., httpx.Response], prefix: bytes, body: bytes) -> None:
        check_answer(send(content=prefix + body, headers=JSON_HEADERS))

    await run_property(router, prop)


async def test_arbitrary_json_values_as_the_body(router: httpx.AsyncClient) -> None:
    @PROPERTY
    @given(value=json_values)
    def prop(send: Callable[..., httpx.Response], value: object) -> None:
        response = send(content=json_bytes(value), headers=JSON_HEADERS)
        check_answer(response, {400})

    await run_property(router, prop)


async def test_request_fields_of_any_type(router: httpx.AsyncClient) -> None:
    fields = st.fixed_dictionaries(
        {},
        optional={
            "query": st.sampled_from(VALID_QUERIES) | json_values,
            "variables": json_values,
            "operationName": st.sampled_from(["A", "B", "Q", ""]) | json_values,
            "extensions": json_values,
        },
    )

    @PROPERTY
    @given(payload=fields)
    def prop(send: Callable[..., httpx.Response], payload: dict[str, object]) -> None:
        check_answer(send(content=json_bytes(payload), headers=JSON_HEADERS))

    await run_property(router, prop)


@st.composite
def mutated_queries(draw: st.DrawFn) -> str:
    query = draw(st.sampled_from(VALID_QUERIES))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(query)))
        kind = draw(st.sampled_from(["delete", "duplicate", "insert"]))
        if kind == "delete":
            query = query[:at] + query[at + draw(st.integers(1, 5)) :]
        elif kind == "duplicate":
            query = query[:at] + query[at : at + draw(st.integers(1, 20))] + query[at:]
        else:
            query = query[:at] + draw(st.sampled_from(GRAPHQL_ALPHABET)) + query[at:]
    return query


async def test_mutated_valid_queries(router: httpx.AsyncClient) -> None:
    @PROPERTY
    @given(query=mutated_queries(), operation_name=st.sampled_from([None, "A", "B", "Q"]))
    def prop(send: Callable[..., httpx.Response], query: str, operation_name: str | None) -> None:
        body = json_bytes({"query": query, "operationName": operation_name})
        check_answer(send(content=body, headers=JSON_HEADERS))

    await run_property(router, prop)


async def test_random_variables_for_typed_variables(router: httpx.AsyncClient) -> None:
    ints = st.integers(-(2**31), 2**31 - 1) | st.integers() | st.sampled_from([2**40, -(2**63), 10**30])
    values = (
        st.none()
        | st.booleans()
        | ints
        | st.floats()
        | texts
        | texts
        | st.lists(ints | texts, max_size=3)
        | json_values
    )
    # Valid values for the rest, so a bad one is not hidden behind a missing required variable,
    # and good-looking ones (lone surrogates in strings, say) travel on to the subgraphs.
    valid = {"upc": "p1", "id": "r1", "skip": False}
    names = st.sampled_from(["first", "upc", "id", "skip", "text", "extra"])
    variables = st.dictionaries(names, values, max_size=3).map(lambda drawn: {**valid, **drawn})

    @PROPERTY
    @given(variables=variables)
    def prop(send: Callable[..., httpx.Response], variables: dict[str, object]) -> None:
        response = send(content=json_bytes({"query": TYPED_QUERY, "variables": variables}), headers=JSON_HEADERS)
        body = check_answer(response, {200, 400})
        if response.status_code == 400:
            assert body["errors"][0]["extensions"]["code"] in {"BAD_USER_INPUT", "BAD_REQUEST"}, body

    await run_property(router, prop)


async def test_get_with_random_parameters(router: httpx.AsyncClient) -> None:
    names = st.sampled_from(["query", "variables", "operationName", "extensions", "x"])
    values = st.sampled_from(VALID_QUERIES) | mutated_queries() | st.text(max_size=40) | json_values.map(json.dumps)
    headers = st.sampled_from([{}, {"accept": "application/json"}, {"accept": "text/html"}, {"accept": "*/*"}])

    @PROPERTY
    @given(params=st.dictionaries(names, values, max_size=5), accept=headers)
    def prop(send: Callable[..., httpx.Response], params: dict[str, str], accept: dict[str, str]) -> None:
        # Percent-encoded here: httpx cannot encode a lone surrogate, and a hostile client sends its
        # UTF-8 bytes (%ED%A0%80) anyway.
        query_string = urlencode(params, encoding="utf-8", errors="surrogatepass")
        response = send("GET", path=f"/graphql?{query_string}", headers=accept)
        if response.headers["content-type"].startswith("text/html"):
            assert "query" not in params  # GraphiQL, only for a browser without a query
            return
        check_answer(response, {200, 400, 405})

    await run_property(router, prop)


# --- targeted hostile cases -------------------------------------------------------------------------


def nested(depth: int) -> str:
    return "{ topProducts " + "{ reviews { product " * depth + "{ name }" + " } }" * depth + " }"


def fragment_chain(length: int) -> str:
    chain = "".join(f"fragment F{i} on Product {{ reviews {{ product {{ ...F{i + 1} }} }} }}\n" for i in range(length))
    return f"{{ topProducts {{ ...F0 }} }}\n{chain}fragment F{length} on Product {{ name }}"


def fragment_bomb(levels: int) -> str:
    """Each fragment spreads the next one twice: 2**levels fields from a few hundred bytes."""
    spreads = "".join(f"fragment F{i} on Product {{ name ...F{i + 1} ...F{i + 1} }}\n" for i in range(levels))
    return f"{{ topProducts {{ ...F0 }} }}\n{spreads}fragment F{levels} on Product {{ upc }}"


def aliases(count: int, field: str = "__typename") -> str:
    return "{ " + " ".join(f"a{i}: {field}" for i in range(count)) + " }"


def of_type(depth: int) -> str:
    return '{ __type(name: "Product") { fields { type { ' + "ofType { " * depth + "name" + " }" * depth + " } } } }"


def post(query: str, **extra: object) -> dict[str, Any]:
    return {"method": "POST", "json": {"query": query, **extra}}


def raw(body: bytes, content_type: str | None = "application/json") -> dict[str, Any]:
    headers = {} if content_type is None else {"content-type": content_type}
    return {"method": "POST", "content": body, "headers": headers}


def typed(variables: dict[str, Any]) -> dict[str, Any]:
    return post(
        "query($first: Int, $upc: String!) { topProducts(first: $first) { name } product(upc: $upc) { name } }",
        variables=variables,
    )


BIG = "x" * (MAX_BODY_BYTES // 2)
# (case, request, acceptable statuses, the error code when refused)
HOSTILE: list[tuple[str, dict[str, Any], set[int], str | None]] = [
    # documents
    ("deep nesting", post(nested(300)), {400}, "GRAPHQL_PARSE_FAILED"),
    ("deep nesting in one line of braces", post("{" * 5000 + "}" * 5000), {400}, "GRAPHQL_PARSE_FAILED"),
    ("deep nesting through fragments", post(fragment_chain(250)), {400}, "OPERATION_LIMIT_EXCEEDED"),
    ("fragment bomb", post(fragment_bomb(40)), {400}, "GRAPHQL_VALIDATION_FAILED"),
    ("fragment bomb just over the field limit", post(fragment_bomb(14)), {400}, "GRAPHQL_VALIDATION_FAILED"),
    ("fragment doubling under the field limit", post(fragment_bomb(8)), {200}, None),
    ("20k aliases", post(aliases(20_000)), {400}, "GRAPHQL_PARSE_FAILED"),
    ("4k aliases", post(aliases(4_000)), {400}, "OPERATION_LIMIT_EXCEEDED"),
    ("50 aliases: the limit", post("{ topProducts " + aliases(50, "name") + " }"), {200}, None),
    (
        "2k aliases of a remote field",
        post("{ topProducts " + aliases(2_000, "reviews { body }") + " }"),
        {400},
        "OPERATION_LIMIT_EXCEEDED",
    ),
    (
        "2k fields under one response key",
        post("{ " + "a: topProducts { name } " * 2_000 + "}"),
        {400},
        "OPERATION_LIMIT_EXCEEDED",
    ),
    ("huge string literal", post(f'{{ product(upc: "{BIG}") {{ name }} }}'), {200}, None),
    ("huge string variable", typed({"upc": BIG}), {200}, None),
    (
        "many operations, no operationName",
        post(" ".join(f"query Q{i} {{ __typename }}" for i in range(1000))),
        {400},
        "OPERATION_NOT_FOUND",
    ),
    (
        "many operations, one named",
        post(" ".join(f"query Q{i} {{ __typename }}" for i in range(1000)), operationName="Q999"),
        {200},
        None,
    ),
    ("unknown operationName", post("query A { __typename }", operationName="B"), {400}, "OPERATION_NOT_FOUND"),
    ("anonymous among named", post("{ __typename } query A { __typename }"), {400}, "GRAPHQL_VALIDATION_FAILED"),
    (
        "fragment cycle",
        post("{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"),
        {400},
        "GRAPHQL_VALIDATION_FAILED",
    ),
    (
        "fragment cycle on an object",
        post("{ topProducts { ...A } } fragment A on Product { ...B } fragment B on Product { name ...A }"),
        {400},
        "GRAPHQL_VALIDATION_FAILED",
    ),
    ("self-spreading fragment", post("{ ...A } fragment A on Query { ...A }"), {400}, "GRAPHQL_VALIDATION_FAILED"),
    ("unknown fragment", post("{ ...Nope }"), {400}, "GRAPHQL_VALIDATION_FAILED"),
    ("fragment on an unknown type", post("{ ...A } fragment A on Nope { x }"), {400}, "GRAPHQL_VALIDATION_FAILED"),
    ("@skip with a string", post('{ topProducts @skip(if: "x") { name } }'), {400}, "GRAPHQL_VALIDATION_FAILED"),
    ("@skip without if", post("{ topProducts @skip { name } }"), {400}, "GRAPHQL_VALIDATION_FAILED"),
    (
        "@include twice",
        post("{ __typename @include(if: true) @include(if: false) }"),
        {400},
        "GRAPHQL_VALIDATION_FAILED",
    ),
    ("unknown directive", post("{ __typename @nope }"), {400}, "GRAPHQL_VALIDATION_FAILED"),
    ("@skip on an operation", post("query @skip(if: true) { __typename }"), {400}, "GRAPHQL_VALIDATION_FAILED"),
    (
        "__typename everywhere",
        post(
            "{ __typename t: __typename topProducts { __typename reviews { __typename author "
            '{ __typename } } } search(text: "a") { __typename } ... on Query { __typename } }'
        ),
        {200},
        None,
    ),
    ("__typename alone in a mutation", post("mutation { __typename }"), {200}, None),
    ("subscription", post("subscription { __typename }"), {400}, "GRAPHQL_VALIDATION_FAILED"),
    ("__typename on a leaf", post("{ topProducts { name { __typename } } }"), {400}, "GRAPHQL_VALIDATION_FAILED"),
    (
        "__schema below the root",
        post("{ topProducts { __schema { types { name } } } }"),
        {400},
        "GRAPHQL_VALIDATION_FAILED",
    ),
    ("introspection with deep ofType", post(of_type(150)), {400}, "OPERATION_LIMIT_EXCEEDED"),
    ("introspection ofType as deep as GraphiQL's", post(of_type(10)), {200}, None),
    ("introspection too deep", post(of_type(400)), {400}, "GRAPHQL_PARSE_FAILED"),
    (
        "full __schema",
        post(
            "{ __schema { types { name fields { name args { name type { name ofType { name } } } } } "
            "directives { name args { name } } } }"
        ),
        {200},
        None,
    ),
    # variables
    ("variable declared, not used", post("query($v: Int) { __typename }"), {400}, "GRAPHQL_VALIDATION_FAILED"),
    ("variable used, not declared", post("{ topProducts(first: $v) { name } }"), {400}, "GRAPHQL_VALIDATION_FAILED"),
    (
        "variable of an unknown type",
        post("query($v: Nope) { topProducts(first: $v) { name } }"),
        {400},
        "GRAPHQL_VALIDATION_FAILED",
    ),
    ("null for a non-null variable", typed({"upc": None}), {400}, "BAD_USER_INPUT"),
    ("missing non-null variable", typed({}), {400}, "BAD_USER_INPUT"),
    ("Int overflow 2**40", typed({"upc": "p1", "first": 2**40}), {400}, "BAD_USER_INPUT"),
    ("Int overflow 10**400", typed({"upc": "p1", "first": 10**400}), {400}, "BAD_USER_INPUT"),
    ("float for an Int", typed({"upc": "p1", "first": 1.5}), {400}, "BAD_USER_INPUT"),
    ("list for a String", typed({"upc": ["p1"]}), {400}, "BAD_USER_INPUT"),
    ("object for an Int", typed({"upc": "p1", "first": {"a": 1}}), {400}, "BAD_USER_INPUT"),
    ("Int literal overflow", post("{ topProducts(first: 99999999999) { name } }"), {400}, "GRAPHQL_VALIDATION_FAILED"),
    # JSON
    (
        "NaN token",
        raw(b'{"query": "query($f: Int) { topProducts(first: $f) { name } }", "variables": {"f": NaN}}'),
        {400},
        "BAD_REQUEST",
    ),
    ("Infinity token", raw(b'{"query": "{ __typename }", "extensions": {"x": Infinity}}'), {400}, "BAD_REQUEST"),
    ("-Infinity token", raw(b'{"query": "{ __typename }", "variables": {"x": -Infinity}}'), {400}, "BAD_REQUEST"),
    ("duplicate JSON keys", raw(b'{"query": "{ nope }", "query": "{ __typename }"}'), {200}, None),
    ("duplicate JSON keys, bad last", raw(b'{"query": "{ __typename }", "query": 1}'), {400}, "BAD_REQUEST"),
    (
        "5000-digit number",
        raw(b'{"query": "{ __typename }", "variables": {"x": ' + b"9" * 5000 + b"}}"),
        {400},
        "BAD_REQUEST",
    ),
    (
        "deeply nested JSON",
        raw(b'{"query": "{ __typename }", "variables": {"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"),
        {400},
        "BAD_REQUEST",
    ),
    ("lone surrogate in the query", raw(b'{"query": "{ __typename } # \\ud800"}'), {400}, "BAD_REQUEST"),
    (
        "lone surrogate in a variable",
        raw(b'{"query": "query($u: String!) { product(upc: $u) { name } }", "variables": {"u": "\\udfff"}}'),
        {400},
        "BAD_REQUEST",
    ),
    ("paired surrogates are fine", raw(b'{"query": "{ __typename } # \\ud83d\\ude00"}'), {200}, None),
    ("invalid UTF-8", raw(b'{"query": "\xff\xfe{ __typename }"}'), {400}, "BAD_REQUEST"),
    ("empty body", raw(b""), {400}, "BAD_REQUEST"),
    ("JSON null", raw(b"null"), {400}, "BAD_REQUEST"),
    ("a batch", raw(b'[{"query": "{ __typename }"}]'), {400}, "BAD_REQUEST"),
    (
        "body over the limit",
        raw(b'{"query": "{ __typename }", "variables": {"x": "' + b"x" * (5 * 2**20) + b'"}}'),
        {413},
        "BAD_REQUEST",
    ),
    # HTTP
    ("no Content-Type", raw(b'{"query": "{ __typename }"}', None), {415}, "BAD_REQUEST"),
    ("text/plain", raw(b'{"query": "{ __typename }"}', "text/plain"), {415}, "BAD_REQUEST"),
    ("form", raw(b"query=%7B__typename%7D", "application/x-www-form-urlencoded"), {415}, "BAD_REQUEST"),
    ("application/graphql", raw(b"{ __typename }", "application/graphql"), {415}, "BAD_REQUEST"),
    ("garbage Content-Type", raw(b'{"query": "{ __typename }"}', "%%%; ;;"), {415}, "BAD_REQUEST"),
    ("JSON with a charset", raw(b'{"query": "{ __typename }"}', "Application/JSON; charset=utf-8"), {200}, None),
    (
        "Accept: application/xml",
        {"method": "POST", "json": {"query": "{ __typename }"}, "headers": {"accept": "application/xml"}},
        {200, 406},
        None,
    ),
    (
        "Accept: garbage",
        {"method": "POST", "json": {"query": "{ nope }"}, "headers": {"accept": ",,;q=x"}},
        {200, 400},  # unreadable Accept: answered as application/json, whose request errors are 200s
        "GRAPHQL_VALIDATION_FAILED",
    ),
    *[
        (f"{m} /graphql", {"method": m, "json": {"query": "{ __typename }"}}, {405}, "METHOD_NOT_ALLOWED")
        for m in ("PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "BREW")
    ],
    ("GET without a query", {"method": "GET"}, {400}, "BAD_REQUEST"),
    (
        "GET with NaN variables",
        {"method": "GET", "params": {"query": "{ __typename }", "variables": '{"x": NaN}'}},
        {400},
        "BAD_REQUEST",
    ),
    (
        "GET with deep variables",
        {"method": "GET", "params": {"query": "{ __typename }", "variables": "[" * 8_000 + "]" * 8_000}},
        {400},
        "BAD_REQUEST",
    ),
]


@pytest.mark.parametrize(("case", "request_", "statuses", "code"), HOSTILE, ids=[c[0] for c in HOSTILE])
async def test_hostile_request(
    router: httpx.AsyncClient, case: str, request_: dict[str, Any], statuses: set[int], code: str | None
) -> None:
    arguments = dict(request_)
    response = await timed(router, arguments.pop("method"), **arguments)
    body = check_answer(response, statuses)
    if response.status_code >= 400 and code is not None:
        assert body["errors"][0]["extensions"]["code"] == code, (case, body)
    if response.status_code == 405:
        assert set(response.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    await still_serving(router)


# --- regressions for bugs these tests found -----------------------------------------------------------


async def test_fragment_bomb_is_refused_before_planning(router: httpx.AsyncClient) -> None:
    # Was: 2**levels expansions in the planner and in shaping; 18 levels took 15 s, 40 never ended.
    response = await timed(router, "POST", json={"query": fragment_bomb(40)})
    assert response.status_code == 400
    assert str(MAX_EXPANDED_FIELDS) in response.json()["errors"][0]["message"]
    # Doubling that stays under the limit is still answered, once per distinct field.
    response = await timed(router, "POST", json={"query": fragment_bomb(8)})
    assert response.status_code == 200
    assert response.json()["data"]["topProducts"][0] == {"name": "Table", "upc": "p1"}


async def test_lone_surrogates_are_a_400_not_a_500(router: httpx.AsyncClient) -> None:
    # Was: 500 from hashing the document, or from httpx encoding the variables for a subgraph.
    for body in (b'{"query": "{ __typename } # \\ud800"}', b'{"query": "{ topProducts { name } }", "x": "\\udc00"}'):
        response = await timed(router, "POST", content=body, headers=JSON_HEADERS)
        assert response.status_code == 400
        assert "surrogate" in response.json()["errors"][0]["message"]


async def test_surrogates_encoded_as_utf8_bytes_are_a_400_not_a_500(router: httpx.AsyncClient) -> None:
    # Was: 500. json.loads decodes bytes with 'surrogatepass', so ED B2 80 (U+DC80 encoded as if it
    # were a character) became a lone surrogate without any escape for the check to find.
    for body in (
        b'{"query": "{ topProducts { name } }", "variables": {"x": "\xed\xb2\x80"}}',
        b'{"query": "{ __typename } # \xed\xa0\x80"}',
    ):
        response = await timed(router, "POST", content=body, headers=JSON_HEADERS)
        assert response.status_code == 400, response.text
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
        assert "UTF-8" in response.json()["errors"][0]["message"]


async def test_other_methods_get_a_json_405(router: httpx.AsyncClient) -> None:
    # Was: Starlette's text/plain "Method Not Allowed".
    response = await router.put("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 405
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert response.headers["allow"] == "GET, HEAD, POST"
    # HEAD is still a GET without a body.
    response = await router.head("/graphql", params={"query": "{ __typename }"})
    assert response.status_code == 200
    assert response.content == b""


async def test_post_needs_a_json_content_type(router: httpx.AsyncClient) -> None:
    # Was: any Content-Type accepted, so a cross-site text/plain POST (no CORS preflight) could run
    # a mutation.
    mutation = b'{"query": "mutation { createProduct(upc: \\"csrf\\", name: \\"x\\") { upc } }"}'
    response = await router.post("/graphql", content=mutation, headers={"content-type": "text/plain"})
    assert response.status_code == 415
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_body_limit_also_without_a_content_length(router: httpx.AsyncClient) -> None:
    async def chunks() -> Any:
        yield b'{"query": "{ __typename }", "variables": {"x": "'
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b"x" * 65536
        yield b'"}}'

    response = await router.post("/graphql", content=chunks(), headers=JSON_HEADERS)
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    await still_serving(router)


async def test_introspection_inside_root_fragments(router: httpx.AsyncClient) -> None:
    # Was: {"__type": null}, since only top-level __schema/__type fields were answered.
    query = (
        '{ ...F ... on Query { b: __type(name: "User") { name } } ... @skip(if: true) { c: __typename } }'
        ' fragment F on Query { __type(name: "Product") { name } topProducts(first: 1) { name } }'
    )
    response = await router.post("/graphql", json={"query": query})
    assert response.status_code == 200
    assert response.json() == {
        "data": {"__type": {"name": "Product"}, "topProducts": [{"name": "Table"}], "b": {"name": "User"}}
    }


async def test_cached_refusals_do_not_grow_a_traceback() -> None:
    # Was: the cached RouterError itself re-raised, its traceback (and the frames, requests and
    # documents it holds) growing by two frames on every repeat of the same broken query.
    cache = DocumentCache(build_schema("type Query { a: Int }"))
    depths = []
    for _ in range(3):
        try:
            cache.get("{ nope }")
        except RouterError as refused:
            depths.append(len(traceback.extract_tb(refused.__traceback__)))
    assert depths[0] == depths[-1]

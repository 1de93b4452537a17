"""Injection payloads — SQL, Cypher, MongoDB operators, GraphQL — in every string argument of every
query and mutation are inert.

Driven by the composed API schema the router serves (the supergraph it wrote at start), not by a
hand list: every root field, every ``String`` or ``ID`` argument and every such field of its input
objects (lists included) gets each payload in turn, the other required arguments a plain value,
as the admin (every scope, so the payload reaches the resolvers and stores). Asserted for every
request: no 5xx, no ``INTERNAL_SERVER_ERROR``, no store error leaking into a message. Where the
argument names a record (an ``ID``, an id, slug, e-mail or key) the answer is the one a benign
string gets: the same error codes and the same shape of data (a lookup by ``' OR '1'='1`` finds
nothing, as a lookup by ``benign`` does). Free-text arguments (search text, bodies, names) may
legitimately find or store something, so there only the first assertions hold. After all of it,
nothing outside what the operations legitimately do has changed: every demo user still logs in
with the same role, and the products, articles and users are all still there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    is_leaf_type,
)

import demo
from demo import people
from router.supergraph import load_supergraph_file

if TYPE_CHECKING:
    from collections.abc import Iterator

    from graphql import GraphQLInputType

    from commands.launcher import Platform

pytestmark = pytest.mark.e2e

PAYLOADS: list[Any] = [
    "' OR '1'='1",
    "'; DROP TABLE tickets; --",
    "1) OR 1=1 --",
    "x'}) MATCH (n) DETACH DELETE n //",
    '" OR 1=1 WITH 1 AS x MATCH (n) RETURN n //',
    '{"$gt": ""}',
    '{"$where": "sleep(5000)"}',
    '"} } query { users(first: 100) { edges { node { email } } } } #',
    "{ __schema { types { name } } }",
]
# A MongoDB operator as an object where the schema wants a string: refused by GraphQL's coercion.
OBJECT_PAYLOADS: list[Any] = [{"$gt": ""}, {"$ne": None}]
BENIGN = "benign"
LEAKS = ("traceback", "syntax error", "sqlstate", "cyphersyntaxerror", "pymongo", "asyncpg", "sqlalchemy")
RECORD_NAMES = ("id", "slug", "email", "key", "kid", "token")
FIXED_SCALARS: dict[str, Any] = {
    "Int": 1,
    "Float": 1.0,
    "Boolean": False,
    "DateTime": "2026-01-01T00:00:00Z",
    "Date": "2026-01-01",
    "JSON": {},
}


@dataclass(frozen=True)
class Slot:
    """One place a string goes: a root field, and the path to the argument or input field."""

    operation: str  # query or mutation
    field: str
    path: tuple[str, ...]
    type_name: str  # String or ID

    @property
    def names_a_record(self) -> bool:
        last = self.path[-1].lower()
        return self.type_name == "ID" or any(last.endswith(name) for name in RECORD_NAMES)

    def __str__(self) -> str:
        return f"{self.operation} {self.field}({'.'.join(self.path)})"


def unwrap(kind: Any) -> Any:
    while isinstance(kind, (GraphQLNonNull, GraphQLList)):
        kind = kind.of_type
    return kind


def value_for(kind: GraphQLInputType, target: tuple[str, ...] | None, payload: Any) -> Any:
    """A value of ``kind``: ``payload`` at ``target`` (a path inside it), plain values elsewhere."""
    if isinstance(kind, GraphQLNonNull):
        return value_for(kind.of_type, target, payload)
    if isinstance(kind, GraphQLList):
        return [value_for(kind.of_type, target, payload)]
    if target == ():
        return payload
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    if isinstance(kind, GraphQLScalarType):
        return FIXED_SCALARS.get(kind.name, BENIGN)
    assert isinstance(kind, GraphQLInputObjectType)
    value = {}
    for name, field in kind.fields.items():
        inner = target[1:] if target and target[0] == name else None
        if inner is not None or (isinstance(field.type, GraphQLNonNull) and field.default_value is None):
            value[name] = value_for(field.type, inner, payload)
    return value


def string_paths(kind: Any, seen: frozenset[str] = frozenset()) -> Iterator[tuple[tuple[str, ...], str]]:
    base = unwrap(kind)
    if isinstance(base, GraphQLScalarType) and base.name in {"String", "ID"}:
        yield (), base.name
    elif isinstance(base, GraphQLInputObjectType) and base.name not in seen:
        for name, field in base.fields.items():
            for path, type_name in string_paths(field.type, seen | {base.name}):
                yield (name, *path), type_name


SCHEMA = None


def api_schema(platform: Platform) -> Any:
    global SCHEMA  # noqa: PLW0603 - read once per run: the composed schema does not change
    if SCHEMA is None:
        router_log = platform.processes["router"].log_path
        assert router_log is not None
        SCHEMA = load_supergraph_file(router_log.parent / "supergraph.graphql").api_schema
    return SCHEMA


def slots(platform: Platform) -> list[Slot]:
    schema = api_schema(platform)
    found = []
    for operation, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        for field_name, field in root.fields.items():
            for argument, spec in field.args.items():
                for path, type_name in string_paths(spec.type):
                    found.append(Slot(operation, field_name, (argument, *path), type_name))
    return found


def request_for(platform: Platform, slot: Slot, payload: Any) -> dict[str, Any]:
    schema = api_schema(platform)
    root = schema.query_type if slot.operation == "query" else schema.mutation_type
    field: GraphQLField = root.fields[slot.field]
    variables, declared, passed = {}, [], []
    for name, spec in field.args.items():
        target = slot.path[1:] if name == slot.path[0] else None
        if target is None and not (isinstance(spec.type, GraphQLNonNull) and spec.default_value is None):
            continue
        variables[name] = value_for(spec.type, target, payload)
        declared.append(f"${name}: {spec.type}")
        passed.append(f"{name}: ${name}")
    selection = "" if is_leaf_type(unwrap(field.type)) else " { __typename }"
    arguments = f"({', '.join(passed)})" if passed else ""
    header = f"({', '.join(declared)})" if declared else ""
    return {"query": f"{slot.operation} Probe{header} {{ {slot.field}{arguments}{selection} }}", "variables": variables}


def shape(value: Any) -> Any:
    if isinstance(value, list):
        return ("list", len(value))
    if isinstance(value, dict):
        return "object"
    return None if value is None else "value"


@dataclass(frozen=True)
class Answer:
    status: int
    codes: tuple[str, ...]
    data: Any
    messages: str

    @property
    def comparable(self) -> bool:
        return "RATE_LIMITED" not in self.codes  # login throttling may start partway through


def send(client: httpx.Client, platform: Platform, body: dict[str, Any], token: str) -> Answer:
    response = client.post(platform.router_url, json=body, headers={"authorization": f"Bearer {token}"})
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    errors = answer.get("errors") or []
    data = answer.get("data") or {}
    return Answer(
        response.status_code,
        tuple(sorted(str((error.get("extensions") or {}).get("code")) for error in errors)),
        {name: shape(value) for name, value in data.items()},
        json.dumps([error.get("message") for error in errors]).lower(),
    )


def login(client: httpx.Client, platform: Platform, email: str) -> dict[str, Any]:
    query = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken user { role } } }"
    variables = {"e": email, "p": demo.generate().demo_password}
    answer: dict[str, Any] = client.post(platform.router_url, json={"query": query, "variables": variables}).json()
    return answer


def inventory(client: httpx.Client, platform: Platform, token: str) -> dict[str, Any]:
    query = """{ products(first: 100) { totalCount } articles(first: 100) { totalCount }
                 users(first: 100) { edges { node { email role active } } } }"""
    headers = {"authorization": f"Bearer {token}"}
    data = client.post(platform.router_url, json={"query": query}, headers=headers).json()["data"]
    users = {edge["node"]["email"]: (edge["node"]["role"], edge["node"]["active"]) for edge in data["users"]["edges"]}
    return {"products": data["products"]["totalCount"], "articles": data["articles"]["totalCount"], "users": users}


def test_injection_payloads_in_every_string_argument_are_inert(platform: Platform) -> None:
    found = slots(platform)
    assert len({(slot.operation, slot.field) for slot in found}) > 40, "the schema drives this test: it found too few"
    problems: list[str] = []
    # The payloads come from another loopback address: the failed logins they cause throttle that
    # address, and the demo logins checked at the end come from 127.0.0.1.
    attacker = httpx.Client(timeout=60, transport=httpx.HTTPTransport(local_address="127.0.0.2"))
    with httpx.Client(timeout=60) as client, attacker:
        admin = login(client, platform, "admin@soundcore.example")["data"]["login"]["accessToken"]
        before = inventory(client, platform, admin)
        for slot in found:
            benign = send(attacker, platform, request_for(platform, slot, BENIGN), admin)
            for payload in PAYLOADS + OBJECT_PAYLOADS:
                answer = send(attacker, platform, request_for(platform, slot, payload), admin)
                where = f"{slot} <- {payload!r}"
                if answer.status >= 500 or "INTERNAL_SERVER_ERROR" in answer.codes:
                    problems.append(f"{where}: {answer.status} {answer.codes} {answer.messages[:200]}")
                elif any(leak in answer.messages for leak in LEAKS):
                    problems.append(f"{where}: a store error leaks: {answer.messages[:200]}")
                elif isinstance(payload, dict) and (answer.status == 200 and not answer.codes):
                    problems.append(f"{where}: an object was accepted where a string belongs")
                elif (
                    slot.names_a_record
                    and isinstance(payload, str)
                    and benign.comparable
                    and answer.comparable
                    and (answer.codes, answer.data) != (benign.codes, benign.data)
                ):
                    got, benign_got = (answer.codes, answer.data), (benign.codes, benign.data)
                    problems.append(f"{where}: {got} where benign got {benign_got}")
        after = inventory(client, platform, admin)
        for email, _, role in people.FIXED_USERS:
            logged_in = (login(client, platform, email).get("data") or {}).get("login") or {}
            if (logged_in.get("user") or {}).get("role", "").lower() != role:
                problems.append(f"{email} no longer logs in as {role}: {logged_in}")
    assert after["products"] == before["products"]
    assert after["articles"] >= before["articles"]
    for email, was in before["users"].items():
        assert after["users"].get(email) == was, f"{email} changed: {was} -> {after['users'].get(email)}"
    assert not problems, f"{len(problems)} of {len(found)} string arguments:\n" + "\n".join(problems[:40])

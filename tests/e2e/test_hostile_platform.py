"""Hostile input against the whole running platform: the router and every subgraph directly.

Malformed and oversized bodies, wrong content types, invalid UTF-8, alias, depth, fragment and
directive bombs, huge list arguments, batches, and an operation for every root field of each
schema: every answer is a coded GraphQL error or data, never a 5xx; every process keeps
serving, and none grows past a memory bound.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from graphql import get_named_type, is_leaf_type, is_non_null_type

from commands.subgraphs import SUBGRAPHS
from kcp.settings import SUPERGRAPH_FILE
from router.supergraph import load_supergraph_file

if TYPE_CHECKING:
    from commands.launcher import Platform

pytestmark = pytest.mark.e2e

RSS_LIMIT_MIB = 600
JSON_HEADERS = {"content-type": "application/json", "accept": "application/graphql-response+json"}


def fragment_bomb(levels: int) -> str:
    spreads = "".join(f"fragment F{i} on Query {{ __typename ...F{i + 1} ...F{i + 1} }}\n" for i in range(levels))
    return "{ ...F0 }\n" + spreads + f"fragment F{levels} on Query {{ __typename }}"


HOSTILE: list[tuple[str, bytes, dict[str, str]]] = [
    ("malformed JSON", b'{"query": "{ __typename }"', JSON_HEADERS),
    ("not an object", b"[1, 2, 3]", JSON_HEADERS),
    ("batch", json.dumps([{"query": "{ __typename }"}] * 50).encode(), JSON_HEADERS),
    ("invalid UTF-8", b'{"query": "{ \xff\xfe }"}', JSON_HEADERS),
    ("text/plain", b'{"query": "{ __typename }"}', {"content-type": "text/plain"}),
    ("no content type", b'{"query": "{ __typename }"}', {}),
    ("3 MB body", json.dumps({"query": "{ __typename }", "variables": {"x": "a" * 3_000_000}}).encode(), JSON_HEADERS),
    (
        "10k aliases",
        json.dumps({"query": "{ " + " ".join(f"a{i}: __typename" for i in range(10_000)) + " }"}).encode(),
        JSON_HEADERS,
    ),
    ("3000 deep", json.dumps({"query": "{ " + "a { " * 3000 + "b" + " }" * 3000 + " }"}).encode(), JSON_HEADERS),
    ("fragment bomb", json.dumps({"query": fragment_bomb(30)}).encode(), JSON_HEADERS),
    (
        "directive bomb",
        json.dumps({"query": "{ __typename " + "@include(if: true) " * 5000 + "}"}).encode(),
        JSON_HEADERS,
    ),
    ("variables not an object", b'{"query": "{ __typename }", "variables": [1]}', JSON_HEADERS),
    ("unknown field", b'{"query": "{ doesNotExist }"}', JSON_HEADERS),
]


def schema_operations() -> list[str]:
    """One operation per root query field of the API with no required arguments, huge list sizes."""
    schema = load_supergraph_file(SUPERGRAPH_FILE).api_schema
    operations = []
    query = schema.query_type
    assert query is not None
    for name, field in query.fields.items():
        required = [a for a in field.args.values() if is_non_null_type(a.type) and a.ast_node.default_value is None]
        if name.startswith("_") or required:
            continue
        size = "(first: 1000000000)" if "first" in field.args else ""
        selection = "" if is_leaf_type(get_named_type(field.type)) else " { __typename }"
        operations.append(f"{{ {name}{size}{selection} }}")
    return operations


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def check(response: httpx.Response, what: str) -> None:
    assert response.status_code < 500, (what, response.status_code, response.text[:300])
    body: Any = response.json()
    assert isinstance(body, dict), what
    for error in body.get("errors") or ():
        assert error.get("extensions", {}).get("code"), (what, error)
    assert "Traceback" not in response.text, what


def test_hostile_input_never_gets_a_5xx_or_takes_a_process_down(platform: Platform) -> None:
    targets = {"router": platform.router_url, **{name: platform.url(name) + "/graphql" for name in SUBGRAPHS}}
    operations = schema_operations()
    with httpx.Client(timeout=60, headers={"apollo-require-preflight": "true"}) as client:
        for target, url in targets.items():
            for case, body, headers in HOSTILE:
                check(client.post(url, content=body, headers=headers), f"{target}: {case}")
            # Sent to each subgraph too: the fields it does not own are its validation errors.
            for operation in operations:
                check(client.post(url, json={"query": operation}, headers=JSON_HEADERS), f"{target}: {operation}")
        for name, process in platform.processes.items():
            assert process.process.poll() is None, f"{name} died"
            assert client.get(platform.url(name) + "/health").status_code == 200, name
            assert rss_mib(process.process.pid) < RSS_LIMIT_MIB, name

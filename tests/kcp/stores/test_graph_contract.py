"""One contract for every GraphStore: the embedded engine (ladybug, Kuzu's Cypher) and Neo4j over Bolt.

The Neo4j half runs when ``KCP_TEST_NEO4J_URI`` names a server (``scripts/services up neo4j``), with
``KCP_TEST_NEO4J_USER``/``KCP_TEST_NEO4J_PASSWORD``. Neo4j Community has one user database, so
every Neo4j test starts by deleting every node, constraint and index in it: a test server only.

The queries are the knowledge subgraph's kinds (batched traversals, merges, multi-hop and
variable-length paths, counts); only the schema and the shortest-path syntax depend on
``store.dialect``, and the two helpers below say how.
"""

from __future__ import annotations

import asyncio
import socket
from typing import TYPE_CHECKING

import pytest
import pytest_asyncio
from pydantic import SecretStr

from kcp.settings import Settings
from kcp.stores.graph_embedded import EmbeddedGraphStore

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from kcp.stores.graph import GraphStore

pytestmark = pytest.mark.asyncio

LABELS = ("Product", "Feature", "KnownIssue", "Solution", "Article")
RELATIONS = (
    ("HAS_FEATURE", "Product", "Feature", ""),
    ("COMPATIBLE_WITH", "Product", "Product", ""),
    ("AFFECTED_BY", "Product", "KnownIssue", ""),
    ("RESOLVED_BY", "KnownIssue", "Solution", ", position INT64"),
    ("DOCUMENTED_IN", "Solution", "Article", ""),
    ("SUCCEEDS", "Product", "Product", ""),
)


def schema_statements(store: GraphStore) -> list[str]:
    """Kuzu declares typed tables with a primary key; Neo4j gets a uniqueness constraint per label."""
    if store.dialect == "kuzu":
        statements = [f"CREATE NODE TABLE IF NOT EXISTS {label}(id STRING, PRIMARY KEY(id))" for label in LABELS]
        statements += [
            f"CREATE REL TABLE IF NOT EXISTS {name}(FROM {source} TO {target}{properties})"
            for name, source, target, properties in RELATIONS
        ]
        return statements
    return [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE" for label in LABELS
    ]


def shortest_hops(store: GraphStore) -> str:
    """Hops of the shortest compatibility path between $a and $b: the syntax is the dialects' own."""
    if store.dialect == "kuzu":
        return (
            "MATCH p = (a:Product {id: $a})-[:COMPATIBLE_WITH* SHORTEST 1..5]-(b:Product {id: $b}) "
            "RETURN length(p) AS hops"
        )
    return (
        "MATCH p = shortestPath((a:Product {id: $a})-[:COMPATIBLE_WITH*1..5]-(b:Product {id: $b})) "
        "RETURN length(p) AS hops"
    )


async def wipe_neo4j(store: GraphStore) -> None:
    await store.run("MATCH (n) DETACH DELETE n")
    for row in await store.run("SHOW CONSTRAINTS YIELD name RETURN name"):
        await store.run(f"DROP CONSTRAINT {row['name']} IF EXISTS")
    for row in await store.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"):
        await store.run(f"DROP INDEX {row['name']} IF EXISTS")


@pytest_asyncio.fixture(params=["embedded", "neo4j"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    if request.param == "embedded":
        graph: GraphStore = EmbeddedGraphStore(str(tmp_path / "graph.lbug"))
    else:
        server = request.getfixturevalue("neo4j_server")
        from kcp.stores.graph_neo4j import Neo4jGraphStore  # noqa: PLC0415

        settings = Settings(
            neo4j_uri=server["uri"], neo4j_user=server["user"], neo4j_password=SecretStr(server["password"])
        )
        graph = Neo4jGraphStore.open(settings)
        await wipe_neo4j(graph)
    try:
        for statement in schema_statements(graph):
            await graph.run(statement)
        yield graph
    finally:
        if graph.dialect == "neo4j":
            await wipe_neo4j(graph)  # leave the shared database as empty as it was found
        await graph.close()


async def seed(store: GraphStore) -> None:
    """A small catalogue: three generations of earbuds, one issue with two ordered solutions."""
    for label, ids in {
        "Product": ["p1", "p2", "p3", "p4"],
        "Feature": ["anc", "ldac"],
        "KnownIssue": ["i1"],
        "Solution": ["s1", "s2"],
        "Article": ["a1", "a2"],
    }.items():
        await store.run(f"UNWIND $ids AS id MERGE (:{label} {{id: id}})", {"ids": ids})
    relations = {
        ("HAS_FEATURE", "Product", "Feature"): [("p1", "anc"), ("p1", "ldac"), ("p2", "anc")],
        ("COMPATIBLE_WITH", "Product", "Product"): [("p1", "p2"), ("p3", "p2")],
        ("AFFECTED_BY", "Product", "KnownIssue"): [("p1", "i1"), ("p2", "i1")],
        ("DOCUMENTED_IN", "Solution", "Article"): [("s1", "a1"), ("s2", "a2"), ("s2", "a1")],
        ("SUCCEEDS", "Product", "Product"): [("p2", "p1"), ("p3", "p2")],
    }
    for (name, source, target), pairs in relations.items():
        await store.run(
            f"UNWIND $rows AS r MATCH (a:{source} {{id: r.from}}), (b:{target} {{id: r.to}}) MERGE (a)-[:{name}]->(b)",
            {"rows": [{"from": a, "to": b} for a, b in pairs]},
        )
    await store.run(
        "UNWIND $rows AS r MATCH (a:KnownIssue {id: r.from}), (b:Solution {id: r.to}) "
        "MERGE (a)-[e:RESOLVED_BY]->(b) SET e.position = r.position",
        {"rows": [{"from": "i1", "to": "s2", "position": 1}, {"from": "i1", "to": "s1", "position": 2}]},
    )


async def test_batched_one_hop_traversal_in_order(store: GraphStore) -> None:
    await seed(store)

    rows = await store.run(
        "MATCH (p:Product)-[:HAS_FEATURE]->(f:Feature) WHERE p.id IN $ids RETURN p.id AS from, f.id AS to "
        "ORDER BY from, to",
        {"ids": ["p2", "p1", "p9"]},
    )

    assert rows == [{"from": "p1", "to": "anc"}, {"from": "p1", "to": "ldac"}, {"from": "p2", "to": "anc"}]


async def test_relationship_properties_order_the_rows(store: GraphStore) -> None:
    await seed(store)

    rows = await store.run(
        "MATCH (i:KnownIssue)-[r:RESOLVED_BY]->(s:Solution) WHERE i.id IN $ids "
        "RETURN i.id AS from, s.id AS to, r.position AS position ORDER BY from, position, to",
        {"ids": ["i1"]},
    )

    assert rows == [{"from": "i1", "to": "s2", "position": 1}, {"from": "i1", "to": "s1", "position": 2}]


async def test_undirected_match_either_way_recorded(store: GraphStore) -> None:
    await seed(store)

    rows = await store.run(
        "MATCH (p:Product)-[:COMPATIBLE_WITH]-(o:Product) WHERE p.id IN $ids AND o.id <> p.id "
        "RETURN DISTINCT p.id AS from, o.id AS to ORDER BY from, to",
        {"ids": ["p2", "p1"]},
    )

    assert rows == [{"from": "p1", "to": "p2"}, {"from": "p2", "to": "p1"}, {"from": "p2", "to": "p3"}]


async def test_multi_hop_path_with_distinct(store: GraphStore) -> None:
    await seed(store)

    rows = await store.run(
        "MATCH (p:Product)-[:AFFECTED_BY]->(:KnownIssue)-[:RESOLVED_BY]->(:Solution)-[:DOCUMENTED_IN]->(a:Article) "
        "WHERE p.id IN $ids RETURN DISTINCT p.id AS from, a.id AS to ORDER BY from, to",
        {"ids": ["p1", "p2", "p3"]},
    )

    assert rows == [
        {"from": "p1", "to": "a1"},
        {"from": "p1", "to": "a2"},
        {"from": "p2", "to": "a1"},
        {"from": "p2", "to": "a2"},
    ]


async def test_bounded_variable_length_path(store: GraphStore) -> None:
    await seed(store)

    rows = await store.run(
        "MATCH (n:Product)-[:SUCCEEDS*1..2]->(o:Product) WHERE n.id = $id RETURN DISTINCT o.id AS id ORDER BY id",
        {"id": "p3"},
    )

    assert rows == [{"id": "p1"}, {"id": "p2"}]


async def test_shortest_path_in_each_dialect(store: GraphStore) -> None:
    await seed(store)

    assert await store.run(shortest_hops(store), {"a": "p1", "b": "p3"}) == [{"hops": 2}]
    assert await store.run(shortest_hops(store), {"a": "p1", "b": "p4"}) == []


async def test_unknown_ids_find_nothing(store: GraphStore) -> None:
    await seed(store)

    assert (
        await store.run(
            "MATCH (p:Product)-[:HAS_FEATURE]->(f:Feature) WHERE p.id IN $ids RETURN f.id AS id", {"ids": ["nope"]}
        )
        == []
    )
    assert await store.run("MATCH (p:Product) WHERE p.id IN $ids RETURN p.id AS id", {"ids": []}) == []


async def test_pages_of_skip_and_limit(store: GraphStore) -> None:
    await store.run("UNWIND $ids AS id MERGE (:Article {id: id})", {"ids": [f"a{n:02}" for n in range(12)]})
    page = "MATCH (a:Article) RETURN a.id AS id ORDER BY id DESC SKIP $skip LIMIT $limit"

    pages = [await store.run(page, {"skip": skip, "limit": 5}) for skip in (0, 5, 10, 15)]

    assert [[row["id"] for row in p] for p in pages] == [
        ["a11", "a10", "a09", "a08", "a07"],
        ["a06", "a05", "a04", "a03", "a02"],
        ["a01", "a00"],
        [],
    ]


async def test_merges_are_idempotent_and_counted(store: GraphStore) -> None:
    await seed(store)
    await seed(store)

    nodes = await store.run("MATCH (n) RETURN count(n) AS n")
    relations = await store.run("MATCH ()-[r]->() RETURN count(r) AS n")

    assert nodes == [{"n": 11}]
    assert relations == [{"n": 14}]


async def test_a_duplicate_id_is_refused(store: GraphStore) -> None:
    await store.run("CREATE (:Product {id: 'p1'})")

    with pytest.raises(Exception, match=r"(?i)(already exists|duplicat|primary key)"):
        await store.run("CREATE (:Product {id: 'p1'})")

    assert await store.run("MATCH (p:Product) RETURN count(p) AS n") == [{"n": 1}]


async def test_concurrent_merges_of_one_id_make_one_node(store: GraphStore) -> None:
    await asyncio.gather(*(store.run("MERGE (:Feature {id: $id})", {"id": "anc"}) for _ in range(10)))
    await asyncio.gather(*(store.run("MERGE (:Feature {id: $id})", {"id": f"f{n}"}) for n in range(20)))

    assert await store.run("MATCH (f:Feature) WHERE f.id = 'anc' RETURN count(f) AS n") == [{"n": 1}]
    assert await store.run("MATCH (f:Feature) RETURN count(f) AS n") == [{"n": 21}]


async def test_ping_answers(store: GraphStore) -> None:
    await store.ping()


async def test_neo4j_that_is_down_fails_the_ping_and_names_the_address() -> None:
    from neo4j.exceptions import ServiceUnavailable  # noqa: PLC0415

    from kcp.stores.graph_neo4j import Neo4jGraphStore  # noqa: PLC0415

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = Settings(neo4j_uri=f"bolt://127.0.0.1:{port}", neo4j_password=SecretStr("unused-password"))
    store = Neo4jGraphStore.open(settings)
    try:
        with pytest.raises(ServiceUnavailable, match=f"127.0.0.1:{port}"):
            await store.ping()
    finally:
        await store.close()

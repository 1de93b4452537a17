"""All Cypher the knowledge subgraph runs: batched traversals for the loaders, merges for the seed.

Every read takes the ids of a whole level of parents and answers in one query, rows of
``from``/``to`` ids. The Cypher is standard, so Neo4j runs it unchanged, except where the two
dialects differ (``neighbourhood``, ``shortest_path``, the schema): there it branches on
``GraphStore.dialect``.
"""

from __future__ import annotations

from collections import defaultdict
from enum import Enum
from typing import TYPE_CHECKING, Any

from subgraphs.knowledge.relations.schema import NODE_LABELS, RESOLVED_BY, RelationType, schema_statements

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from kcp.stores.graph import GraphStore


MAX_TRAVERSAL_DEPTH = 3
MAX_PATH_DEPTH = 6


class Traversal(Enum):
    """One hop (or path) from a parent record to its related records, as Cypher."""

    FEATURES_OF_PRODUCT = (
        "MATCH (p:Product)-[:HAS_FEATURE]->(f:Feature) WHERE p.id IN $ids "
        "RETURN p.id AS from, f.id AS to ORDER BY from, to"
    )
    PRODUCTS_WITH_FEATURE = (
        "MATCH (p:Product)-[:HAS_FEATURE]->(f:Feature) WHERE f.id IN $ids "
        "RETURN f.id AS from, p.id AS to ORDER BY from, to"
    )
    # Compatibility is symmetric whichever way it was recorded.
    COMPATIBLE_WITH = (
        "MATCH (p:Product)-[:COMPATIBLE_WITH]-(o:Product) WHERE p.id IN $ids AND o.id <> p.id "
        "RETURN DISTINCT p.id AS from, o.id AS to ORDER BY from, to"
    )
    ISSUES_OF_PRODUCT = (
        "MATCH (p:Product)-[:AFFECTED_BY]->(i:KnownIssue) WHERE p.id IN $ids "
        "RETURN p.id AS from, i.id AS to ORDER BY from, to"
    )
    PRODUCTS_AFFECTED_BY = (
        "MATCH (p:Product)-[:AFFECTED_BY]->(i:KnownIssue) WHERE i.id IN $ids "
        "RETURN i.id AS from, p.id AS to ORDER BY from, to"
    )
    SOLUTIONS_OF_ISSUE = (
        "MATCH (i:KnownIssue)-[r:RESOLVED_BY]->(s:Solution) WHERE i.id IN $ids "
        "RETURN i.id AS from, s.id AS to, r.position AS position ORDER BY from, position, to"
    )
    ARTICLES_OF_SOLUTION = (
        "MATCH (s:Solution)-[:DOCUMENTED_IN]->(a:Article) WHERE s.id IN $ids "
        "RETURN s.id AS from, a.id AS to ORDER BY from, to"
    )
    ARTICLES_OF_PRODUCT = (
        "MATCH (p:Product)-[:AFFECTED_BY]->(:KnownIssue)-[:RESOLVED_BY]->(:Solution)-[:DOCUMENTED_IN]->(a:Article) "
        "WHERE p.id IN $ids RETURN DISTINCT p.id AS from, a.id AS to ORDER BY from, to"
    )
    SOLUTIONS_OF_PRODUCT = (
        "MATCH (p:Product)-[:AFFECTED_BY]->(:KnownIssue)-[:RESOLVED_BY]->(s:Solution) "
        "WHERE p.id IN $ids RETURN DISTINCT p.id AS from, s.id AS to ORDER BY from, to"
    )
    SUCCESSORS = (
        "MATCH (n:Product)-[:SUCCEEDS]->(p:Product) WHERE p.id IN $ids "
        "RETURN p.id AS from, n.id AS to ORDER BY from, to"
    )
    ACCESSORIES = (
        "MATCH (a:Product)-[:ACCESSORY_FOR]->(p:Product) WHERE p.id IN $ids "
        "RETURN p.id AS from, a.id AS to ORDER BY from, to"
    )
    ACCESSORY_FOR = (
        "MATCH (a:Product)-[:ACCESSORY_FOR]->(p:Product) WHERE a.id IN $ids "
        "RETURN a.id AS from, p.id AS to ORDER BY from, to"
    )
    AFFECTED_FIRMWARE = (
        "MATCH (i:KnownIssue)-[:AFFECTS_FIRMWARE]->(f:Firmware) WHERE i.id IN $ids "
        "RETURN i.id AS from, f.id AS to ORDER BY from, to"
    )
    ISSUES_OF_FIRMWARE = (
        "MATCH (i:KnownIssue)-[:AFFECTS_FIRMWARE]->(f:Firmware) WHERE f.id IN $ids "
        "RETURN f.id AS from, i.id AS to ORDER BY from, to"
    )
    PREDECESSORS = (
        "MATCH (p:Product)-[:SUCCEEDS]->(o:Product) WHERE p.id IN $ids "
        "RETURN p.id AS from, o.id AS to ORDER BY from, to"
    )


class RelationRepository:
    """The knowledge graph, seen as relations between record ids."""

    def __init__(self, graph: GraphStore) -> None:
        self._graph = graph

    async def ensure_schema(self) -> None:
        for statement in schema_statements(self._graph.dialect):
            await self._graph.run(statement)

    async def related(self, traversal: Traversal, ids: Sequence[str]) -> dict[str, list[str]]:
        """The related ids of every given id, in the traversal's order (one query)."""
        related: dict[str, list[str]] = defaultdict(list)
        if not ids:
            return related
        for row in await self._graph.run(traversal.value, {"ids": list(ids)}):
            related[row["from"]].append(row["to"])
        return related

    async def resolutions(self, issue_ids: Sequence[str]) -> dict[str, list[tuple[str, list[str]]]]:
        """For each known issue, its solutions in order, each with the articles documenting it.

        One query for what ``SOLUTIONS_OF_ISSUE`` then ``ARTICLES_OF_SOLUTION`` answer in two
        (same order): a hybrid search asks it on its critical path, after the vector search.
        """
        found: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
        if not issue_ids:
            return found
        cypher = (
            "MATCH (i:KnownIssue)-[r:RESOLVED_BY]->(s:Solution) WHERE i.id IN $ids "
            "OPTIONAL MATCH (s)-[:DOCUMENTED_IN]->(a:Article) "
            "RETURN i.id AS from, s.id AS solution, r.position AS position, a.id AS article "
            "ORDER BY from, position, solution, article"
        )
        for row in await self._graph.run(cypher, {"ids": list(issue_ids)}):
            solutions = found[row["from"]]
            if not solutions or solutions[-1][0] != row["solution"]:
                solutions.append((row["solution"], []))
            if row["article"] is not None:
                solutions[-1][1].append(row["article"])
        return found

    async def linked_to_products(self, product_ids: Sequence[str]) -> tuple[set[str], set[str]]:
        """(solutions, articles) linked to any of the products: ``SOLUTIONS_OF_PRODUCT`` and
        ``ARTICLES_OF_PRODUCT`` in one query (the graph runs one query at a time)."""
        if not product_ids:
            return set(), set()
        cypher = (
            "MATCH (p:Product)-[:AFFECTED_BY]->(:KnownIssue)-[:RESOLVED_BY]->(s:Solution) WHERE p.id IN $ids "
            "OPTIONAL MATCH (s)-[:DOCUMENTED_IN]->(a:Article) RETURN DISTINCT s.id AS solution, a.id AS article"
        )
        rows = await self._graph.run(cypher, {"ids": list(product_ids)})
        return {row["solution"] for row in rows}, {row["article"] for row in rows if row["article"] is not None}

    async def neighbourhood(
        self, ids: Sequence[str], *, depth: int, labels: Sequence[str]
    ) -> dict[str, list[tuple[str, str, int]]]:
        """For each id, the nodes within ``depth`` hops either way: (label, id, distance), nearest first.

        On Kuzu/ladybug, ``[* SHORTEST 1..n]`` runs one breadth-first search per source instead of
        enumerating every walk, and ``label(n)`` names a node's table; Neo4j has neither, so there
        the walks up to ``depth`` are enumerated and ``min(length(p))`` keeps the nearest (fine at
        depth 3 and the API's breadth). ``depth`` is validated (a literal: Cypher cannot take path
        bounds as parameters).
        """
        if not 1 <= depth <= MAX_TRAVERSAL_DEPTH:
            msg = f"depth {depth} outside 1..{MAX_TRAVERSAL_DEPTH}"
            raise ValueError(msg)
        found: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        if not ids:
            return found
        if self._graph.dialect == "neo4j":
            cypher = (
                f"MATCH (s) WHERE s.id IN $ids MATCH p = (s)-[*1..{depth}]-(n) "
                "WHERE n.id <> s.id AND labels(n)[0] IN $labels "
                "RETURN s.id AS from, labels(n)[0] AS label, n.id AS to, min(length(p)) AS distance "
                "ORDER BY from, distance, label, to"
            )
        else:
            cypher = (
                f"MATCH (s)-[r* SHORTEST 1..{depth}]-(n) WHERE s.id IN $ids AND n.id <> s.id AND label(n) IN $labels "
                "RETURN s.id AS from, label(n) AS label, n.id AS to, length(r) AS distance "
                "ORDER BY from, distance, label, to"
            )
        for row in await self._graph.run(cypher, {"ids": list(ids), "labels": list(labels)}):
            found[row["from"]].append((row["label"], row["to"], int(row["distance"])))
        return found

    async def shortest_path(self, source: str, target: str, *, max_depth: int) -> list[tuple[str, str]] | None:
        """The (label, id) nodes of one shortest path from ``source`` to ``target``, ends included.

        Kuzu/ladybug: ``* SHORTEST`` inside the pattern, and ``nodes(r)`` holds only the inner
        nodes, as dicts with ``_LABEL``. Neo4j: ``shortestPath()``, whose ``nodes(p)`` include the ends.
        """
        if not 1 <= max_depth <= MAX_PATH_DEPTH:
            msg = f"max_depth {max_depth} outside 1..{MAX_PATH_DEPTH}"
            raise ValueError(msg)
        parameters = {"source": source, "target": target}
        if self._graph.dialect == "neo4j":
            rows = await self._graph.run(
                "MATCH (a {id: $source}), (b {id: $target}) "
                f"MATCH p = shortestPath((a)-[*1..{max_depth}]-(b)) "
                "RETURN [n IN nodes(p) | labels(n)[0]] AS labels, [n IN nodes(p) | n.id] AS ids LIMIT 1",
                parameters,
            )
            return None if not rows else list(zip(rows[0]["labels"], rows[0]["ids"], strict=True))
        cypher = (
            f"MATCH (a)-[r* SHORTEST 1..{max_depth}]-(b) WHERE a.id = $source AND b.id = $target "
            "RETURN label(a) AS source_label, nodes(r) AS inner, label(b) AS target_label LIMIT 1"
        )
        rows = await self._graph.run(cypher, parameters)
        if not rows:
            return None
        row = rows[0]
        inner = [(str(node["_LABEL"]), str(node["id"])) for node in row["inner"]]
        return [(row["source_label"], source), *inner, (row["target_label"], target)]

    async def link(self, relation: RelationType, source: str, target: str, position: int | None) -> bool:
        """Create the relationship (and its end nodes when new); False when it existed already."""
        existing = await self._graph.run(
            f"MATCH (a:{relation.source} {{id: $source}})-[e:{relation.name}]->(b:{relation.target} {{id: $target}}) "
            "RETURN count(e) AS n",
            {"source": source, "target": target},
        )
        cypher = (
            f"MERGE (a:{relation.source} {{id: $source}}) MERGE (b:{relation.target} {{id: $target}}) "
            f"MERGE (a)-[e:{relation.name}]->(b)"
        )
        parameters: dict[str, Any] = {"source": source, "target": target}
        if relation is RESOLVED_BY:
            cypher += " SET e.position = $position"
            parameters["position"] = position
        await self._graph.run(cypher, parameters)
        return not int(existing[0]["n"])

    async def unlink(self, relation: RelationType, source: str, target: str) -> bool:
        """Delete the relationship; False when there was none."""
        match = (
            f"MATCH (a:{relation.source} {{id: $source}})-[e:{relation.name}]->(b:{relation.target} {{id: $target}}) "
        )
        parameters = {"source": source, "target": target}
        existing = await self._graph.run(match + "RETURN count(e) AS n", parameters)
        if not int(existing[0]["n"]):
            return False
        await self._graph.run(match + "DELETE e", parameters)
        return True

    async def merge_nodes(self, label: str, ids: Sequence[str]) -> None:
        """Create the nodes that do not exist yet."""
        if label not in NODE_LABELS:
            msg = f"unknown node label {label!r}"
            raise ValueError(msg)
        if ids:
            await self._graph.run(f"UNWIND $ids AS id MERGE (:{label} {{id: id}})", {"ids": list(ids)})

    async def merge_relations(self, relation: RelationType, rows: Iterable[tuple[Any, ...]]) -> None:
        """Create the relationships that do not exist yet; ``RESOLVED_BY`` rows carry a position."""
        payload: list[dict[str, Any]] = []
        for row in rows:
            item: dict[str, Any] = {"from": row[0], "to": row[1]}
            if relation is RESOLVED_BY:
                item["position"] = row[2]
            payload.append(item)
        if not payload:
            return
        cypher = (
            f"UNWIND $rows AS r MATCH (a:{relation.source} {{id: r.from}}), (b:{relation.target} {{id: r.to}}) "
            f"MERGE (a)-[e:{relation.name}]->(b)"
        )
        if relation is RESOLVED_BY:
            cypher += " SET e.position = r.position"
        await self._graph.run(cypher, {"rows": payload})

    async def count_nodes(self) -> int:
        rows = await self._graph.run("MATCH (n) RETURN count(n) AS n")
        return int(rows[0]["n"])

    async def count_relations(self) -> int:
        rows = await self._graph.run("MATCH ()-[r]->() RETURN count(r) AS n")
        return int(rows[0]["n"])

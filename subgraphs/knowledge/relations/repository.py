"""All Cypher the knowledge subgraph runs: batched traversals for the loaders, merges for the seed.

Every read takes the ids of a whole level of parents and answers in one query, rows of
``from``/``to`` ids; the Cypher is standard so the Neo4j store can run it unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from enum import Enum
from typing import TYPE_CHECKING, Any

from subgraphs.knowledge.relations.schema import NODE_LABELS, RESOLVED_BY, RelationType, schema_statements

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from kcp.stores.graph import GraphStore


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
    SUCCESSORS = (
        "MATCH (n:Product)-[:SUCCEEDS]->(p:Product) WHERE p.id IN $ids "
        "RETURN p.id AS from, n.id AS to ORDER BY from, to"
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
        for statement in schema_statements():
            await self._graph.run(statement)

    async def related(self, traversal: Traversal, ids: Sequence[str]) -> dict[str, list[str]]:
        """The related ids of every given id, in the traversal's order (one query)."""
        related: dict[str, list[str]] = defaultdict(list)
        if not ids:
            return related
        for row in await self._graph.run(traversal.value, {"ids": list(ids)}):
            related[row["from"]].append(row["to"])
        return related

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

"""The knowledge-graph store on a Neo4j server, through the official async driver (Bolt).

Most Cypher runs unchanged on both engines: ``MATCH`` patterns, ``WHERE x IN $ids``, ``UNWIND``,
``MERGE``, ``DISTINCT``, ``ORDER BY``, ``count()``, fixed-length variable paths ``[:R*1..3]`` and
undirected matches. Callers read ``GraphStore.dialect`` where the two differ:

- **Schema.** Kuzu/ladybug (``"kuzu"``) is strongly typed: every node label is a table that must
  be declared with its primary key (``CREATE NODE TABLE Product(id STRING, PRIMARY KEY(id))``) and
  every relationship type with its end labels (``CREATE REL TABLE HAS_FEATURE(FROM Product TO
  Feature)``) before the first write. Neo4j (``"neo4j"``) is schema-optional: labels and types
  appear on first write, and the key is a uniqueness constraint, which also builds the index that
  ``MERGE``/``MATCH {id: ...}`` use: ``CREATE CONSTRAINT product_id IF NOT EXISTS FOR (n:Product)
  REQUIRE n.id IS UNIQUE``. Neo4j rejects Kuzu's table DDL and Kuzu has no ``CREATE CONSTRAINT``.
- **Shortest paths.** Kuzu writes them inside the relationship pattern,
  ``MATCH p = (a)-[:R* SHORTEST 1..5]-(b)``; Neo4j 5 uses the ``shortestPath()`` function,
  ``MATCH p = shortestPath((a)-[:R*1..5]-(b))`` (or GQL's ``MATCH p = SHORTEST 1 (a)-[:R]-{1,5}(b)``).
  Neither engine parses the other's form. Path length is ``length(p)`` on both.
- **Unbounded variable-length paths.** ``[:R*]`` means "up to 30 hops" in Kuzu and "any length" in
  Neo4j; always give an upper bound (the API bounds ``depth`` anyway).
- **Whole nodes in results.** Kuzu returns a node as a dict with its properties plus ``_id`` and
  ``_label``; the Neo4j driver returns a ``Node`` (here turned into its property dict). Return
  properties (``p.id AS id``), not nodes, and results look the same.
- **Internal ids.** Kuzu's ``id(n)`` is an internal struct; Neo4j's is ``elementId(n)``. Key on ``id``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from neo4j import AsyncGraphDatabase, RoutingControl

if TYPE_CHECKING:
    from collections.abc import Mapping

    from neo4j import AsyncDriver

    from kcp.settings import Settings
    from kcp.stores.graph import GraphDialect, Row

# A readiness probe must fail fast while the server is down, not wait for the driver's defaults.
_CONNECTION_TIMEOUT_S = 3.0
_ACQUISITION_TIMEOUT_S = 5.0
# Transient errors (deadlocks, a restarting server) are retried this long, not the default 30 s.
# Well under the router's subgraph timeout (10 s): with the server down, a request must end in a
# STORE_UNAVAILABLE naming the graph, not in the router giving up on the whole subgraph (the fault
# campaign, bench/faults, saw exactly that at 10 s).
_RETRY_TIME_S = 3.0


def open_driver(settings: Settings) -> AsyncDriver:
    """The Bolt driver every Neo4j user of a process opens (graph store, vector index): same timeouts."""
    if not settings.neo4j_uri:
        msg = "NEO4J_URI is not set"
        raise ValueError(msg)
    password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
    return AsyncGraphDatabase.driver(
        settings.neo4j_uri,
        auth=(settings.neo4j_user, password),
        max_connection_pool_size=settings.pool_size,
        connection_timeout=_CONNECTION_TIMEOUT_S,
        connection_acquisition_timeout=_ACQUISITION_TIMEOUT_S,
        max_transaction_retry_time=_RETRY_TIME_S,
    )


class Neo4jGraphStore:
    """Cypher over Bolt; each call is one auto-retried transaction on the write server."""

    dialect: GraphDialect = "neo4j"

    def __init__(self, driver: AsyncDriver, database: str | None = None) -> None:
        self._driver = driver
        self._database = database

    @classmethod
    def open(cls, settings: Settings) -> Neo4jGraphStore:
        """Connect lazily (the driver connects on first use), with at most ``pool_size`` connections."""
        return cls(open_driver(settings))

    async def run(self, cypher: str, parameters: Mapping[str, Any] | None = None) -> list[Row]:
        # execute_query runs the statement in a managed transaction and retries it on transient
        # errors (deadlocks, leader changes), which plain session.run would not.
        records, _summary, _keys = await self._driver.execute_query(
            cypher,
            dict(parameters or {}),
            database_=self._database,
            routing_=RoutingControl.WRITE,
        )
        return [record.data() for record in records]

    async def ping(self) -> None:
        await self._driver.verify_connectivity()
        await self.run("RETURN 1 AS ok")

    async def close(self) -> None:
        await self._driver.close()

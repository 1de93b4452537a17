"""Knowledge-graph store: Cypher over an embedded engine (ladybug) or a Neo4j server.

This module is the interface only. The implementations are ``kcp.stores.graph_embedded``
(ladybug, in-process) and ``kcp.stores.graph_neo4j``; ``kcp.stores.connect.open_graph_store``
picks one from the settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from collections.abc import Mapping

Row = dict[str, Any]
GraphDialect = Literal["kuzu", "neo4j"]
"""Which Cypher the store speaks: schema DDL and shortest paths differ (see ``kcp.stores.graph_neo4j``)."""


class GraphStoreLockedError(RuntimeError):
    """The embedded graph is open in another process; ladybug allows one writer process."""


class GraphStore(Protocol):
    """Runs Cypher and returns rows as dicts keyed by the RETURN aliases."""

    dialect: GraphDialect

    async def run(self, cypher: str, parameters: Mapping[str, Any] | None = None) -> list[Row]: ...
    async def ping(self) -> None: ...
    async def close(self) -> None: ...

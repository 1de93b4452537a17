"""Opens a store interface's implementation as the settings ask: a real server when its URL is
set, else the embedded engine in the service's data folder.

The interface modules (``kcp.stores.documents``, ``kcp.stores.graph``) know no implementation;
this is the one place that chooses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcp.stores import require_embedded_stores
from kcp.stores.documents_sqlite import SqliteDocumentStore
from kcp.stores.graph_embedded import EmbeddedGraphStore

if TYPE_CHECKING:
    from kcp.settings import Settings
    from kcp.stores.documents import DocumentStore
    from kcp.stores.graph import GraphStore


def open_document_store(settings: Settings, service: str) -> DocumentStore:
    """MongoDB when ``MONGODB_URI`` is set, else the embedded store in the service's data folder."""
    require_embedded_stores(settings)
    if settings.mongodb_uri:
        from kcp.stores.documents_mongo import MongoDocumentStore  # noqa: PLC0415 - PyMongo loads only when configured

        return MongoDocumentStore.open(settings, service)
    return SqliteDocumentStore.open(settings, service)


def open_graph_store(settings: Settings, service: str) -> GraphStore:
    """Neo4j when ``NEO4J_URI`` is set, else the embedded graph in the service's data folder."""
    require_embedded_stores(settings)
    if settings.neo4j_uri:
        from kcp.stores.graph_neo4j import Neo4jGraphStore  # noqa: PLC0415 - the driver loads only when configured

        return Neo4jGraphStore.open(settings)
    return EmbeddedGraphStore(str(settings.service_data_dir(service) / "graph.lbug"))

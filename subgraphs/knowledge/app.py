"""The knowledge subgraph's ASGI app (``uvicorn --factory subgraphs.knowledge.app:create_app``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcp.service import SubgraphService, create_subgraph_app
from kcp.settings import get_settings
from subgraphs.knowledge.context import Context, build_context
from subgraphs.knowledge.schema import schema
from subgraphs.knowledge.stores import SERVICE, KnowledgeStores

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request

    from kcp.settings import Settings


def create_app(settings: Settings | None = None) -> Starlette:
    """The app; tables and graph schema are ensured at start-up, stores closed at shutdown."""
    stores = KnowledgeStores.open(settings or get_settings())

    async def context_factory(request: Request) -> Context:
        return build_context(stores, request.headers.get("authorization"))

    app = create_subgraph_app(
        SubgraphService(
            name=SERVICE,
            schema=schema,
            context_factory=context_factory,
            readiness={"relational": stores.relational.ping, "graph": stores.graph.ping},
            startup=[stores.ensure_schema],
            shutdown=[stores.close],
        )
    )
    app.state.stores = stores  # for operators' scripts and tests that instrument the stores
    return app

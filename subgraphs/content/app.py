"""The content subgraph's ASGI app (``uvicorn --factory subgraphs.content.app:create_app``, port 8002)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcp.service import SubgraphService, create_subgraph_app
from kcp.settings import get_settings
from subgraphs.content.context import Context, build_context
from subgraphs.content.schema import schema
from subgraphs.content.stores import SERVICE, ContentStores

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request

    from kcp.settings import Settings


def create_app(settings: Settings | None = None) -> Starlette:
    """Open the stores (lazily), create the indexes at start-up and serve the schema."""
    stores = ContentStores.open(settings or get_settings())

    async def context_factory(request: Request) -> Context:
        return build_context(request, stores)

    return create_subgraph_app(
        SubgraphService(
            name=SERVICE,
            schema=schema,
            context_factory=context_factory,
            readiness={"documents": stores.documents.ping},
            startup=[stores.ensure_schema],
            shutdown=[stores.close],
        )
    )

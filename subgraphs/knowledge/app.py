"""The knowledge subgraph's ASGI app (``uvicorn --factory subgraphs.knowledge.app:create_app``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcp.events import EventEmitter
from kcp.identity import IdentityResolver
from kcp.service import SubgraphService, create_subgraph_app
from kcp.settings import get_settings
from subgraphs.knowledge.context import Context, build_context
from subgraphs.knowledge.relations.types import UPPER_TYPES
from subgraphs.knowledge.schema import schema
from subgraphs.knowledge.stores import SERVICE, KnowledgeStores

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from starlette.applications import Starlette
    from starlette.requests import Request

    from kcp.settings import Settings
    from subgraphs.knowledge.search.events import EventSink


def create_app(settings: Settings | None = None, *, events: EventSink | None = None) -> Starlette:
    """The app; tables, search index and graph schema are ensured at start-up, stores closed at shutdown.

    ``events`` receives the search events (analytics' emitter in production; tests pass a recorder).
    """
    settings = settings or get_settings()
    stores = KnowledgeStores.open(settings)
    resolver = IdentityResolver(settings)
    startup: list[Callable[[], Awaitable[None]]] = [stores.ensure_schema]
    shutdown: list[Callable[[], Awaitable[None]]] = [stores.close]
    sink: EventSink
    if events is None:
        emitter = EventEmitter(settings, service=SERVICE)
        startup.append(emitter.start)
        shutdown.insert(0, emitter.stop)  # send what is queued before the stores close
        sink = emitter
    else:
        sink = events

    async def context_factory(request: Request) -> Context:
        return build_context(stores, await resolver(request.headers), sink, UPPER_TYPES)

    app = create_subgraph_app(
        SubgraphService(
            name=SERVICE,
            schema=schema,
            context_factory=context_factory,
            readiness={"relational": stores.relational.ping, "graph": stores.ping_graph},
            startup=startup,
            shutdown=shutdown,
        ),
        settings,
    )
    app.state.stores = stores  # for operators' scripts and tests that instrument the stores
    return app

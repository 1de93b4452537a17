"""The support subgraph's ASGI app (``uvicorn --factory subgraphs.support.app:create_app``, port 8003)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcp.events import EventEmitter
from kcp.identity import IdentityResolver
from kcp.service import SubgraphService, create_subgraph_app
from kcp.settings import get_settings
from subgraphs.support.context import Context
from subgraphs.support.schema import schema
from subgraphs.support.stores import SERVICE, SupportStores
from subgraphs.support.tickets.loaders import build_loaders
from subgraphs.support.tickets.service import TicketService

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from starlette.applications import Starlette
    from starlette.requests import Request

    from kcp.settings import Settings
    from subgraphs.support.tickets.events import EventSink


def create_app(settings: Settings | None = None, *, events: EventSink | None = None) -> Starlette:
    """Open the stores (lazily), create the tables and indexes at start-up and serve the schema.

    ``events`` receives ticket_created / ticket_solved; by default they go to analytics through
    one ``EventEmitter`` per process, started and stopped with the app. Tests pass a recorder.
    """
    settings = settings or get_settings()
    stores = SupportStores.open(settings)
    identities = IdentityResolver(settings)  # one per process: it caches auth's JWKS
    startup: list[Callable[[], Awaitable[None]]] = [stores.ensure_schema]
    shutdown: list[Callable[[], Awaitable[None]]] = [stores.close]
    if events is None:
        emitter = EventEmitter(settings, service=SERVICE)
        startup.append(emitter.start)
        shutdown.insert(0, emitter.stop)  # send what is queued before the stores close
        events = emitter
    tickets = TicketService(stores.relational, stores.transcripts, events)

    async def context_factory(request: Request) -> Context:
        return Context(
            request=request,
            identity=await identities(request.headers),
            tickets=tickets,
            loaders=build_loaders(stores.relational, stores.transcripts),
        )

    return create_subgraph_app(
        SubgraphService(
            name=SERVICE,
            schema=schema,
            context_factory=context_factory,
            readiness={
                "relational": stores.relational.ping,
                "documents": stores.documents.ping,
                # Only fails when moving old messages fails; an unreachable store is named above.
                "legacy_messages": stores.legacy_messages.attempt,
            },
            startup=startup,
            shutdown=shutdown,
        ),
        settings,
    )

"""The support subgraph's ASGI app (``uvicorn --factory subgraphs.support.app:create_app``, port 8003)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcp.identity import IdentityResolver
from kcp.service import SubgraphService, create_subgraph_app
from kcp.settings import get_settings
from subgraphs.support.context import Context
from subgraphs.support.schema import schema
from subgraphs.support.stores import SERVICE, SupportStores
from subgraphs.support.tickets.events import LoggedEvents
from subgraphs.support.tickets.loaders import build_loaders
from subgraphs.support.tickets.service import TicketService

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request

    from kcp.settings import Settings
    from subgraphs.support.tickets.events import EventSink


def create_app(settings: Settings | None = None, *, events: EventSink | None = None) -> Starlette:
    """Open the stores (lazily), create the tables at start-up and serve the schema.

    ``events`` receives ticket_created / ticket_solved; tests pass a recorder.
    """
    settings = settings or get_settings()
    stores = SupportStores.open(settings)
    identities = IdentityResolver(settings)  # one per process: it caches auth's JWKS
    tickets = TicketService(stores.relational, events or LoggedEvents())

    async def context_factory(request: Request) -> Context:
        return Context(
            request=request,
            identity=await identities(request.headers),
            tickets=tickets,
            loaders=build_loaders(stores.relational),
        )

    return create_subgraph_app(
        SubgraphService(
            name=SERVICE,
            schema=schema,
            context_factory=context_factory,
            readiness={"relational": stores.relational.ping},
            startup=[stores.ensure_schema],
            shutdown=[stores.close],
        )
    )

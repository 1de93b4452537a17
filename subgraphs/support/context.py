"""The per-request context of the support subgraph: services, DataLoaders, the caller's token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from subgraphs.support.tickets.loaders import TicketLoaders, build_loaders
from subgraphs.support.tickets.service import TicketService

if TYPE_CHECKING:
    from starlette.requests import Request

    from subgraphs.support.stores import SupportStores


@dataclass(frozen=True, slots=True)
class Context:
    request: Request
    authorization: str | None
    """The raw ``Authorization`` header; checked against scopes once auth integration lands."""
    tickets: TicketService
    loaders: TicketLoaders


def build_context(request: Request, stores: SupportStores) -> Context:
    """A fresh context, with fresh DataLoaders, for one request."""
    return Context(
        request=request,
        authorization=request.headers.get("authorization"),
        tickets=TicketService(stores.relational),
        loaders=build_loaders(stores.relational),
    )

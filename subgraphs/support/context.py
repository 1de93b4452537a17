"""The per-request context of the support subgraph: the caller, the ticket service, fresh DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from subgraphs.support.tickets.access import TicketReader

if TYPE_CHECKING:
    from starlette.requests import Request

    from kcp.identity import Identity
    from subgraphs.support.tickets.loaders import TicketLoaders
    from subgraphs.support.tickets.service import TicketService


@dataclass(frozen=True, slots=True)
class Context:
    request: Request
    identity: Identity
    tickets: TicketService
    loaders: TicketLoaders

    def reader(self) -> TicketReader:
        """What this caller may read of tickets; raises UNAUTHENTICATED/FORBIDDEN without a support scope."""
        return TicketReader.of(self.identity)

"""What support reports to analytics: ``ticket_created`` and ``ticket_solved``.

The sink is ``kcp.events.EventEmitter`` in the running service (non-blocking, batched, dropped
when analytics is down); tests pass a recorder. Field names are analytics' (camelCase).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from subgraphs.support.tables import TicketRow


class EventSink(Protocol):
    def emit(self, kind: str, **fields: Any) -> None:
        """Queue one event; never blocks and never raises."""


def ticket_created(sink: EventSink, ticket: TicketRow) -> None:
    sink.emit(
        "ticket_created",
        ticketId=ticket.id,
        productId=ticket.product_id,
        userId=ticket.customer_id,
    )


def ticket_solved(sink: EventSink, ticket: TicketRow) -> None:
    # Deflected: solved before any agent replied publicly (the customer helped themselves).
    sink.emit(
        "ticket_solved",
        ticketId=ticket.id,
        productId=ticket.product_id,
        userId=ticket.customer_id,
        deflected=ticket.first_response_at is None,
    )

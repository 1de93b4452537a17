"""Rules of the ticket domain. Every write runs in ``RelationalStore.transaction()`` here, never in
a resolver: the transaction commits when the use case returns and rolls back when it raises.

Auth scopes (agents see internal notes, customers only their own tickets) arrive with the
auth-integration issue; until then the caller names the author and customer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import structlog

from kcp.pagination import check_first
from subgraphs.support.tables import TicketMessageRow, TicketRow
from subgraphs.support.tickets.errors import InvalidTicketInputError, TicketNotFoundError
from subgraphs.support.tickets.repository import TicketRepository

if TYPE_CHECKING:
    from collections.abc import Callable

    from kcp.stores.relational import RelationalStore

log = structlog.get_logger()

MAX_SUBJECT_LENGTH = 200
MAX_TEXT_LENGTH = 20_000
MAX_ID_LENGTH = 64
STATUSES = frozenset({"open", "pending", "solved", "closed"})
PRIORITIES = frozenset({"low", "normal", "high", "urgent"})
CHANNELS = frozenset({"email", "chat", "phone", "web"})


def _text(value: str, field: str, *, max_length: int, required: bool = True) -> str:
    cleaned = value.strip()
    if required and not cleaned:
        msg = f"`{field}` must not be empty."
        raise InvalidTicketInputError(msg)
    if len(cleaned) > max_length:
        msg = f"`{field}` must be at most {max_length} characters; got {len(cleaned)}."
        raise InvalidTicketInputError(msg)
    return cleaned


def _choice(value: str, field: str, allowed: frozenset[str]) -> str:
    if value not in allowed:
        msg = f"`{field}` must be one of {sorted(allowed)}; got {value!r}."
        raise InvalidTicketInputError(msg)
    return value


@dataclass(frozen=True, slots=True)
class NewTicket:
    subject: str
    description: str
    product_id: str
    customer_id: str
    channel: str
    priority: str


@dataclass(frozen=True, slots=True)
class TicketFilter:
    status: str | None = None
    priority: str | None = None
    product_id: str | None = None
    assignee_id: str | None = None


class TicketService:
    """Use cases of tickets; store access goes through ``TicketRepository``."""

    def __init__(self, store: RelationalStore, *, clock: Callable[[], datetime] | None = None) -> None:
        self._store = store
        self._clock = clock or (lambda: datetime.now(UTC))

    async def list_tickets(self, filters: TicketFilter, *, first: int) -> list[TicketRow]:
        limit = check_first(first)
        async with self._store.reading() as session:
            return await TicketRepository(session).list_tickets(
                status=filters.status,
                priority=filters.priority,
                product_id=filters.product_id,
                assignee_id=filters.assignee_id,
                limit=limit,
            )

    async def create(self, new: NewTicket) -> TicketRow:
        now = self._clock().astimezone(UTC)
        row = TicketRow(
            id=f"tkt-{uuid.uuid4().hex[:12]}",
            subject=_text(new.subject, "subject", max_length=MAX_SUBJECT_LENGTH),
            description=_text(new.description, "description", max_length=MAX_TEXT_LENGTH, required=False),
            status="open",
            priority=_choice(new.priority, "priority", PRIORITIES),
            channel=_choice(new.channel, "channel", CHANNELS),
            product_id=_text(new.product_id, "productId", max_length=MAX_ID_LENGTH),
            customer_id=_text(new.customer_id, "customerId", max_length=MAX_ID_LENGTH),
            assignee_id=None,
            created_at=now,
            updated_at=now,
        )
        async with self._store.transaction() as session:
            TicketRepository(session).add(row)
        log.info("support.ticket_created", ticket_id=row.id, product_id=row.product_id, channel=row.channel)
        return row

    async def add_message(self, ticket_id: str, *, author_id: str, body: str, internal: bool) -> TicketMessageRow:
        """Append a message to the thread and touch the ticket's ``updatedAt``, atomically."""
        cleaned_body = _text(body, "body", max_length=MAX_TEXT_LENGTH)
        cleaned_author = _text(author_id, "authorId", max_length=MAX_ID_LENGTH)
        now = self._clock().astimezone(UTC)
        async with self._store.transaction() as session:
            repository = TicketRepository(session)
            ticket = await repository.get_ticket(ticket_id)
            if ticket is None:
                raise TicketNotFoundError(ticket_id)
            message = TicketMessageRow(
                id=f"msg-{uuid.uuid4().hex[:12]}",
                ticket_id=ticket_id,
                author_id=cleaned_author,
                body=cleaned_body,
                internal=internal,
                created_at=now,
            )
            repository.add(message)
            ticket.updated_at = now
        log.info("support.message_added", ticket_id=ticket_id, message_id=message.id, internal=internal)
        return message

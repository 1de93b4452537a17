"""Load the demo dataset's tickets and messages; idempotent (stable ids, insert-if-missing).

Each chunk of tickets is written in one relational transaction, then their messages to the
document store (only ids not there yet). An interrupted run may leave tickets without their
messages; the next run writes the messages of every ticket again, skipping those already stored,
and so completes them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import structlog

from kcp.seeding import chunks
from subgraphs.support.stores import SupportStores
from subgraphs.support.tables import TicketRow
from subgraphs.support.tickets.repository import TicketRepository
from subgraphs.support.tickets.transcripts import MessageRecord

if TYPE_CHECKING:
    from demo.model import DemoData, DemoTicket
    from kcp.seeding import SeedProgress
    from kcp.settings import Settings

log = structlog.get_logger()


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC)


def _ticket_row(ticket: DemoTicket) -> TicketRow:
    created = ticket.created_at.astimezone(UTC)
    moments = [m.created_at for m in ticket.messages]
    if ticket.solved_at is not None:
        moments.append(ticket.solved_at)
    if ticket.closed_at is not None:
        moments.append(ticket.closed_at)
    updated = max([created, *(moment.astimezone(UTC) for moment in moments)])
    # The first response, as the service stamps it: the first public message not by the customer.
    first_response = next(
        (m.created_at for m in ticket.messages if not m.internal and m.author_id != ticket.customer_id), None
    )
    rating = ticket.rating
    return TicketRow(
        id=ticket.id,
        subject=ticket.subject,
        description=ticket.description,
        status=ticket.status,
        priority=ticket.priority,
        channel=ticket.channel,
        product_id=ticket.product_id,
        customer_id=ticket.customer_id,
        assignee_id=ticket.assignee_id,
        tags=list(ticket.tags),
        created_at=created,
        updated_at=updated,
        first_response_at=_utc(first_response),
        solved_at=_utc(ticket.solved_at),
        closed_at=_utc(ticket.closed_at),
        csat_score=None if rating is None else rating.score,
        csat_comment=None if rating is None else rating.comment,
        csat_rated_at=None if rating is None else _utc(rating.rated_at),
    )


async def seed(settings: Settings, data: DemoData, progress: SeedProgress) -> None:
    stores = SupportStores.open(settings)
    inserted_tickets = inserted_messages = 0
    try:
        await stores.ensure_schema()
        progress.start("support tickets", len(data.tickets))
        for chunk in chunks(data.tickets):
            async with stores.relational.transaction() as session:
                repository = TicketRepository(session)
                known_tickets = await repository.existing_ticket_ids([t.id for t in chunk])
                for ticket in chunk:
                    if ticket.id not in known_tickets:
                        repository.add(_ticket_row(ticket))
                        inserted_tickets += 1
            inserted_messages += await stores.transcripts.append(
                [
                    MessageRecord(
                        id=message.id,
                        ticket_id=ticket.id,
                        author_id=message.author_id,
                        body=message.body,
                        internal=message.internal,
                        created_at=message.created_at.astimezone(UTC),
                    )
                    for ticket in chunk
                    for message in ticket.messages
                ]
            )
            progress.advance(len(chunk))
        log.info("support.seeded", tickets=inserted_tickets, messages=inserted_messages)
    finally:
        await stores.close()

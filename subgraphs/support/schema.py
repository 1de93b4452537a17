"""The support subgraph's schema: tickets, and the `Product` and `User` extensions."""

from __future__ import annotations

import strawberry

from kcp.service import SubgraphSchema, subgraph_extensions
from subgraphs.support.context import Context  # noqa: TC001 - Strawberry resolves Info[Context] at runtime
from subgraphs.support.tickets.service import NewTicket, TicketFilter
from subgraphs.support.tickets.types import (
    Product,
    Ticket,
    TicketChannel,
    TicketMessage,
    TicketPriority,
    TicketStatus,
    User,
)


@strawberry.input
class CreateTicketInput:
    subject: str
    description: str
    product_id: strawberry.ID
    customer_id: strawberry.ID
    channel: TicketChannel
    priority: TicketPriority = TicketPriority.NORMAL


# The list fields of Query are nullable at the outer level on purpose: when one fails (bad input,
# a store error, this subgraph down), only that field is null; a non-null type would null every
# other root field of the response too, those other subgraphs answered included.
@strawberry.type
class Query:
    @strawberry.field
    async def ticket(self, info: strawberry.Info[Context, None], id: strawberry.ID) -> Ticket | None:  # noqa: A002 - GraphQL argument name
        row = await info.context.loaders.ticket_by_id.load(str(id))
        return None if row is None else Ticket.from_model(row)

    @strawberry.field(description="Tickets matching every given filter, newest first; `first` is at most 100.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def tickets(  # noqa: PLR0913, PLR0917 - one parameter per GraphQL argument
        self,
        info: strawberry.Info[Context, None],
        status: TicketStatus | None = None,
        priority: TicketPriority | None = None,
        product_id: strawberry.ID | None = None,
        assignee_id: strawberry.ID | None = None,
        first: int = 20,
    ) -> list[Ticket] | None:
        filters = TicketFilter(
            status=None if status is None else status.value,
            priority=None if priority is None else priority.value,
            product_id=None if product_id is None else str(product_id),
            assignee_id=None if assignee_id is None else str(assignee_id),
        )
        return [Ticket.from_model(row) for row in await info.context.tickets.list_tickets(filters, first=first)]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Open a ticket (status OPEN, unassigned).")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def create_ticket(self, info: strawberry.Info[Context, None], input: CreateTicketInput) -> Ticket:  # noqa: A002 - GraphQL argument name
        row = await info.context.tickets.create(
            NewTicket(
                subject=input.subject,
                description=input.description,
                product_id=str(input.product_id),
                customer_id=str(input.customer_id),
                channel=input.channel.value,
                priority=input.priority.value,
            )
        )
        return Ticket.from_model(row)

    @strawberry.mutation(description="Append a message to a ticket's thread; `internal` marks an agent's note.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def add_ticket_message(
        self,
        info: strawberry.Info[Context, None],
        ticket_id: strawberry.ID,
        author_id: strawberry.ID,
        body: str,
        internal: bool = False,  # noqa: FBT001, FBT002 - a GraphQL argument
    ) -> TicketMessage:
        row = await info.context.tickets.add_message(
            str(ticket_id), author_id=str(author_id), body=body, internal=internal
        )
        return TicketMessage.from_model(row)


schema = SubgraphSchema(
    query=Query,
    mutation=Mutation,
    types=[Ticket, Product, User],
    extensions=subgraph_extensions(),
)

"""The support subgraph's schema: tickets, the queue, the desk's mutations, and the `Product` and
`User` extensions. Every mutation checks the caller's scopes before anything else."""

from __future__ import annotations

import strawberry

from kcp.pagination import Connection, Window, connection
from kcp.service import SubgraphSchema, subgraph_extensions
from subgraphs.support.context import Context  # noqa: TC001 - Strawberry resolves Info[Context] at runtime
from subgraphs.support.scopes import SUPPORT_OWN, SUPPORT_WRITE
from subgraphs.support.tickets.repository import TicketFilter
from subgraphs.support.tickets.service import NewTicket, TicketChanges
from subgraphs.support.tickets.types import (
    Product,
    Ticket,
    TicketChannel,
    TicketMessage,
    TicketPriority,
    TicketSort,
    TicketStatus,
    User,
)
from subgraphs.support.tickets.workflow import Status


@strawberry.input
class CreateTicketInput:
    subject: str
    description: str
    product_id: strawberry.ID
    channel: TicketChannel
    customer_id: strawberry.ID | None = strawberry.field(
        default=None, description="Whom the ticket is for; agents must give it, customers leave it out."
    )
    priority: TicketPriority = TicketPriority.NORMAL
    tags: list[str] = strawberry.field(default_factory=list)


@strawberry.input(description="Triage fields an agent may change; a field left out stays as it is.")
class UpdateTicketInput:
    priority: TicketPriority | None = None
    tags: list[str] | None = None


# The root fields of Query are nullable at the outer level on purpose: when one fails (bad input,
# a store error, this subgraph down), only that field is null; a non-null type would null every
# other root field of the response too, those other subgraphs answered included.
@strawberry.type
class Query:
    @strawberry.field(  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
        description="A ticket by id; null when it does not exist or is not the caller's to see."
    )
    async def ticket(self, info: strawberry.Info[Context, None], id: strawberry.ID) -> Ticket | None:  # noqa: A002 - GraphQL argument name
        reader = info.context.reader()
        row = await info.context.loaders.ticket_by_id.load(str(id))
        return None if row is None or not reader.may_see(row) else Ticket.from_model(row)

    @strawberry.field(  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
        description=(
            "The ticket queue: tickets matching every given filter, in `sort` order; `first` is at most 100."
            " Needs support:read; with support:own only the caller's own tickets are in it."
        )
    )
    async def tickets(  # noqa: PLR0913, PLR0917 - one parameter per GraphQL argument
        self,
        info: strawberry.Info[Context, None],
        status: list[TicketStatus] | None = None,
        priority: list[TicketPriority] | None = None,
        product_id: strawberry.ID | None = None,
        assignee_id: strawberry.ID | None = None,
        unassigned: bool = False,  # noqa: FBT001, FBT002 - a GraphQL argument
        sort: TicketSort = TicketSort.NEWEST,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Ticket] | None:
        reader = info.context.reader()
        window = Window.of(first, after)
        filters = TicketFilter(
            statuses=None if status is None else tuple(s.value for s in status),
            priorities=None if priority is None else tuple(p.value for p in priority),
            product_id=None if product_id is None else str(product_id),
            assignee_id=None if assignee_id is None else str(assignee_id),
            unassigned=unassigned,
            order=sort.value,
        )
        page = await info.context.tickets.queue(reader, filters, window)
        return connection(page.rows, page.window, page.total_count, Ticket.from_model)


@strawberry.type
class Mutation:
    @strawberry.mutation(  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
        description=(
            "Open a ticket (OPEN, unassigned). Customers (support:own) open their own; agents (support:write)"
            " open one for `customerId`. With `idempotencyKey`, repeating the request returns the first ticket."
        )
    )
    async def create_ticket(
        self,
        info: strawberry.Info[Context, None],
        input: CreateTicketInput,  # noqa: A002 - GraphQL argument name
        idempotency_key: str | None = None,
    ) -> Ticket:
        caller = info.context.identity.require_any(SUPPORT_WRITE, SUPPORT_OWN)
        new = NewTicket(
            subject=input.subject,
            description=input.description,
            product_id=str(input.product_id),
            customer_id=None if input.customer_id is None else str(input.customer_id),
            channel=input.channel.value,
            priority=input.priority.value,
            tags=input.tags,
        )
        return Ticket.from_model(await info.context.tickets.create(caller, new, idempotency_key=idempotency_key))

    @strawberry.mutation(description="Assign the ticket to an agent; a null or absent `assigneeId` unassigns it.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def assign_ticket(
        self, info: strawberry.Info[Context, None], ticket_id: strawberry.ID, assignee_id: strawberry.ID | None = None
    ) -> Ticket:
        info.context.identity.require(SUPPORT_WRITE)
        assignee = None if assignee_id is None else str(assignee_id)
        return Ticket.from_model(await info.context.tickets.assign(str(ticket_id), assignee))

    @strawberry.mutation(  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
        description=(
            "Move the ticket along its workflow; an illegal move is an ILLEGAL_TRANSITION error naming"
            " `from`, `to` and what is `allowed`. Customers may only solve or reopen their own ticket."
        )
    )
    async def transition_ticket(
        self, info: strawberry.Info[Context, None], ticket_id: strawberry.ID, status: TicketStatus
    ) -> Ticket:
        caller = info.context.identity.require_any(SUPPORT_WRITE, SUPPORT_OWN)
        row = await info.context.tickets.transition(caller, str(ticket_id), Status(status.value))
        return Ticket.from_model(row)

    @strawberry.mutation(description="Change a ticket's priority or tags (support:write).")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def update_ticket(
        self,
        info: strawberry.Info[Context, None],
        ticket_id: strawberry.ID,
        input: UpdateTicketInput,  # noqa: A002 - GraphQL argument name
    ) -> Ticket:
        info.context.identity.require(SUPPORT_WRITE)
        changes = TicketChanges(
            priority=None if input.priority is None else input.priority.value,
            tags=input.tags,
        )
        return Ticket.from_model(await info.context.tickets.update(str(ticket_id), changes))

    @strawberry.mutation(  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
        description=(
            "Reply on a ticket's thread as the caller. `internal: true` is an agent's note (support:write),"
            " never shown to the customer. With `idempotencyKey`, repeating the request returns the first message."
        )
    )
    async def add_ticket_message(
        self,
        info: strawberry.Info[Context, None],
        ticket_id: strawberry.ID,
        body: str,
        internal: bool = False,  # noqa: FBT001, FBT002 - a GraphQL argument
        idempotency_key: str | None = None,
    ) -> TicketMessage:
        caller = info.context.identity.require_any(SUPPORT_WRITE, SUPPORT_OWN)
        message = await info.context.tickets.add_message(
            caller, str(ticket_id), body=body, internal=internal, idempotency_key=idempotency_key
        )
        return TicketMessage.from_model(message)

    @strawberry.mutation(  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
        description="The customer rates their solved or closed ticket (CSAT, 1-5); a new rating replaces the old."
    )
    async def rate_ticket(
        self, info: strawberry.Info[Context, None], ticket_id: strawberry.ID, score: int, comment: str | None = None
    ) -> Ticket:
        caller = info.context.identity.require(SUPPORT_OWN)
        return Ticket.from_model(await info.context.tickets.rate(caller, str(ticket_id), score=score, comment=comment))


schema = SubgraphSchema(
    query=Query,
    mutation=Mutation,
    types=[Ticket, Product, User],
    extensions=subgraph_extensions(),
)

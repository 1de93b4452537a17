"""The public GraphQL types of tickets, mapped from the storage rows."""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 - Strawberry reads field annotations at runtime
from enum import Enum

import strawberry

from kcp.pagination import check_first
from subgraphs.support.context import Context  # noqa: TC001 - Strawberry resolves Info[Context] at runtime
from subgraphs.support.tables import TicketMessageRow, TicketRow  # noqa: TC001
from subgraphs.support.tickets.loaders import OwnedTicketsKey


@strawberry.enum
class TicketStatus(Enum):
    OPEN = "open"
    PENDING = "pending"
    SOLVED = "solved"
    CLOSED = "closed"


@strawberry.enum
class TicketPriority(Enum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


@strawberry.enum
class TicketChannel(Enum):
    EMAIL = "email"
    CHAT = "chat"
    PHONE = "phone"
    WEB = "web"


@strawberry.federation.type(keys=["id"])
class User:
    """Auth owns `User` and its description; support adds `assignedTickets`."""

    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User:  # noqa: A002 - the key field is called id
        return cls(id=id)

    # Nullable on purpose: a field this subgraph adds to another's entity must not null the
    # whole entity when this subgraph is down (null would bubble up past a non-null type).
    @strawberry.field(description="Tickets assigned to this agent, newest first; `first` is at most 100.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def assigned_tickets(
        self, info: strawberry.Info[Context, None], status: TicketStatus | None = None, first: int = 20
    ) -> list[Ticket] | None:
        key = OwnedTicketsKey(str(self.id), None if status is None else status.value, check_first(first))
        return [Ticket.from_model(row) for row in await info.context.loaders.tickets_by_assignee.load(key)]


@strawberry.type(description="One message of a ticket's thread.")
class TicketMessage:
    id: strawberry.ID
    body: str
    internal: bool = strawberry.field(description="An agent's note, never shown to the customer.")
    created_at: datetime
    author_id: strawberry.Private[str]

    @classmethod
    def from_model(cls, row: TicketMessageRow) -> TicketMessage:
        return cls(
            id=strawberry.ID(row.id),
            body=row.body,
            internal=row.internal,
            created_at=row.created_at,
            author_id=row.author_id,
        )

    # Nullable on purpose: the `User` is owned by another subgraph; when it does not exist or that
    # subgraph is down, the router nulls it, and a non-null type would bubble the null up and
    # erase the whole message (and every list holding it). The id-carrying stub stays.
    @strawberry.field
    def author(self) -> User | None:
        return User(id=strawberry.ID(self.author_id))


@strawberry.federation.type(keys=["id"], description="A customer's support request and its thread.")
class Ticket:
    id: strawberry.ID
    subject: str
    description: str
    status: TicketStatus
    priority: TicketPriority
    channel: TicketChannel
    created_at: datetime
    updated_at: datetime
    product_id: strawberry.Private[str]
    customer_id: strawberry.Private[str]
    assignee_id: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, row: TicketRow) -> Ticket:
        return cls(
            id=strawberry.ID(row.id),
            subject=row.subject,
            description=row.description,
            status=TicketStatus(row.status),
            priority=TicketPriority(row.priority),
            channel=TicketChannel(row.channel),
            created_at=row.created_at,
            updated_at=row.updated_at,
            product_id=row.product_id,
            customer_id=row.customer_id,
            assignee_id=row.assignee_id,
        )

    @classmethod
    async def resolve_reference(cls, info: strawberry.Info[Context, None], id: strawberry.ID) -> Ticket | None:  # noqa: A002 - the key field is called id
        row = await info.context.loaders.ticket_by_id.load(str(id))
        return None if row is None else cls.from_model(row)

    # Nullable on purpose: the `Product` is owned by another subgraph; when it does not exist or that
    # subgraph is down, the router nulls it, and a non-null type would bubble the null up and
    # erase the whole ticket (and every list holding it). The id-carrying stub stays.
    @strawberry.field
    def product(self) -> Product | None:
        return Product(id=strawberry.ID(self.product_id))

    # Nullable on purpose: the `User` is owned by another subgraph; when it does not exist or that
    # subgraph is down, the router nulls it, and a non-null type would bubble the null up and
    # erase the whole ticket (and every list holding it). The id-carrying stub stays.
    @strawberry.field
    def customer(self) -> User | None:
        return User(id=strawberry.ID(self.customer_id))

    @strawberry.field
    def assignee(self) -> User | None:
        return None if self.assignee_id is None else User(id=strawberry.ID(self.assignee_id))

    @strawberry.field(description="The thread, oldest first; internal notes only when asked for.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def messages(
        self,
        info: strawberry.Info[Context, None],
        include_internal: bool = False,  # noqa: FBT001, FBT002 - a GraphQL argument
    ) -> list[TicketMessage]:
        rows = await info.context.loaders.messages_by_ticket.load(str(self.id))
        return [TicketMessage.from_model(row) for row in rows if include_internal or not row.internal]


@strawberry.federation.type(keys=["id"])
class Product:
    """Knowledge owns `Product` and its description; support adds tickets."""

    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Product:  # noqa: A002 - the key field is called id
        return cls(id=id)

    # Nullable on purpose: a field this subgraph adds to another's entity must not null the
    # whole entity when this subgraph is down (null would bubble up past a non-null type).
    @strawberry.field(description="The product's tickets, newest first; `first` is at most 100.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def tickets(
        self, info: strawberry.Info[Context, None], status: TicketStatus | None = None, first: int = 20
    ) -> list[Ticket] | None:
        key = OwnedTicketsKey(str(self.id), None if status is None else status.value, check_first(first))
        return [Ticket.from_model(row) for row in await info.context.loaders.tickets_by_product.load(key)]

    @strawberry.field(description="How many of the product's tickets are not yet solved (OPEN or PENDING).")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def open_ticket_count(self, info: strawberry.Info[Context, None]) -> int | None:
        return await info.context.loaders.unsolved_count_by_product.load(str(self.id))

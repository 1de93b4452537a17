"""The public GraphQL types of tickets, mapped from the storage rows.

Tickets are personal data: every field that hands out tickets asks the request's
``TicketReader`` first (support:read sees all, support:own only the caller's own tickets).
"""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 - Strawberry reads field annotations at runtime
from enum import Enum

import strawberry

from kcp.pagination import check_first
from subgraphs.support.context import Context  # noqa: TC001 - Strawberry resolves Info[Context] at runtime
from subgraphs.support.scopes import SUPPORT_READ
from subgraphs.support.tables import TicketRow  # noqa: TC001
from subgraphs.support.tickets.loaders import OwnedTicketsKey
from subgraphs.support.tickets.transcripts import MessageRecord  # noqa: TC001


@strawberry.enum(description="Where a ticket is in its workflow: OPEN ⇄ PENDING, → SOLVED ⇄ OPEN, SOLVED → CLOSED.")
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


@strawberry.enum(description="The order of a ticket queue.")
class TicketSort(Enum):
    NEWEST = "newest"
    OLDEST = "oldest"
    PRIORITY = strawberry.enum_value("priority", description="Most urgent first; within a priority, oldest first.")


@strawberry.enum
class TicketChannel(Enum):
    EMAIL = "email"
    CHAT = "chat"
    PHONE = "phone"
    WEB = "web"


def _seconds_between(start: datetime, end: datetime | None) -> int | None:
    return None if end is None else int((end - start).total_seconds())


@strawberry.federation.type(keys=["id"])
class User:
    """Auth owns `User` and its description; support adds `assignedTickets`."""

    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User:  # noqa: A002 - the key field is called id
        return cls(id=id)

    # Nullable on purpose: a field this subgraph adds to another's entity must not null the
    # whole entity when this subgraph is down (null would bubble up past a non-null type).
    @strawberry.field(  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
        description="Tickets assigned to this agent, newest first; `first` is at most 100. Needs support:read."
    )
    async def assigned_tickets(
        self, info: strawberry.Info[Context, None], status: TicketStatus | None = None, first: int = 20
    ) -> list[Ticket] | None:
        info.context.identity.require(SUPPORT_READ)
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
    def from_model(cls, message: MessageRecord) -> TicketMessage:
        return cls(
            id=strawberry.ID(message.id),
            body=message.body,
            internal=message.internal,
            created_at=message.created_at,
            author_id=message.author_id,
        )

    # Nullable on purpose: the `User` is owned by another subgraph; when it does not exist or that
    # subgraph is down, the router nulls it, and a non-null type would bubble the null up and
    # erase the whole message (and every list holding it). The id-carrying stub stays.
    @strawberry.field
    def author(self) -> User | None:
        return User(id=strawberry.ID(self.author_id))


@strawberry.type(description="The customer's satisfaction rating of a solved ticket (CSAT).")
class Satisfaction:
    score: int = strawberry.field(description="1 (very unhappy) to 5 (very happy).")
    comment: str | None
    rated_at: datetime

    @classmethod
    def from_model(cls, row: TicketRow) -> Satisfaction | None:
        if row.csat_score is None or row.csat_rated_at is None:
            return None
        return cls(score=row.csat_score, comment=row.csat_comment, rated_at=row.csat_rated_at)


@strawberry.federation.type(keys=["id"], description="A customer's support request and its thread.")
class Ticket:
    id: strawberry.ID
    subject: str
    description: str
    status: TicketStatus
    priority: TicketPriority
    channel: TicketChannel
    tags: list[str]
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None = strawberry.field(
        description="When someone other than the customer first replied publicly; null until then."
    )
    solved_at: datetime | None = strawberry.field(description="When it was last solved; null while unsolved.")
    closed_at: datetime | None
    satisfaction: Satisfaction | None = strawberry.field(description="The customer's rating, once given.")
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
            tags=list(row.tags),
            created_at=row.created_at,
            updated_at=row.updated_at,
            first_response_at=row.first_response_at,
            solved_at=row.solved_at,
            closed_at=row.closed_at,
            satisfaction=Satisfaction.from_model(row),
            product_id=row.product_id,
            customer_id=row.customer_id,
            assignee_id=row.assignee_id,
        )

    @classmethod
    async def resolve_reference(cls, info: strawberry.Info[Context, None], id: strawberry.ID) -> Ticket | None:  # noqa: A002 - the key field is called id
        reader = info.context.reader()
        row = await info.context.loaders.ticket_by_id.load(str(id))
        return None if row is None or not reader.may_see(row) else cls.from_model(row)

    @strawberry.field(description="Seconds from opening to the first response; null until answered.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    def first_response_seconds(self) -> int | None:
        return _seconds_between(self.created_at, self.first_response_at)

    @strawberry.field(description="Seconds from opening to being solved; null while unsolved.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    def resolution_seconds(self) -> int | None:
        return _seconds_between(self.created_at, self.solved_at)

    # Nullable on purpose: the `Product` is owned by another subgraph; when it does not exist or that
    # subgraph is down, the router nulls it, and a non-null type would bubble the null up and
    # erase the whole ticket (and every list holding it). The id-carrying stub stays.
    @strawberry.field
    def product(self) -> Product | None:
        return Product(id=strawberry.ID(self.product_id))

    # Nullable on purpose, as `product` above.
    @strawberry.field
    def customer(self) -> User | None:
        return User(id=strawberry.ID(self.customer_id))

    @strawberry.field
    def assignee(self) -> User | None:
        return None if self.assignee_id is None else User(id=strawberry.ID(self.assignee_id))

    @strawberry.field(  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
        description="The thread, oldest first; internal notes only when asked for, and only with support:read."
    )
    async def messages(
        self,
        info: strawberry.Info[Context, None],
        include_internal: bool = False,  # noqa: FBT001, FBT002 - a GraphQL argument
    ) -> list[TicketMessage]:
        if include_internal:
            info.context.reader().require_internal_notes()
        thread = await info.context.loaders.messages_by_ticket.load(str(self.id))
        return [TicketMessage.from_model(message) for message in thread if include_internal or not message.internal]


@strawberry.federation.type(keys=["id"])
class Product:
    """Knowledge owns `Product` and its description; support adds tickets."""

    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Product:  # noqa: A002 - the key field is called id
        return cls(id=id)

    # Nullable on purpose: a field this subgraph adds to another's entity must not null the
    # whole entity when this subgraph is down (null would bubble up past a non-null type).
    @strawberry.field(  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
        description=(
            "The product's tickets, newest first; `first` is at most 100. Needs support:read,"
            " or support:own for the caller's own tickets."
        )
    )
    async def tickets(
        self, info: strawberry.Info[Context, None], status: TicketStatus | None = None, first: int = 20
    ) -> list[Ticket] | None:
        reader = info.context.reader()
        key = OwnedTicketsKey(
            str(self.id), None if status is None else status.value, check_first(first), reader.own_customer_id
        )
        return [Ticket.from_model(row) for row in await info.context.loaders.tickets_by_product.load(key)]

    @strawberry.field(  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
        description="How many of the product's tickets are not yet solved (OPEN or PENDING); public, a count only."
    )
    async def open_ticket_count(self, info: strawberry.Info[Context, None]) -> int | None:
        return await info.context.loaders.unsolved_count_by_product.load(str(self.id))

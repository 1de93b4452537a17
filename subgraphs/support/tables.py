"""The support subgraph's storage models (SQLAlchemy ORM); never exposed as API types."""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 - SQLAlchemy reads Mapped[] annotations at runtime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kcp.idempotency import idempotency_table
from kcp.stores.columns import UtcDateTime


class SupportBase(DeclarativeBase):
    """The support subgraph's own metadata: no other service's tables live here."""


class TicketRow(SupportBase):
    __tablename__ = "tickets"
    __table_args__ = (
        # Newest-first lists per product, per assignee and per customer.
        Index("ix_tickets_product_created", "product_id", "created_at"),
        Index("ix_tickets_assignee_created", "assignee_id", "created_at"),
        Index("ix_tickets_customer_created", "customer_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)  # open | pending | solved | closed
    priority: Mapped[str] = mapped_column(String(16), index=True)  # low | normal | high | urgent
    channel: Mapped[str] = mapped_column(String(16))  # email | chat | phone | web
    # Few per ticket, always read with it: a JSON list rather than a table of its own.
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    product_id: Mapped[str] = mapped_column(String(64), index=True)  # knowledge's Product id
    customer_id: Mapped[str] = mapped_column(String(64), index=True)  # auth's User id
    assignee_id: Mapped[str | None] = mapped_column(String(64), index=True)  # auth's User id
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # The first public reply by someone other than the customer (the SLA's first response).
    first_response_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    solved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())  # cleared when reopened
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    csat_score: Mapped[int | None] = mapped_column(Integer)  # 1..5, given by the customer
    csat_comment: Mapped[str | None] = mapped_column(Text)
    csat_rated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Bumped by every write; an UPDATE names the version it read, so a concurrent change between
    # a read and its write is detected instead of silently overwritten (see TicketService._change).
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declarative hook


class TicketMessageRow(SupportBase):
    __tablename__ = "ticket_messages"
    __table_args__ = (Index("ix_ticket_messages_ticket_created", "ticket_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    author_id: Mapped[str] = mapped_column(String(64))  # auth's User id
    body: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


# createTicket's idempotency keys (kcp/idempotency.py), kept beside the tickets they stand for.
IDEMPOTENCY_KEYS = idempotency_table(SupportBase.metadata)

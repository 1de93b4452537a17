"""The analytics subgraph's storage models (never exposed as API types)."""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 - SQLAlchemy resolves Mapped[] annotations at runtime

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kcp.stores.columns import UtcDateTime


class AnalyticsBase(DeclarativeBase):
    """Metadata of every analytics table."""


class EventRow(AnalyticsBase):
    """One tracked event. Product, article and user ids refer to other domains: no foreign keys."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_product_kind", "product_id", "kind"),
        Index("ix_events_kind_occurred_at", "kind", "occurred_at"),
        Index("ix_events_article_kind", "article_id", "kind"),
        # Idempotent ingestion: one event per sender and client event id (NULL ids never clash).
        Index("ux_events_source_client_event", "source", "client_event_id", unique=True),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime())
    user_id: Mapped[str | None] = mapped_column(String(64))
    product_id: Mapped[str | None] = mapped_column(String(64))
    article_id: Mapped[str | None] = mapped_column(String(64))
    query: Mapped[str | None] = mapped_column(Text)
    result_count: Mapped[int | None] = mapped_column(Integer)
    helpful: Mapped[bool | None] = mapped_column(Boolean)
    ticket_id: Mapped[str | None] = mapped_column(String(64))
    content_id: Mapped[str | None] = mapped_column(String(64))
    solution_id: Mapped[str | None] = mapped_column(String(64))
    """The suggested solution that made a ticket unnecessary (ticket_deflected)."""
    deflected: Mapped[bool | None] = mapped_column(Boolean)
    provider: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str | None] = mapped_column(String(140))
    """Who sent it (``user:usr-1``, ``service:support``, ``anonymous``); demo events have none."""
    client_event_id: Mapped[str | None] = mapped_column(String(64))

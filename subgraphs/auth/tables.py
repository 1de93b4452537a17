"""The auth subgraph's storage models (never exposed as API types)."""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 - SQLAlchemy resolves Mapped[] annotations at runtime

from sqlalchemy import Boolean, CheckConstraint, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kcp.stores.columns import UtcDateTime


class AuthBase(DeclarativeBase):
    """Metadata of every auth table."""


class UserRow(AuthBase):
    """One account. The e-mail is stored lower-cased; the password only as an argon2 hash."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("email = lower(email)", name="ck_users_email_lowercase"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)

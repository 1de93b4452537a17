"""The auth subgraph's storage models (never exposed as API types).

Secrets are stored only as hashes: passwords with argon2 (low-entropy, so slow on purpose),
refresh tokens and API keys with SHA-256 (256-bit random values cannot be guessed, and they are
checked on every request, where argon2's cost would be paid each time).
"""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 - SQLAlchemy resolves Mapped[] annotations at runtime

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kcp.stores.columns import UtcDateTime


class AuthBase(DeclarativeBase):
    """Metadata of every auth table."""


class PartnerRow(AuthBase):
    """A partner organisation; its people are users with the partner role, its programs use API keys."""

    __tablename__ = "partners"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


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
    deactivated_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    partner_id: Mapped[str | None] = mapped_column(
        ForeignKey("partners.id", name="fk_users_partner_id"), default=None, index=True
    )


class RefreshTokenRow(AuthBase):
    """One refresh token of a login "family": each refresh rotates it into a new one of the family.

    A token presented after it was rotated means someone else holds a copy: the whole family is
    revoked (OAuth 2.0 Security BCP, refresh token rotation).
    """

    __tablename__ = "refresh_tokens"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    family_id: Mapped[str] = mapped_column(String(64), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    rotated_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)


class ApiKeyRow(AuthBase):
    """A partner's API key: ``kcp_<id>_<secret>``, of which only the SHA-256 of the whole is kept."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    key_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str | None] = mapped_column(String(64), default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=None)


class AuditEventRow(AuthBase):
    """One auth event. Append-only; login throttling counts its recent failures from here too."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_email_time", "email", "occurred_at"),
        Index("ix_audit_address_time", "client_address", "occurred_at"),
        Index("ix_audit_kind_id", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor_id: Mapped[str | None] = mapped_column(String(64), default=None)  # who did it
    target_id: Mapped[str | None] = mapped_column(String(64), default=None)  # user, key or partner acted on
    email: Mapped[str | None] = mapped_column(String(320), default=None)  # login attempts: the e-mail tried
    client_address: Mapped[str | None] = mapped_column(String(64), default=None)
    detail: Mapped[str | None] = mapped_column(String(500), default=None)

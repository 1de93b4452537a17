"""Refresh tokens: opaque random strings, stored as SHA-256, rotated on every use."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from subgraphs.auth.tables import RefreshTokenRow

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.ext.asyncio import AsyncSession

REFRESH_TOKEN_PREFIX = "rt_"  # noqa: S105 - a prefix, not a secret
REFRESH_TOKEN_LIFETIME = timedelta(days=14)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class RefreshTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def issue(self, user_id: str, now: datetime, *, family_id: str | None = None) -> str:
        """A new token (returned once, in clear) for ``user_id``, in ``family_id`` or a new family."""
        token = REFRESH_TOKEN_PREFIX + secrets.token_urlsafe(32)
        self._session.add(
            RefreshTokenRow(
                id=uuid.uuid4().hex,
                family_id=family_id or uuid.uuid4().hex,
                user_id=user_id,
                token_hash=hash_token(token),
                issued_at=now,
                expires_at=now + REFRESH_TOKEN_LIFETIME,
            )
        )
        return token

    async def by_token(self, token: str) -> RefreshTokenRow | None:
        query = select(RefreshTokenRow).where(RefreshTokenRow.token_hash == hash_token(token))
        return (await self._session.scalars(query)).one_or_none()

    async def mark_rotated(self, row_id: str, now: datetime) -> bool:
        """Rotate the token unless it already was (or was revoked): exactly one concurrent refresh wins."""
        result = await self._session.execute(
            update(RefreshTokenRow)
            .where(
                RefreshTokenRow.id == row_id, RefreshTokenRow.rotated_at.is_(None), RefreshTokenRow.revoked_at.is_(None)
            )
            .values(rotated_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]  # CursorResult of an UPDATE has rowcount

    async def revoke_family(self, family_id: str, now: datetime) -> int:
        result = await self._session.execute(
            update(RefreshTokenRow)
            .where(RefreshTokenRow.family_id == family_id, RefreshTokenRow.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]  # CursorResult of an UPDATE has rowcount

    async def revoke_user(self, user_id: str, now: datetime) -> int:
        """Revoke every live token of the user; how many families that ended."""
        families = await self._session.scalars(
            select(RefreshTokenRow.family_id)
            .where(RefreshTokenRow.user_id == user_id, RefreshTokenRow.revoked_at.is_(None))
            .distinct()
        )
        found = list(families.all())
        if found:
            await self._session.execute(
                update(RefreshTokenRow)
                .where(RefreshTokenRow.user_id == user_id, RefreshTokenRow.revoked_at.is_(None))
                .values(revoked_at=now)
            )
        return len(found)

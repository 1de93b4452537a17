"""Partners and their API keys: create, revoke, and verify a key for the router.

Admins (users:admin) manage every partner; a partner's own people (partner:keys) manage their
organisation's keys. Each change is one transaction with its audit event.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

import structlog

from kcp.errors import ForbiddenError
from subgraphs.auth.audit.kinds import AuditKind
from subgraphs.auth.audit.repository import AuditRepository
from subgraphs.auth.partners import keys
from subgraphs.auth.partners.errors import ApiKeyNotFoundError, InvalidPartnerInputError, PartnerNotFoundError
from subgraphs.auth.partners.repository import PartnerRepository
from subgraphs.auth.tables import ApiKeyRow, PartnerRow
from subgraphs.auth.users.repository import UserRepository
from subgraphs.auth.users.roles import API_KEY_SCOPES, PARTNER_KEYS, USERS_ADMIN

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from kcp.identity import Caller
    from kcp.pagination import Window
    from kcp.stores.relational import RelationalStore
    from subgraphs.auth.clock import Clock

log = structlog.get_logger()

MAX_NAME_LENGTH = 200
# A key in steady use would otherwise cost a write per request; a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class CreatedKey:
    row: ApiKeyRow
    key: str  # shown once


@dataclass(frozen=True)
class VerifiedKey:
    row: ApiKeyRow
    partner: PartnerRow


def _valid_name(name: str, what: str) -> str:
    name = " ".join(name.split())
    if not 1 <= len(name) <= MAX_NAME_LENGTH:
        raise InvalidPartnerInputError(f"A {what} name has 1 to {MAX_NAME_LENGTH} characters")
    return name


def _valid_scopes(scopes: list[str]) -> list[str]:
    wanted = sorted(set(scopes))
    if not wanted:
        raise InvalidPartnerInputError("An API key needs at least one scope")
    refused = [scope for scope in wanted if scope not in API_KEY_SCOPES]
    if refused:
        allowed = ", ".join(sorted(API_KEY_SCOPES))
        raise InvalidPartnerInputError(f"API keys cannot carry {', '.join(refused)}; allowed: {allowed}")
    return wanted


async def _require_manager(db: AsyncSession, caller: Caller, partner_id: str) -> None:
    """Admins manage any partner; partner people (partner:keys) only their own organisation."""
    if caller.has(USERS_ADMIN):
        return
    if caller.has(PARTNER_KEYS) and caller.subject is not None:
        user = await UserRepository(db).get(caller.subject)
        if user is not None and user.partner_id == partner_id:
            return
    raise ForbiddenError("Only an admin or the partner's own people may manage its API keys")


class PartnerService:
    def __init__(self, store: RelationalStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def page(self, window: Window) -> tuple[list[PartnerRow], int]:
        async with self._store.reading() as db:
            return await PartnerRepository(db).page(offset=window.offset, limit=window.limit + 1)

    async def get(self, partner_id: str) -> PartnerRow | None:
        async with self._store.reading() as db:
            return await PartnerRepository(db).get(partner_id)

    async def create(self, name: str, *, actor_id: str | None) -> PartnerRow:
        name = _valid_name(name, "partner")
        now = self._clock()
        async with self._store.transaction() as db:
            partners = PartnerRepository(db)
            if await partners.by_name(name) is not None:
                raise InvalidPartnerInputError(f"A partner named {name!r} exists already")
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "partner"
            row = PartnerRow(id=f"ptn-{slug}-{secrets.token_hex(3)}", name=name, created_at=now)
            partners.add(row)
            AuditRepository(db).record(AuditKind.PARTNER_CREATED, now, actor_id=actor_id, target_id=row.id)
        return row

    async def create_key(self, partner_id: str, name: str, scopes: list[str], caller: Caller) -> CreatedKey:
        name, wanted = _valid_name(name, "key"), _valid_scopes(scopes)
        now = self._clock()
        new = keys.new_key()
        async with self._store.transaction() as db:
            partners = PartnerRepository(db)
            if await partners.get(partner_id) is None:
                raise PartnerNotFoundError(partner_id)
            await _require_manager(db, caller, partner_id)
            row = ApiKeyRow(
                id=new.id, partner_id=partner_id, name=name, key_hash=new.key_hash, scopes=wanted,
                created_at=now, created_by=caller.subject,
            )  # fmt: skip
            partners.add(row)
            AuditRepository(db).record(
                AuditKind.API_KEY_CREATED, now, actor_id=caller.subject, target_id=row.id,
                detail=f"partner {partner_id}; scopes {' '.join(wanted)}",
            )  # fmt: skip
        log.info("auth.api_key_created", key_id=row.id, partner_id=partner_id)
        return CreatedKey(row=row, key=new.key)

    async def revoke_key(self, key_id: str, caller: Caller) -> ApiKeyRow:
        """Revoke a key at once; revoking a revoked key changes nothing and says so by its revokedAt."""
        now = self._clock()
        async with self._store.transaction() as db:
            row = await PartnerRepository(db).key(key_id)
            if row is None:
                raise ApiKeyNotFoundError(key_id)
            await _require_manager(db, caller, row.partner_id)
            if row.revoked_at is None:
                row.revoked_at = now
                AuditRepository(db).record(
                    AuditKind.API_KEY_REVOKED, now, actor_id=caller.subject, target_id=row.id,
                    detail=f"partner {row.partner_id}",
                )  # fmt: skip
        return row

    async def verify(self, key: str) -> VerifiedKey | None:
        """The live key and its partner; None for a malformed, unknown, wrong or revoked key."""
        key_id = keys.key_id_of(key)
        if key_id is None:
            return None
        now = self._clock()
        async with self._store.transaction() as db:
            partners = PartnerRepository(db)
            row = await partners.key(key_id)
            if row is None or not keys.matches(key, row.key_hash) or row.revoked_at is not None:
                return None
            partner = await partners.get(row.partner_id)
            if partner is None:
                return None
            if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
                row.last_used_at = now
        return VerifiedKey(row=row, partner=partner)

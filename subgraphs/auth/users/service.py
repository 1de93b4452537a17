"""User administration (users:admin) and user look-ups. Each change is one transaction with its
audit event, so no change is left unrecorded and no record describes a change that did not happen."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

import structlog
from sqlalchemy.exc import IntegrityError

from subgraphs.auth.audit.kinds import AuditKind
from subgraphs.auth.audit.repository import AuditRepository
from subgraphs.auth.partners.errors import PartnerNotFoundError
from subgraphs.auth.partners.repository import PartnerRepository
from subgraphs.auth.sessions.refresh import RefreshTokenRepository
from subgraphs.auth.sessions.service import MAX_PASSWORD_LENGTH, normalise_email
from subgraphs.auth.tables import UserRow
from subgraphs.auth.users.errors import InvalidUserInputError, UserNotFoundError
from subgraphs.auth.users.repository import UserRepository
from subgraphs.auth.users.roles import Role

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from kcp.pagination import Window
    from kcp.stores.relational import RelationalStore
    from subgraphs.auth.clock import Clock
    from subgraphs.auth.users.passwords import PasswordService

log = structlog.get_logger()

MIN_PASSWORD_LENGTH = 12
MAX_NAME_LENGTH = 200
MAX_EMAIL_LENGTH = 320
# Deliberately loose: one @, no spaces, a dot in the domain. Deliverability is the mail server's call.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class NewUser:
    email: str
    name: str
    role: Role
    password: str
    partner_id: str | None


def _valid_email(email: str) -> str:
    email = normalise_email(email)
    if len(email) > MAX_EMAIL_LENGTH or not _EMAIL.match(email):
        raise InvalidUserInputError(f"Not an e-mail address: {email[:80]!r}")
    return email


def _valid_name(name: str) -> str:
    name = " ".join(name.split())
    if not 1 <= len(name) <= MAX_NAME_LENGTH:
        raise InvalidUserInputError(f"A name has 1 to {MAX_NAME_LENGTH} characters")
    return name


def _valid_password(password: str) -> str:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise InvalidUserInputError(f"A password has {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters")
    return password


async def _valid_partner(db: AsyncSession, role: Role, partner_id: str | None) -> str | None:
    """Partner users belong to exactly one partner; nobody else belongs to any."""
    if role is Role.PARTNER:
        if partner_id is None:
            raise InvalidUserInputError("A user with the PARTNER role needs a partnerId")
        if await PartnerRepository(db).get(partner_id) is None:
            raise PartnerNotFoundError(partner_id)
        return partner_id
    if partner_id is not None:
        raise InvalidUserInputError("Only users with the PARTNER role belong to a partner")
    return None


class UserService:
    def __init__(self, store: RelationalStore, passwords: PasswordService, clock: Clock) -> None:
        self._store = store
        self._passwords = passwords
        self._clock = clock

    async def page(self, *, role: Role | None, active: bool | None, window: Window) -> tuple[list[UserRow], int]:
        async with self._store.reading() as db:
            return await UserRepository(db).page(
                role=None if role is None else str(role), active=active, offset=window.offset, limit=window.limit + 1
            )

    async def get(self, user_id: str) -> UserRow | None:
        async with self._store.reading() as db:
            return await UserRepository(db).get(user_id)

    async def create(self, new: NewUser, *, actor_id: str | None) -> UserRow:
        email, name = _valid_email(new.email), _valid_name(new.name)
        password_hash = await self._passwords.hash(_valid_password(new.password))
        now = self._clock()
        try:
            async with self._store.transaction() as db:
                users = UserRepository(db)
                if await users.by_email(email) is not None:
                    raise InvalidUserInputError(f"{email} is already registered")
                row = UserRow(
                    id=f"usr-{uuid.uuid4().hex[:12]}",
                    email=email,
                    name=name,
                    role=str(new.role),
                    password_hash=password_hash,
                    created_at=now,
                    disabled=False,
                    partner_id=await _valid_partner(db, new.role, new.partner_id),
                )
                users.add(row)
                AuditRepository(db).record(
                    AuditKind.USER_CREATED, now, actor_id=actor_id, target_id=row.id, detail=f"role {new.role}"
                )
        except IntegrityError as error:  # the same e-mail registered concurrently
            raise InvalidUserInputError(f"{email} is already registered") from error
        log.info("auth.user_created", user_id=row.id, role=row.role)
        return row

    async def change_role(self, user_id: str, role: Role, partner_id: str | None, *, actor_id: str) -> UserRow:
        if user_id == actor_id:
            raise InvalidUserInputError("You cannot change your own role; ask another admin")
        now = self._clock()
        async with self._store.transaction() as db:
            row = await UserRepository(db).get(user_id)
            if row is None:
                raise UserNotFoundError(user_id)
            partner = await _valid_partner(db, role, partner_id)
            if (row.role, row.partner_id) != (str(role), partner):
                detail = f"{row.role} -> {role}"
                row.role, row.partner_id = str(role), partner
                AuditRepository(db).record(
                    AuditKind.USER_ROLE_CHANGED, now, actor_id=actor_id, target_id=row.id, detail=detail
                )
        return row

    async def set_active(self, user_id: str, *, active: bool, actor_id: str) -> UserRow:
        """Deactivate (ending every refresh token of the user) or reactivate; unchanged when already so."""
        if user_id == actor_id and not active:
            raise InvalidUserInputError("You cannot deactivate your own account")
        now = self._clock()
        async with self._store.transaction() as db:
            row = await UserRepository(db).get(user_id)
            if row is None:
                raise UserNotFoundError(user_id)
            if row.disabled == (not active):
                return row
            row.disabled = not active
            row.deactivated_at = None if active else now
            ended = 0 if active else await RefreshTokenRepository(db).revoke_user(row.id, now)
            kind = AuditKind.USER_REACTIVATED if active else AuditKind.USER_DEACTIVATED
            detail = None if active else f"{ended} sessions ended"
            AuditRepository(db).record(kind, now, actor_id=actor_id, target_id=row.id, detail=detail)
        return row

    async def end_sessions(self, user_id: str, *, actor_id: str) -> int:
        """Revoke every refresh token of a user; how many logins that ended."""
        now = self._clock()
        async with self._store.transaction() as db:
            if await UserRepository(db).get(user_id) is None:
                raise UserNotFoundError(user_id)
            ended = await RefreshTokenRepository(db).revoke_user(user_id, now)
            AuditRepository(db).record(
                AuditKind.REFRESH_TOKENS_REVOKED, now, actor_id=actor_id, target_id=user_id,
                detail=f"{ended} sessions ended by an admin",
            )  # fmt: skip
        return ended

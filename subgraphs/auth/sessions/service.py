"""Logging in, refreshing and logging out. Each is one transaction, its audit event included."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import structlog
from prometheus_client import Counter

from subgraphs.auth.audit.kinds import AuditKind
from subgraphs.auth.audit.repository import AuditRepository
from subgraphs.auth.sessions.errors import InvalidCredentialsError, InvalidRefreshTokenError, LoginThrottledError
from subgraphs.auth.sessions.refresh import REFRESH_TOKEN_LIFETIME, RefreshTokenRepository
from subgraphs.auth.sessions.throttle import ThrottlePolicy, retry_after
from subgraphs.auth.users.repository import UserRepository
from subgraphs.auth.users.roles import Role, scopes_for

if TYPE_CHECKING:
    from kcp.stores.relational import RelationalStore
    from subgraphs.auth.clock import Clock
    from subgraphs.auth.tables import UserRow
    from subgraphs.auth.tokens.service import TokenIssuer
    from subgraphs.auth.users.passwords import PasswordService

log = structlog.get_logger()

LOGINS = Counter("kcp_logins_total", "Login attempts by outcome (succeeded, failed, throttled).", ["outcome"])
for _outcome in ("succeeded", "failed", "throttled"):  # present at 0 from the start, for the dashboard
    LOGINS.labels(_outcome)

MAX_PASSWORD_LENGTH = 1024  # argon2 accepts more, but nobody needs it and it costs CPU


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class Session:
    """What a login or a refresh hands the client."""

    access_token: str
    expires_in: int
    refresh_token: str
    refresh_expires_in: int
    user: UserRow


class SessionService:
    def __init__(
        self,
        store: RelationalStore,
        passwords: PasswordService,
        issuer: TokenIssuer,
        clock: Clock,
        policy: ThrottlePolicy | None = None,
    ) -> None:
        self._store = store
        self._passwords = passwords
        self._issuer = issuer
        self._clock = clock
        self._policy = policy or ThrottlePolicy()

    async def login(self, email: str, password: str, address: str | None) -> Session:
        """A session for valid credentials; one generic error for every bad one; RATE_LIMITED when locked."""
        email = normalise_email(email)
        now = self._clock()
        user: UserRow | None = None
        async with self._store.transaction() as db:
            audit = AuditRepository(db)
            wait = await retry_after(audit, self._policy, email=email, address=address, now=now)
            if wait is None:
                user = await UserRepository(db).by_email(email)
            else:
                audit.record(AuditKind.LOGIN_THROTTLED, now, email=email, client_address=address)
        if wait is not None:
            LOGINS.labels("throttled").inc()
            log.info("auth.login_throttled", retry_after=wait)
            raise LoginThrottledError(wait)
        # Unknown e-mails are verified against a decoy hash: both failures take about as long.
        valid = len(password) <= MAX_PASSWORD_LENGTH and await self._passwords.verify(
            user.password_hash if user else None, password
        )
        if user is None or not valid or user.disabled:
            async with self._store.transaction() as db:
                AuditRepository(db).record(
                    AuditKind.LOGIN_FAILED,
                    now,
                    target_id=None if user is None else user.id,
                    email=email,
                    client_address=address,
                    detail="account deactivated" if user is not None and valid else None,
                )
            LOGINS.labels("failed").inc()
            log.info("auth.login_failed", known_user=user is not None)
            raise InvalidCredentialsError
        new_hash = await self._passwords.hash(password) if self._passwords.needs_rehash(user.password_hash) else None
        async with self._store.transaction() as db:
            users = UserRepository(db)
            row = await users.get(user.id)
            if row is None or row.disabled:  # deactivated between the two transactions
                raise InvalidCredentialsError
            if new_hash is not None:
                row.password_hash = new_hash
            row.last_login_at = now
            refresh_token = RefreshTokenRepository(db).issue(row.id, now)
            AuditRepository(db).record(
                AuditKind.LOGIN_SUCCEEDED, now, actor_id=row.id, target_id=row.id, email=email, client_address=address
            )
        LOGINS.labels("succeeded").inc()
        log.info("auth.login", user_id=row.id, role=row.role)
        return self._session(row, refresh_token)

    async def refresh(self, token: str, address: str | None) -> Session:
        """Rotate a refresh token into a new session; a rotated token presented again revokes its family."""
        now = self._clock()
        reused = False
        user: UserRow | None = None
        new_token = ""
        async with self._store.transaction() as db:
            tokens = RefreshTokenRepository(db)
            audit = AuditRepository(db)
            row = await tokens.by_token(token)
            if row is None or row.revoked_at is not None:
                raise InvalidRefreshTokenError
            if row.expires_at <= now:
                raise InvalidRefreshTokenError("Refresh token has expired; log in again")
            if row.rotated_at is not None or not await tokens.mark_rotated(row.id, now):
                # Someone holds a copy of a token that was already used: end the whole login.
                await tokens.revoke_family(row.family_id, now)
                audit.record(
                    AuditKind.REFRESH_TOKEN_REUSED, now, actor_id=row.user_id, target_id=row.user_id,
                    client_address=address, detail=f"family {row.family_id} revoked",
                )  # fmt: skip
                reused = True
            else:
                user = await UserRepository(db).get(row.user_id)
                if user is None or user.disabled:
                    raise InvalidRefreshTokenError
                new_token = tokens.issue(user.id, now, family_id=row.family_id)
                audit.record(
                    AuditKind.TOKEN_REFRESHED, now, actor_id=user.id, target_id=user.id, client_address=address
                )
        if reused or user is None:  # raised after the commit: the revocation must stick
            log.warning("auth.refresh_token_reused", user_id=row.user_id)
            raise InvalidRefreshTokenError("Refresh token was already used; this login has been ended")
        return self._session(user, new_token)

    async def logout(self, token: str, address: str | None) -> bool:
        """Revoke the refresh token's whole family; False when it was already revoked."""
        now = self._clock()
        async with self._store.transaction() as db:
            row = await RefreshTokenRepository(db).by_token(token)
            if row is None:
                raise InvalidRefreshTokenError
            ended = await RefreshTokenRepository(db).revoke_family(row.family_id, now)
            if ended:
                AuditRepository(db).record(
                    AuditKind.REFRESH_TOKENS_REVOKED, now, actor_id=row.user_id, target_id=row.user_id,
                    client_address=address, detail="logout",
                )  # fmt: skip
        return ended > 0

    def _session(self, user: UserRow, refresh_token: str) -> Session:
        role = Role(user.role)
        issued = self._issuer.issue(subject=user.id, role=role, scopes=scopes_for(role))
        return Session(
            access_token=issued.token,
            expires_in=issued.expires_in,
            refresh_token=refresh_token,
            refresh_expires_in=int(REFRESH_TOKEN_LIFETIME.total_seconds()),
            user=user,
        )

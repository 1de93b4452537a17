"""Login, identity of the caller, and user look-ups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import structlog

from kcp.errors import ForbiddenError, UnauthenticatedError
from subgraphs.auth.users.errors import InvalidCredentialsError, InvalidUserQueryError
from subgraphs.auth.users.roles import Role, scopes_for

if TYPE_CHECKING:
    from subgraphs.auth.tables import UserRow
    from subgraphs.auth.tokens.service import AccessClaims, TokenService
    from subgraphs.auth.users.passwords import PasswordService
    from subgraphs.auth.users.repository import UserRepository

log = structlog.get_logger()

MAX_USERS_PAGE = 200
MAX_PASSWORD_LENGTH = 1024  # argon2 accepts more, but nobody needs it and it costs CPU


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class LoginOutcome:
    access_token: str
    expires_in: int
    user: UserRow


class UserService:
    def __init__(self, repository: UserRepository, passwords: PasswordService, tokens: TokenService) -> None:
        self._repository = repository
        self._passwords = passwords
        self._tokens = tokens

    async def login(self, email: str, password: str) -> LoginOutcome:
        """A signed access token for valid credentials; one generic error for every failure."""
        if len(password) > MAX_PASSWORD_LENGTH:
            raise InvalidCredentialsError
        user = await self._repository.by_email(normalise_email(email))
        # Unknown e-mails are verified against a decoy hash: both failures take about as long.
        valid = await self._passwords.verify(user.password_hash if user else None, password)
        if user is None or not valid or user.disabled:
            log.info("auth.login_failed", known_user=user is not None)
            raise InvalidCredentialsError
        if self._passwords.needs_rehash(user.password_hash):
            await self._repository.set_password_hash(user.id, await self._passwords.hash(password))
            log.info("auth.password_rehashed", user_id=user.id)
        role = Role(user.role)
        issued = self._tokens.issue(subject=user.id, role=role, scopes=scopes_for(role))
        log.info("auth.login", user_id=user.id, role=user.role)
        return LoginOutcome(access_token=issued.token, expires_in=issued.expires_in, user=user)

    @staticmethod
    def require_scope(viewer: AccessClaims | None, scope: str) -> AccessClaims:
        if viewer is None:
            raise UnauthenticatedError("Log in first: this field needs an access token")
        if scope not in viewer.scopes:
            raise ForbiddenError(f"This field needs the '{scope}' scope")
        return viewer

    @staticmethod
    def page_size(first: int) -> int:
        if not 1 <= first <= MAX_USERS_PAGE:
            raise InvalidUserQueryError(f"first must be between 1 and {MAX_USERS_PAGE}")
        return first

    async def list(self, *, role: Role | None, first: int) -> list[UserRow]:
        return await self._repository.list(role=None if role is None else str(role), limit=self.page_size(first))

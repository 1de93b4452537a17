"""What every auth resolver gets: services, per-request DataLoaders and the caller's token."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from subgraphs.auth.tokens.service import bearer_token
from subgraphs.auth.users.loaders import user_loader

if TYPE_CHECKING:
    from starlette.requests import Request
    from strawberry.dataloader import DataLoader

    from subgraphs.auth.tables import UserRow
    from subgraphs.auth.tokens.service import AccessClaims, TokenService
    from subgraphs.auth.users.repository import UserRepository
    from subgraphs.auth.users.service import UserService


@dataclass
class AuthContext:
    users: UserService
    tokens: TokenService
    user_loader: DataLoader[str, UserRow | None]
    authorization: str | None
    _viewer: AccessClaims | None = field(default=None, init=False)
    _viewer_checked: bool = field(default=False, init=False)

    def viewer(self) -> AccessClaims | None:
        """The verified caller; None without a token; ``UnauthenticatedError`` for a bad one."""
        if not self._viewer_checked:
            token = bearer_token(self.authorization)
            self._viewer = None if token is None else self.tokens.verify(token)
            self._viewer_checked = True
        return self._viewer


@dataclass(frozen=True)
class AuthContextFactory:
    users: UserService
    tokens: TokenService
    repository: UserRepository

    async def __call__(self, request: Request) -> AuthContext:
        return AuthContext(
            users=self.users,
            tokens=self.tokens,
            user_loader=user_loader(self.repository),
            authorization=request.headers.get("authorization"),
        )

"""The sessions sub-domain's GraphQL types."""

from __future__ import annotations

import strawberry

from subgraphs.auth.users.types import User  # noqa: TC001 - Strawberry reads annotations at runtime


@strawberry.type(description="A successful login or refresh.")
class LoginResult:
    access_token: str = strawberry.field(description="A signed JWT (EdDSA); verify it with /.well-known/jwks.json.")
    token_type: str = strawberry.field(description="Always 'Bearer'.")
    expires_in: int = strawberry.field(description="Seconds until the access token expires.")
    refresh_token: str = strawberry.field(
        description="Single use: `refreshToken` exchanges it for a new pair; using it twice ends the login."
    )
    refresh_expires_in: int = strawberry.field(description="Seconds until the refresh token expires unused.")
    user: User

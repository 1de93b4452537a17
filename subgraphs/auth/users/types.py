"""The users sub-domain's GraphQL types and their mappers from storage rows."""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 - Strawberry reads annotations at runtime
from typing import TYPE_CHECKING, Any

import strawberry

from subgraphs.auth.users.roles import Role, scopes_for

if TYPE_CHECKING:
    from subgraphs.auth.tables import UserRow

# Registers the plain enum of roles.py as the GraphQL enum `Role` (values ADMIN, EDITOR, ...).
strawberry.enum(Role, name="Role", description="What a user does; it decides their scopes.")


@strawberry.federation.type(keys=["id"], description="A person who can log in.")
class User:
    id: strawberry.ID
    email: str
    name: str
    role: Role
    scopes: list[str] = strawberry.field(description="What the role allows, e.g. 'content:write'.")
    created_at: datetime

    @classmethod
    def from_model(cls, row: UserRow) -> User:
        role = Role(row.role)
        return cls(
            id=strawberry.ID(row.id),
            email=row.email,
            name=row.name,
            role=role,
            scopes=scopes_for(role),
            created_at=row.created_at,
        )

    @classmethod
    async def resolve_reference(cls, info: strawberry.Info[Any, Any], id: strawberry.ID) -> User | None:  # noqa: A002 - federation key name
        row = await info.context.user_loader.load(str(id))
        return None if row is None else cls.from_model(row)


@strawberry.type(description="A successful login.")
class LoginResult:
    access_token: str = strawberry.field(description="A signed JWT (EdDSA); verify it with /.well-known/jwks.json.")
    token_type: str = strawberry.field(description="Always 'Bearer'.")
    expires_in: int = strawberry.field(description="Seconds until the access token expires.")
    user: User

"""The auth subgraph's schema: `User` (entity), `me`, `user`, `users` and `login`."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from kcp.errors import UnauthenticatedError
from kcp.service import SubgraphSchema, subgraph_extensions
from subgraphs.auth.users.roles import USERS_READ, Role
from subgraphs.auth.users.types import LoginResult, User

Info = strawberry.Info[Any, Any]  # the context is subgraphs.auth.context.AuthContext


# The list fields of Query are nullable at the outer level on purpose: when one fails (bad input,
# a store error, this subgraph down), only that field is null; a non-null type would null every
# other root field of the response too, those other subgraphs answered included.
@strawberry.type
class Query:
    @strawberry.field(description="The caller, from the Authorization bearer token; null without one.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def me(self, info: Info) -> User | None:
        viewer = info.context.viewer()
        if viewer is None:
            return None
        row = await info.context.user_loader.load(viewer.subject)
        if row is None or row.disabled:
            raise UnauthenticatedError("The token's user no longer exists or is disabled")
        return User.from_model(row)

    @strawberry.field(description="One user by id (needs the 'users:read' scope).")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def user(self, info: Info, id: strawberry.ID) -> User | None:  # noqa: A002 - GraphQL argument name
        info.context.users.require_scope(info.context.viewer(), USERS_READ)
        row = await info.context.user_loader.load(str(id))
        return None if row is None else User.from_model(row)

    @strawberry.field(description="Users ordered by id, at most 200 (needs the 'users:read' scope).")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def users(
        self,
        info: Info,
        role: Role | None = None,
        first: Annotated[int, strawberry.argument(description="Page size, 1 to 200.")] = 50,
    ) -> list[User] | None:
        info.context.users.require_scope(info.context.viewer(), USERS_READ)
        return [User.from_model(row) for row in await info.context.users.list(role=role, first=first)]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Exchange an e-mail and password for a short-lived access token.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def login(self, info: Info, email: str, password: str) -> LoginResult:
        outcome = await info.context.users.login(email, password)
        return LoginResult(
            access_token=outcome.access_token,
            token_type="Bearer",  # noqa: S106 - the token type, not a secret
            expires_in=outcome.expires_in,
            user=User.from_model(outcome.user),
        )


schema = SubgraphSchema(query=Query, mutation=Mutation, types=[User], extensions=subgraph_extensions())

"""The partners sub-domain's GraphQL types."""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 - Strawberry reads annotations at runtime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from subgraphs.auth.users.roles import USERS_ADMIN

if TYPE_CHECKING:
    from subgraphs.auth.tables import ApiKeyRow, PartnerRow

Info = strawberry.Info[Any, Any]  # the context is subgraphs.auth.context.AuthContext


@strawberry.type(description="A partner's API key; the secret itself is shown only once, when it is created.")
class ApiKey:
    id: strawberry.ID
    name: str
    scopes: list[str]
    created_at: datetime
    created_by_id: strawberry.ID | None
    revoked_at: datetime | None
    last_used_at: datetime | None = strawberry.field(description="Updated at most once a minute.")
    partner_id: strawberry.ID

    @strawberry.field(description="False once revoked.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    def active(self) -> bool:
        return self.revoked_at is None

    @strawberry.field(description="How the key starts, to tell keys apart (kcp_<id>_…).")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    def prefix(self) -> str:
        return f"kcp_{self.id}_"

    @classmethod
    def from_model(cls, row: ApiKeyRow) -> ApiKey:
        return cls(
            id=strawberry.ID(row.id),
            name=row.name,
            scopes=list(row.scopes),
            created_at=row.created_at,
            created_by_id=None if row.created_by is None else strawberry.ID(row.created_by),
            revoked_at=row.revoked_at,
            last_used_at=row.last_used_at,
            partner_id=strawberry.ID(row.partner_id),
        )


@strawberry.type(description="An organisation that integrates with KCP through API keys.")
class Partner:
    id: strawberry.ID
    name: str
    created_at: datetime

    @strawberry.field(description="Its API keys, oldest first (admins and the partner's own people).")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def api_keys(self, info: Info, include_revoked: bool = True) -> list[ApiKey]:  # noqa: FBT001, FBT002 - a GraphQL argument
        await info.context.require_partner_access(str(self.id))
        rows = await info.context.api_keys_loader.load(str(self.id))
        return [ApiKey.from_model(row) for row in rows if include_revoked or row.revoked_at is None]

    @strawberry.field(description="Its people: users with the PARTNER role (needs 'users:admin').")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def members(self, info: Info) -> list[Annotated[User, strawberry.lazy("subgraphs.auth.users.types")]]:
        # Users are above partners (a user names their partner), so the loader maps the rows to
        # User here and this module never imports the users' types at run time.
        info.context.identity.require(USERS_ADMIN)
        members: list[User] = await info.context.partner_members_loader.load(str(self.id))
        return members

    @classmethod
    def from_model(cls, row: PartnerRow) -> Partner:
        return cls(id=strawberry.ID(row.id), name=row.name, created_at=row.created_at)


@strawberry.type(description="A new API key and its secret: store the key now, it is never shown again.")
class CreatedApiKey:
    api_key: ApiKey
    key: str


@strawberry.federation.type(
    description="A valid API key, as the router needs it to admit a partner's request.", inaccessible=True
)
class VerifiedApiKey:
    key_id: strawberry.ID
    scopes: list[str]
    partner: Partner


if TYPE_CHECKING:
    from subgraphs.auth.users.types import User

"""The users sub-domain's GraphQL types and their mappers from storage rows."""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 - Strawberry reads annotations at runtime
from typing import TYPE_CHECKING, Any

import strawberry

from kcp.identity import CallerKind
from kcp.pagination import Connection
from subgraphs.auth.partners.types import Partner
from subgraphs.auth.users.roles import USERS_READ, Role, scopes_for

if TYPE_CHECKING:
    from subgraphs.auth.tables import UserRow

Info = strawberry.Info[Any, Any]  # the context is subgraphs.auth.context.AuthContext

# Registers the plain enum of roles.py as the GraphQL enum `Role` (values ADMIN, EDITOR, ...).
strawberry.enum(Role, name="Role", description="What a user does; it decides their scopes.")


@strawberry.federation.type(keys=["id"], description="A person who can log in.")
class User:
    id: strawberry.ID
    name: str
    role: Role
    scopes: list[str] = strawberry.field(description="What the role allows, e.g. 'content:write'.")
    created_at: datetime
    active: bool = strawberry.field(description="False once an admin has deactivated the account.")
    deactivated_at: datetime | None
    last_login_at: datetime | None
    partner_id: strawberry.Private[str | None]
    email_address: strawberry.Private[str]
    # The login and refresh answers show the caller their own e-mail before any token is sent.
    email_visible: strawberry.Private[bool] = False

    @strawberry.field(description="Personal data: visible to the user themself and with the 'users:read' scope.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    def email(self, info: Info) -> str:
        caller = info.context.identity.caller
        if self.email_visible or (caller.kind is CallerKind.USER and caller.subject == self.id):
            return self.email_address
        info.context.identity.require(USERS_READ)
        return self.email_address

    @strawberry.field(description="The partner organisation of a user with the PARTNER role.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def partner(self, info: Info) -> Partner | None:
        if self.partner_id is None:
            return None
        row = await info.context.partner_loader.load(self.partner_id)
        return None if row is None else Partner.from_model(row)

    @classmethod
    def from_model(cls, row: UserRow, *, email_visible: bool = False) -> User:
        role = Role(row.role)
        return cls(
            id=strawberry.ID(row.id),
            name=row.name,
            role=role,
            scopes=scopes_for(role),
            created_at=row.created_at,
            active=not row.disabled,
            deactivated_at=row.deactivated_at,
            last_login_at=row.last_login_at,
            partner_id=row.partner_id,
            email_address=row.email,
            email_visible=email_visible,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> User | None:  # noqa: A002 - federation key name
        row = await info.context.user_loader.load(str(id))
        return None if row is None else cls.from_model(row)


UserConnection = Connection[User]


@strawberry.input(description="A new account, created by an admin.")
class CreateUserInput:
    email: str
    name: str
    role: Role
    password: str = strawberry.field(description="12 to 1024 characters; stored only as an argon2 hash.")
    partner_id: strawberry.ID | None = strawberry.field(default=None, description="Required for the PARTNER role.")

"""The auth subgraph's schema: users (the `User` entity), sessions, partners and API keys,
signing keys and the audit log. Every mutation but the session ones checks scopes first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.federation.schema_directives import RequiresScopes

from kcp.errors import ForbiddenError, UnauthenticatedError
from kcp.identity import CallerKind
from kcp.pagination import Connection, Window, connection
from kcp.service import SubgraphSchema, subgraph_extensions
from subgraphs.auth.audit.kinds import AuditKind  # noqa: TC001 - Strawberry reads annotations at runtime
from subgraphs.auth.audit.repository import AuditFilter
from subgraphs.auth.audit.types import AuditEvent
from subgraphs.auth.partners.errors import PartnerNotFoundError
from subgraphs.auth.partners.types import ApiKey, CreatedApiKey, Partner, VerifiedApiKey
from subgraphs.auth.sessions.types import LoginResult
from subgraphs.auth.tokens.types import SigningKeyInfo
from subgraphs.auth.users.roles import API_KEY_SCOPES, PARTNER_KEYS, USERS_ADMIN, USERS_READ, Role
from subgraphs.auth.users.service import NewUser
from subgraphs.auth.users.types import CreateUserInput, User

if TYPE_CHECKING:
    from subgraphs.auth.sessions.service import Session

Info = strawberry.Info[Any, Any]  # the context is subgraphs.auth.context.AuthContext
First = Annotated[int, strawberry.argument(description="Page size, 1 to 100.")]
After = Annotated[str | None, strawberry.argument(description="The endCursor of the previous page.")]


def _login_result(session: Session) -> LoginResult:
    return LoginResult(
        access_token=session.access_token,
        token_type="Bearer",  # noqa: S106 - the token type, not a secret
        expires_in=session.expires_in,
        refresh_token=session.refresh_token,
        refresh_expires_in=session.refresh_expires_in,
        user=User.from_model(session.user, email_visible=True),
    )


# The nullable root fields are nullable on purpose: when one fails (bad input, a missing scope,
# this subgraph down), only that field is null, not every other root field of the response.
@strawberry.type
class Query:
    @strawberry.field(description="The caller, from the Authorization bearer token; null without one.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def me(self, info: Info) -> User | None:
        identity = info.context.identity
        if identity.problem is not None:
            raise identity.problem
        if identity.caller.kind is not CallerKind.USER or identity.caller.subject is None:
            return None
        row = await info.context.user_loader.load(identity.caller.subject)
        if row is None or row.disabled:
            raise UnauthenticatedError("The token's user no longer exists or is deactivated")
        return User.from_model(row)

    @strawberry.field(description="One user by id (needs the 'users:read' scope).")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def user(self, info: Info, id: strawberry.ID) -> User | None:  # noqa: A002 - GraphQL argument name
        info.context.identity.require(USERS_READ)
        row = await info.context.user_loader.load(str(id))
        return None if row is None else User.from_model(row)

    @strawberry.field(description="Users ordered by id (needs the 'users:read' scope).")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def users(
        self,
        info: Info,
        role: Role | None = None,
        active: Annotated[bool | None, strawberry.argument(description="Only active (or deactivated) users.")] = None,
        first: First = 50,
        after: After = None,
    ) -> Connection[User] | None:
        info.context.identity.require(USERS_READ)
        window = Window.of(first, after)
        rows, total = await info.context.users.page(role=role, active=active, window=window)
        return connection(rows, window, total, User.from_model)

    @strawberry.field(description="Partner organisations by name (needs 'users:admin').")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def partners(self, info: Info, first: First = 50, after: After = None) -> Connection[Partner] | None:
        info.context.identity.require(USERS_ADMIN)
        window = Window.of(first, after)
        rows, total = await info.context.partners.page(window)
        return connection(rows, window, total, Partner.from_model)

    @strawberry.field(description="One partner: for admins, and for the partner's own people.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def partner(self, info: Info, id: strawberry.ID) -> Partner | None:  # noqa: A002 - GraphQL argument name
        await info.context.require_partner_access(str(id))
        row = await info.context.partner_loader.load(str(id))
        if row is None:
            raise PartnerNotFoundError(str(id))
        return Partner.from_model(row)

    @strawberry.field(
        description="Auth events, newest first (needs 'users:admin').",
        # Declared for the router too, which then refuses it before planning; checked here as well.
        directives=[RequiresScopes(scopes=[[USERS_ADMIN]])],
    )  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def audit_log(  # noqa: PLR0913, PLR0917 - one parameter per GraphQL argument
        self,
        info: Info,
        kind: AuditKind | None = None,
        actor_id: strawberry.ID | None = None,
        target_id: strawberry.ID | None = None,
        first: First = 50,
        after: After = None,
    ) -> Connection[AuditEvent] | None:
        info.context.identity.require(USERS_ADMIN)
        window = Window.of(first, after)
        where = AuditFilter(
            kind=kind,
            actor_id=None if actor_id is None else str(actor_id),
            target_id=None if target_id is None else str(target_id),
        )
        rows, total = await info.context.audit.page(where, window)
        return connection(rows, window, total, AuditEvent.from_model)

    @strawberry.field(description="The keys in the JWKS, the signing one first (needs 'users:admin').")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    def signing_keys(self, info: Info) -> list[SigningKeyInfo] | None:
        info.context.identity.require(USERS_ADMIN)
        keys = info.context.keys.keys
        return [SigningKeyInfo.from_model(key, signing=index == 0) for index, key in enumerate(keys)]

    # @inaccessible: the router asks auth for it directly, so it stays out of the API schema
    # clients see, while the subgraph still refuses any caller that is not a signed service.
    @strawberry.federation.field(
        description=(
            "For KCP services only (the router, with signed identity headers): the partner and scopes "
            "of an API key, or null when the key is unknown, malformed or revoked. Records its last use."
        ),
        inaccessible=True,
    )  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def verify_api_key(self, info: Info, key: str) -> VerifiedApiKey | None:
        identity = info.context.identity
        if identity.problem is not None:
            raise identity.problem
        if identity.caller.kind is not CallerKind.SERVICE:
            raise ForbiddenError("verifyApiKey answers KCP services only (signed identity headers)")
        verified = await info.context.partners.verify(key)
        if verified is None:
            return None
        return VerifiedApiKey(
            key_id=strawberry.ID(verified.row.id),
            # A key created when it could carry more keeps only what keys may carry today.
            scopes=sorted(set(verified.row.scopes) & API_KEY_SCOPES),
            partner=Partner.from_model(verified.partner),
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description=(
            "E-mail and password for an access token and a refresh token. Repeated failures are "
            "throttled (RATE_LIMITED, extensions.retryAfterSeconds)."
        )
    )  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def login(self, info: Info, email: str, password: str) -> LoginResult:
        return _login_result(await info.context.sessions.login(email, password, info.context.client_address))

    @strawberry.mutation(
        description=(
            "A refresh token for a new pair; the old refresh token stops working. Reusing one ends the whole login."
        )
    )  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def refresh(self, info: Info, refresh_token: str) -> LoginResult:
        return _login_result(await info.context.sessions.refresh(refresh_token, info.context.client_address))

    @strawberry.mutation(
        description=(
            "End the login a refresh token belongs to; false when it had ended already. Access tokens "
            "already issued live until they expire."
        )
    )  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def logout(self, info: Info, refresh_token: str) -> bool:
        return bool(await info.context.sessions.logout(refresh_token, info.context.client_address))

    @strawberry.mutation(description=("Create an account (needs 'users:admin')."))  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def create_user(self, info: Info, input: CreateUserInput) -> User:  # noqa: A002 - GraphQL argument name
        caller = info.context.identity.require(USERS_ADMIN)
        new = NewUser(
            email=input.email,
            name=input.name,
            role=input.role,
            password=input.password,
            partner_id=None if input.partner_id is None else str(input.partner_id),
        )
        return User.from_model(await info.context.users.create(new, actor_id=caller.subject))

    @strawberry.mutation(
        description=(
            "Change a user's role (needs 'users:admin'); partnerId is required for PARTNER. New scopes "
            "apply from the next login or refresh."
        )
    )  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def change_user_role(
        self, info: Info, user_id: strawberry.ID, role: Role, partner_id: strawberry.ID | None = None
    ) -> User:
        caller = info.context.identity.require(USERS_ADMIN)
        partner = None if partner_id is None else str(partner_id)
        row = await info.context.users.change_role(str(user_id), role, partner, actor_id=caller.subject)
        return User.from_model(row)

    @strawberry.mutation(description=("Deactivate an account and end its logins (needs 'users:admin')."))  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def deactivate_user(self, info: Info, user_id: strawberry.ID) -> User:
        caller = info.context.identity.require(USERS_ADMIN)
        return User.from_model(await info.context.users.set_active(str(user_id), active=False, actor_id=caller.subject))

    @strawberry.mutation(description=("Let a deactivated account log in again (needs 'users:admin')."))  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def reactivate_user(self, info: Info, user_id: strawberry.ID) -> User:
        caller = info.context.identity.require(USERS_ADMIN)
        return User.from_model(await info.context.users.set_active(str(user_id), active=True, actor_id=caller.subject))

    @strawberry.mutation(
        description="Revoke every refresh token of a user; how many logins ended (needs 'users:admin')."
    )  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def end_user_sessions(self, info: Info, user_id: strawberry.ID) -> int:
        caller = info.context.identity.require(USERS_ADMIN)
        return int(await info.context.users.end_sessions(str(user_id), actor_id=caller.subject))

    @strawberry.mutation(description=("Register a partner organisation (needs 'users:admin')."))  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def create_partner(self, info: Info, name: str) -> Partner:
        caller = info.context.identity.require(USERS_ADMIN)
        return Partner.from_model(await info.context.partners.create(name, actor_id=caller.subject))

    @strawberry.mutation(
        description=(
            "A new API key for a partner: the key is in this answer only (admins, and the partner's "
            "people with 'partner:keys')."
        )
    )  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def create_api_key(
        self, info: Info, partner_id: strawberry.ID, name: str, scopes: list[str]
    ) -> CreatedApiKey:
        caller = info.context.identity.require_any(USERS_ADMIN, PARTNER_KEYS)
        created = await info.context.partners.create_key(str(partner_id), name, scopes, caller)
        return CreatedApiKey(api_key=ApiKey.from_model(created.row), key=created.key)

    @strawberry.mutation(
        description="Revoke an API key at once (admins, and the partner's people with 'partner:keys')."
    )  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def revoke_api_key(self, info: Info, id: strawberry.ID) -> ApiKey:  # noqa: A002 - GraphQL argument name
        caller = info.context.identity.require_any(USERS_ADMIN, PARTNER_KEYS)
        return ApiKey.from_model(await info.context.partners.revoke_key(str(id), caller))

    @strawberry.mutation(
        description="Create a new signing key; it signs from now on, older keys still verify (needs 'users:admin')."
    )  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def rotate_signing_key(self, info: Info) -> SigningKeyInfo:
        caller = info.context.identity.require(USERS_ADMIN)
        key = await info.context.signing_keys.rotate(actor_id=caller.subject)
        return SigningKeyInfo.from_model(key, signing=True)

    @strawberry.mutation(
        description="Stop publishing an older signing key: tokens it signed stop verifying (needs 'users:admin')."
    )  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def retire_signing_key(self, info: Info, kid: str) -> SigningKeyInfo:
        caller = info.context.identity.require(USERS_ADMIN)
        key = await info.context.signing_keys.retire(kid, actor_id=caller.subject)
        return SigningKeyInfo.from_model(key, signing=False)


schema = SubgraphSchema(query=Query, mutation=Mutation, types=[User], extensions=subgraph_extensions())

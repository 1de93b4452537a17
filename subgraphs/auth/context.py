"""What every auth resolver gets: the caller's identity and address, services, per-request DataLoaders."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kcp.errors import ForbiddenError
from subgraphs.auth.partners.loaders import api_keys_loader, partner_loader
from subgraphs.auth.users.loaders import partner_members_loader, user_loader
from subgraphs.auth.users.roles import PARTNER_KEYS, USERS_ADMIN

if TYPE_CHECKING:
    from starlette.requests import Request
    from strawberry.dataloader import DataLoader

    from kcp.identity import Identity, IdentityResolver
    from kcp.stores.relational import RelationalStore
    from subgraphs.auth.audit.service import AuditService
    from subgraphs.auth.partners.service import PartnerService
    from subgraphs.auth.sessions.service import SessionService
    from subgraphs.auth.tables import ApiKeyRow, PartnerRow, UserRow
    from subgraphs.auth.tokens.admin import SigningKeyService
    from subgraphs.auth.tokens.keys import KeyRing
    from subgraphs.auth.users.service import UserService
    from subgraphs.auth.users.types import User


def client_address(request: Request) -> str | None:
    """The client's address, for the audit log and per-address login throttling.

    A remote peer is the client. A peer on this machine is a proxy (the router): the client is the
    last hop it appended to ``X-Forwarded-For``, and unknown (None) when it sent none. Unknown must
    not become the proxy's own address, or every client behind it would share one throttle and a
    few dozen bad passwords from anyone would lock everybody out.
    """
    peer = None if request.client is None else request.client.host
    if peer is None:
        return None
    try:
        local = ipaddress.ip_address(peer).is_loopback
    except ValueError:
        local = False
    if not local:
        return peer
    hop = (request.headers.get("x-forwarded-for") or "").split(",")[-1].strip()
    return hop[:64] or None


@dataclass
class AuthContext:
    identity: Identity
    client_address: str | None
    sessions: SessionService
    users: UserService
    partners: PartnerService
    audit: AuditService
    keys: KeyRing
    signing_keys: SigningKeyService
    user_loader: DataLoader[str, UserRow | None]
    partner_loader: DataLoader[str, PartnerRow | None]
    api_keys_loader: DataLoader[str, list[ApiKeyRow]]
    partner_members_loader: DataLoader[str, list[User]]

    async def require_partner_access(self, partner_id: str) -> None:
        """Admins see every partner's keys; a partner's people (partner:keys) their own only."""
        caller = self.identity.require_any(USERS_ADMIN, PARTNER_KEYS)
        if caller.has(USERS_ADMIN):
            return
        user = None if caller.subject is None else await self.user_loader.load(caller.subject)
        if user is None or user.partner_id != partner_id:
            raise ForbiddenError("Only an admin or the partner's own people may see its API keys")


@dataclass(frozen=True)
class AuthContextFactory:
    resolver: IdentityResolver
    store: RelationalStore
    sessions: SessionService
    users: UserService
    partners: PartnerService
    audit: AuditService
    keys: KeyRing
    signing_keys: SigningKeyService

    async def __call__(self, request: Request) -> AuthContext:
        return AuthContext(
            identity=await self.resolver(request.headers),
            client_address=client_address(request),
            sessions=self.sessions,
            users=self.users,
            partners=self.partners,
            audit=self.audit,
            keys=self.keys,
            signing_keys=self.signing_keys,
            user_loader=user_loader(self.store),
            partner_loader=partner_loader(self.store),
            api_keys_loader=api_keys_loader(self.store),
            partner_members_loader=partner_members_loader(self.store),
        )

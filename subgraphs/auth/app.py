"""The auth subgraph's ASGI app (``uvicorn --factory subgraphs.auth.app:create_app``)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from kcp.identity import IdentityResolver
from kcp.service import SubgraphService, create_subgraph_app
from kcp.settings import Settings, get_settings
from subgraphs.auth.audit.service import AuditService
from subgraphs.auth.clock import utc_now
from subgraphs.auth.context import AuthContextFactory
from subgraphs.auth.partners.service import PartnerService
from subgraphs.auth.schema import schema
from subgraphs.auth.sessions.service import SessionService
from subgraphs.auth.stores import SERVICE, AuthStores
from subgraphs.auth.tokens.admin import SigningKeyService
from subgraphs.auth.tokens.jwks import jwks_route
from subgraphs.auth.tokens.keys import KeyRing
from subgraphs.auth.tokens.service import TokenIssuer
from subgraphs.auth.users.passwords import PasswordService
from subgraphs.auth.users.service import UserService

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from subgraphs.auth.clock import Clock
    from subgraphs.auth.sessions.throttle import ThrottlePolicy


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock = utc_now,
    throttle: ThrottlePolicy | None = None,
    passwords: PasswordService | None = None,
) -> Starlette:
    """The app; tests pass a clock they move, and cheaper argon2 parameters to stay fast."""
    settings = settings or get_settings()
    stores = AuthStores.open(settings)
    managed = settings.kcp_signing_keys_dir
    keys = KeyRing.managed(managed) if managed else KeyRing(settings.service_data_dir(SERVICE))
    passwords = passwords or PasswordService()
    store = stores.relational

    async def load_keys() -> None:
        await asyncio.to_thread(keys.load)

    service = SubgraphService(
        name=SERVICE,
        schema=schema,
        context_factory=AuthContextFactory(
            # Auth verifies its own tokens with the same verifier as every service, keyed by its ring.
            resolver=IdentityResolver(settings, keys=keys),
            store=store,
            sessions=SessionService(store, passwords, TokenIssuer(settings, keys), clock, throttle),
            users=UserService(store, passwords, clock),
            partners=PartnerService(store, clock),
            audit=AuditService(store),
            keys=keys,
            signing_keys=SigningKeyService(keys, store, clock),
        ),
        readiness={"relational": store.ping},
        startup=[stores.ensure_schema, load_keys, passwords.warm_up],
        shutdown=[stores.close],
    )
    app = create_subgraph_app(service, settings)
    app.router.routes.append(jwks_route(keys))
    app.state.stores = stores
    return app

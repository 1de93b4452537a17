"""Everything the router decides about a request before planning it, built once from settings.

The HTTP stage asks, in this order: may a browser have forged it (CSRF)? who is calling
(identity)? have they called too often (rate limit)? which document do they mean (persisted
documents)? Then the pipeline asks, per operation: may they introspect? what will it cost? which
fields may they see (authorization)? and can the answer come from, or go to, the response cache?
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kcp.edge.shape import OperationLimits
from kcp.identity.api_keys import AuthServiceApiKeys
from kcp.identity.caller import Caller, CallerKind
from kcp.identity.tokens import AccessTokenVerifier, JwksKeySource, jwks_url
from router.errors import RouterError
from router.persisted.apq import KeyValueApqStore
from router.persisted.manifest import load_manifests
from router.persisted.resolve import FreeformMode, PersistedDocuments
from router.policy.cost import cost_error
from router.policy.identity import CachedApiKeys, IdentityStage
from router.policy.ratelimit import RateLimiter, rate_limit_storage
from router.response_cache import ResponseCache

if TYPE_CHECKING:
    from pathlib import Path

    from kcp.settings import Settings
    from kcp.stores.keyvalue import KeyValueStore
    from router.shared_state import SharedStateHealth


@dataclass(frozen=True)
class Edge:
    identity: IdentityStage
    rate_limiter: RateLimiter
    persisted: PersistedDocuments
    cache: ResponseCache
    limits: OperationLimits
    csrf_prevention: bool
    production: bool
    cost_budget: int
    partner_cost_budget: int
    cache_ttl: int

    def introspection_allowed(self, caller: Caller) -> bool:
        # Partners run persisted documents only; they have no use for the schema, nor we for them seeing it.
        return not self.production and caller.kind is not CallerKind.PARTNER

    def check_cost(self, caller: Caller, cost: int) -> None:
        budget = self.partner_cost_budget if caller.kind is CallerKind.PARTNER else self.cost_budget
        if cost > budget:
            raise RouterError([cost_error(cost, budget)])


INTROSPECTION_DISABLED = "introspection is disabled for this client"


def build_edge(
    settings: Settings, store: KeyValueStore, persisted_dir: Path, health: SharedStateHealth | None = None
) -> Edge:
    secret = None if settings.kcp_identity_secret is None else settings.kcp_identity_secret.get_secret_value()
    tokens = AccessTokenVerifier(
        JwksKeySource(jwks_url(settings.auth_service_url)),
        issuer=settings.kcp_jwt_issuer,
        audience=settings.kcp_jwt_audience,
    )
    # Checking a key needs a signed call to auth: without a shared secret there are no partner keys.
    api_keys = None if secret is None else CachedApiKeys(AuthServiceApiKeys(settings))
    return Edge(
        identity=IdentityStage(tokens, api_keys, secret),
        rate_limiter=RateLimiter(rate_limit_storage(settings), settings.rate_limit_per_minute, health=health),
        persisted=PersistedDocuments(
            load_manifests(persisted_dir),
            KeyValueApqStore(store),
            freeform=FreeformMode(settings.kcp_persisted_freeform),
        ),
        cache=ResponseCache(store, settings.cache_ttl),
        limits=OperationLimits(
            max_depth=settings.kcp_max_depth,
            max_aliases=settings.kcp_max_aliases,
            max_root_fields=settings.kcp_max_root_fields,
        ),
        csrf_prevention=settings.kcp_csrf_prevention,
        production=settings.kcp_production,
        cost_budget=settings.kcp_cost_budget,
        partner_cost_budget=settings.kcp_partner_cost_budget,
        cache_ttl=settings.cache_ttl,
    )

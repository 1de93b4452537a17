"""One request's ``Identity``, the way every subgraph establishes it.

1. With ``KCP_IDENTITY_SECRET`` set, the router's signed identity headers, when present, are the
   identity; unsigned or tampered ones are refused.
2. Otherwise a ``Bearer`` access token is verified against the auth service's JWKS.
3. Otherwise the caller is anonymous.
Identity headers are ignored when no secret is configured: without one they prove nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcp.errors import UnauthenticatedError
from kcp.identity.caller import Identity
from kcp.identity.signed_headers import IDENTITY_HEADER, SIGNATURE_HEADER, caller_from_headers
from kcp.identity.tokens import AccessTokenVerifier, JwksKeySource, KeySource, bearer_token, jwks_url

if TYPE_CHECKING:
    from collections.abc import Mapping

    from kcp.settings import Settings


class IdentityResolver:
    """Build one per process (it caches the JWKS); call it with each request's headers."""

    def __init__(self, settings: Settings, *, keys: KeySource | None = None) -> None:
        secret = settings.kcp_identity_secret
        self._secret = None if secret is None else secret.get_secret_value()
        self._verifier = AccessTokenVerifier(
            keys or JwksKeySource(jwks_url(settings.auth_service_url)),
            issuer=settings.kcp_jwt_issuer,
            audience=settings.kcp_jwt_audience,
        )

    async def __call__(self, headers: Mapping[str, str]) -> Identity:
        try:
            if self._secret is not None and (IDENTITY_HEADER in headers or SIGNATURE_HEADER in headers):
                return Identity(caller=caller_from_headers(headers, self._secret))
            token = bearer_token(headers.get("authorization"))
            if token is None:
                return Identity()
            return Identity(caller=await self._verifier.verify(token))
        except UnauthenticatedError as problem:
            return Identity(problem=problem)

"""Verification of the auth subgraph's access tokens (EdDSA JWTs) against its JWKS.

The algorithm is pinned to EdDSA and keys are looked up by ``kid``, so ``alg: none`` and
algorithm-confusion tokens (HS256 signed with the public key) are refused. An unknown ``kid``
refetches the key set — that is how a key rotation reaches verifiers without a restart — but at
most once per ``REFRESH_INTERVAL_SECONDS``, so forged kids cannot make us hammer the auth service.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any, Protocol

import httpx
import jwt
import structlog

from kcp.errors import UnauthenticatedError
from kcp.identity.caller import Caller, CallerKind

if TYPE_CHECKING:
    from collections.abc import Mapping

log = structlog.get_logger()

ALGORITHM = "EdDSA"
# Clock skew tolerated between the auth service and a verifier.
LEEWAY_SECONDS = 30
REQUIRED_CLAIMS = ["sub", "role", "scopes", "iss", "aud", "iat", "exp"]
REFRESH_INTERVAL_SECONDS = 10.0
JWKS_PATH = "/.well-known/jwks.json"


class KeySource(Protocol):
    """Public verification keys by ``kid``."""

    async def key(self, kid: str) -> Any | None: ...


def jwks_url(auth_service_url: str) -> str:
    """The auth service's JWKS address, next to its ``/graphql`` endpoint."""
    base = auth_service_url.removesuffix("/").removesuffix("/graphql")
    return base + JWKS_PATH


def keys_from_jwks(document: Mapping[str, Any]) -> dict[str, Any]:
    """The Ed25519 keys of a JWKS document by kid; other key types are ignored."""
    keys: dict[str, Any] = {}
    for jwk in document.get("keys", []):
        if isinstance(jwk, dict) and jwk.get("kty") == "OKP" and isinstance(jwk.get("kid"), str):
            keys[jwk["kid"]] = jwt.PyJWK(jwk, algorithm=ALGORITHM).key
    return keys


class StaticKeySource:
    """Keys known in-process (the auth subgraph verifies with its own key, tests with theirs)."""

    def __init__(self, keys: Mapping[str, Any]) -> None:
        self._keys = dict(keys)

    async def key(self, kid: str) -> Any | None:
        return self._keys.get(kid)


class JwksKeySource:
    """Keys fetched from a JWKS URL, cached, refetched on an unknown kid (rate-limited)."""

    def __init__(self, url: str, *, client: httpx.AsyncClient | None = None) -> None:
        self._url = url
        self._client = client
        self._keys: dict[str, Any] = {}
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()

    async def key(self, kid: str) -> Any | None:
        if kid in self._keys:
            return self._keys[kid]
        async with self._lock:
            if kid not in self._keys and time.monotonic() - self._fetched_at >= REFRESH_INTERVAL_SECONDS:
                await self._refresh()
        return self._keys.get(kid)

    async def _refresh(self) -> None:
        self._fetched_at = time.monotonic()
        try:
            if self._client is None:
                async with httpx.AsyncClient(timeout=5.0) as client:
                    response = await client.get(self._url)
            else:
                response = await self._client.get(self._url, timeout=5.0)
            response.raise_for_status()
            self._keys = keys_from_jwks(response.json())
        except (httpx.HTTPError, ValueError) as error:
            # Keep the keys we had: a brief auth outage must not log everybody out.
            log.warning("identity.jwks_unavailable", url=self._url, error=type(error).__name__)


class AccessTokenVerifier:
    """Turns an access token into a ``Caller`` or raises ``UnauthenticatedError``."""

    def __init__(self, keys: KeySource, *, issuer: str, audience: str) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience

    async def verify(self, token: str) -> Caller:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise UnauthenticatedError("Invalid access token") from error
        kid = header.get("kid")
        if header.get("alg") != ALGORITHM or not isinstance(kid, str):
            raise UnauthenticatedError("Invalid access token")
        key = await self._keys.key(kid)
        if key is None:
            raise UnauthenticatedError("Access token was not signed by a known key")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError as error:
            raise UnauthenticatedError("Access token has expired; log in again") from error
        except jwt.PyJWTError as error:
            raise UnauthenticatedError("Invalid access token") from error
        return caller_from_claims(claims)


def caller_from_claims(claims: Mapping[str, Any]) -> Caller:
    subject, role, scopes = claims.get("sub"), claims.get("role"), claims.get("scopes")
    if (
        not isinstance(subject, str)
        or not isinstance(role, str)
        or not isinstance(scopes, list)
        or not all(isinstance(scope, str) for scope in scopes)
    ):
        raise UnauthenticatedError("Invalid access token")
    return Caller(kind=CallerKind.USER, subject=subject, role=role, scopes=frozenset(scopes))


def bearer_token(authorization: str | None) -> str | None:
    """The token of ``Authorization: Bearer <token>``; None without the header.

    A header in another scheme or without a token is an invalid credential, not a missing one.
    """
    if authorization is None or not authorization.strip():
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise UnauthenticatedError("Authorization header must be 'Bearer <access token>'")
    return token.strip()

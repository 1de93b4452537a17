"""Issues and verifies access tokens (EdDSA JWTs) and publishes the verification key."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jwt

from kcp.errors import UnauthenticatedError
from subgraphs.auth.tokens.keys import ALGORITHM, SigningKey, load_or_create_signing_key
from subgraphs.auth.users.roles import Role

if TYPE_CHECKING:
    from pathlib import Path

    from kcp.settings import Settings

# Clock skew tolerated between the auth service and whoever verifies its tokens.
LEEWAY_SECONDS = 30
REQUIRED_CLAIMS = ["sub", "role", "scopes", "iss", "aud", "iat", "exp"]


@dataclass(frozen=True)
class AccessClaims:
    """The verified content of an access token."""

    subject: str
    role: Role
    scopes: tuple[str, ...]
    expires_at: int


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_in: int


class TokenService:
    """Signs tokens with the service's key; verification pins the algorithm to EdDSA."""

    def __init__(self, settings: Settings, key_directory: Path) -> None:
        self._issuer = settings.kcp_jwt_issuer
        self._audience = settings.kcp_jwt_audience
        self._ttl = settings.kcp_jwt_ttl_seconds
        self._key_directory = key_directory
        self._key: SigningKey | None = None

    async def start(self) -> None:
        """Load the signing key, creating it on the very first start."""
        self._key = await asyncio.to_thread(load_or_create_signing_key, self._key_directory)

    @property
    def key(self) -> SigningKey:
        if self._key is None:
            msg = "TokenService.start() has not run; the app's start-up hooks load the signing key"
            raise RuntimeError(msg)
        return self._key

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        """The JSON Web Key Set that verifiers (the router) fetch."""
        return {"keys": [self.key.public_jwk]}

    def issue(self, *, subject: str, role: Role, scopes: list[str]) -> IssuedToken:
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": subject,
            "role": str(role),
            "scopes": scopes,
            "iss": self._issuer,
            "aud": self._audience,
            "iat": now,
            "exp": now + self._ttl,
            "jti": uuid.uuid4().hex,
        }
        token = jwt.encode(claims, self.key.private_key, algorithm=ALGORITHM, headers={"kid": self.key.kid})
        return IssuedToken(token=token, expires_in=self._ttl)

    def verify(self, token: str) -> AccessClaims:
        """The token's claims, or ``UnauthenticatedError`` saying what is wrong in general terms."""
        try:
            header = jwt.get_unverified_header(token)
            if header.get("kid") != self.key.kid:
                raise UnauthenticatedError("Access token was not signed by a known key")
            claims = jwt.decode(
                token,
                self.key.public_key,
                algorithms=[ALGORITHM],  # pinned: `none`, HS256 and anything else are rejected
                audience=self._audience,
                issuer=self._issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError as error:
            raise UnauthenticatedError("Access token has expired; log in again") from error
        except jwt.PyJWTError as error:
            raise UnauthenticatedError("Invalid access token") from error
        subject, role, scopes = claims.get("sub"), claims.get("role"), claims.get("scopes")
        if (
            not isinstance(subject, str)
            or role not in {str(r) for r in Role}
            or not isinstance(scopes, list)
            or not all(isinstance(scope, str) for scope in scopes)
        ):
            raise UnauthenticatedError("Invalid access token")
        return AccessClaims(subject=subject, role=Role(role), scopes=tuple(scopes), expires_at=int(claims["exp"]))


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header; None when there is no header.

    A header in another scheme or without a token is an invalid credential, not a missing one.
    """
    if authorization is None or not authorization.strip():
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise UnauthenticatedError("Authorization header must be 'Bearer <access token>'")
    return token.strip()

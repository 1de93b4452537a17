"""Issues access tokens (EdDSA JWTs) with the key ring's newest key.

Verification is not here: every service, auth included, verifies with ``kcp.identity`` (auth
hands it the key ring as its key source instead of fetching its own JWKS over HTTP).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jwt

from subgraphs.auth.tokens.keys import ALGORITHM

if TYPE_CHECKING:
    from kcp.settings import Settings
    from subgraphs.auth.tokens.keys import KeyRing
    from subgraphs.auth.users.roles import Role


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_in: int


class TokenIssuer:
    def __init__(self, settings: Settings, keys: KeyRing) -> None:
        self._issuer = settings.kcp_jwt_issuer
        self._audience = settings.kcp_jwt_audience
        self._ttl = settings.kcp_jwt_ttl_seconds
        self._keys = keys

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
        key = self._keys.signing
        token = jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": key.kid})
        return IssuedToken(token=token, expires_in=self._ttl)

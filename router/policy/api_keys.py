"""Partner API keys, checked by the auth service's ``verifyApiKey`` (as a signed service caller).

The router never sees key hashes: auth owns them, records each key's last use, and answers with
the partner and the key's scopes, or null for an unknown or revoked key. ``CachedApiKeys``
(router/policy/identity.py) keeps answers for 30 s, so a burst costs one call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kcp.errors import UnauthenticatedError
from kcp.identity.caller import Caller, CallerKind
from kcp.identity.signed_headers import identity_headers
from router.executor import FetchFailure, post_graphql
from router.policy.identity import ApiKeyCheckError

if TYPE_CHECKING:
    from router.subgraph_client import SubgraphClient

VERIFY = "query VerifyApiKey($key: String!) { verifyApiKey(key: $key) { keyId scopes partner { id name } } }"
ROUTER = Caller(kind=CallerKind.SERVICE, subject="router")


class AuthServiceApiKeys:
    def __init__(self, client: SubgraphClient, auth_url: str, secret: str, *, timeout_seconds: float) -> None:
        self._client = client
        self._url = auth_url
        self._secret = secret
        self._timeout = timeout_seconds

    async def check(self, api_key: str) -> Caller:
        answer = await post_graphql(
            self._client,
            self._url,
            {"query": VERIFY, "variables": {"key": api_key}},
            timeout_seconds=self._timeout,
            headers=identity_headers(ROUTER, self._secret),
        )
        if isinstance(answer, FetchFailure):
            msg = f"API keys cannot be checked right now (auth service: {answer.reason})"
            raise ApiKeyCheckError(msg)
        verified: Any = (answer.get("data") or {}).get("verifyApiKey")
        if answer.get("errors") or not isinstance(verified, dict):
            raise UnauthenticatedError("Unknown or revoked API key")
        scopes = [scope for scope in verified.get("scopes", []) if isinstance(scope, str)]
        partner = verified.get("partner") or {}
        return Caller(kind=CallerKind.PARTNER, subject=str(partner.get("id")), role="partner", scopes=frozenset(scopes))

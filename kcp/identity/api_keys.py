"""Partner API keys checked by the auth service, for the router's identity stage.

``AuthServiceApiKeys`` implements ``router.policy.identity.ApiKeyChecker``: it asks the auth
subgraph's ``verifyApiKey`` query, which answers only callers proven by signed identity headers of
kind ``service`` (so it needs ``KCP_IDENTITY_SECRET``), and turns the answer into a partner
``Caller`` whose scopes are the key's own. Wrap it in ``CachedApiKeys`` so a key in steady use
costs one call per cache period; revocation then takes effect within that period.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
import structlog

from kcp.edge.signature import signed_json
from kcp.errors import UnauthenticatedError
from kcp.identity.caller import Caller, CallerKind
from kcp.identity.signed_headers import identity_headers

if TYPE_CHECKING:
    from kcp.settings import Settings

log = structlog.get_logger()

VERIFY_QUERY = "query VerifyApiKey($key: String!) { verifyApiKey(key: $key) { keyId scopes partner { id } } }"
CHECKER_SUBJECT = "router"


class ApiKeyCheckError(UnauthenticatedError):
    """The key could not be checked at all (auth down or refusing us): refused now, never cached."""


class AuthServiceApiKeys:
    def __init__(self, settings: Settings, *, client: httpx.AsyncClient | None = None) -> None:
        secret = settings.kcp_identity_secret
        self._secret = None if secret is None else secret.get_secret_value()
        self._url = settings.auth_service_url
        self._client = client
        self._timeout = settings.kcp_subgraph_timeout_seconds

    async def check(self, api_key: str) -> Caller:
        """The key's partner as a caller; ``UnauthenticatedError`` for a bad key or when it cannot be checked."""
        if self._secret is None:
            raise ApiKeyCheckError("API keys cannot be checked: KCP_IDENTITY_SECRET is not set")
        headers = identity_headers(Caller(kind=CallerKind.SERVICE, subject=CHECKER_SUBJECT), self._secret)
        body, signed = signed_json(self._url, {"query": VERIFY_QUERY, "variables": {"key": api_key}}, self._secret)
        headers.update(signed)
        try:
            if self._client is None:
                async with httpx.AsyncClient(timeout=self._timeout) as client:
                    response = await client.post(self._url, content=body, headers=headers)
            else:
                response = await self._client.post(self._url, content=body, headers=headers, timeout=self._timeout)
            response.raise_for_status()
            payload: Any = response.json()
        except (httpx.HTTPError, ValueError) as error:
            log.warning("identity.api_key_check_failed", error=type(error).__name__)
            raise ApiKeyCheckError("API key could not be checked now; try again shortly") from error
        if not isinstance(payload, dict) or payload.get("errors"):
            # Auth refused us (a wrong secret, say) or failed: a configuration or outage problem,
            # not a verdict on the key.
            log.warning("identity.api_key_check_refused")
            raise ApiKeyCheckError("API key could not be checked now; try again shortly")
        verified = (payload.get("data") or {}).get("verifyApiKey")
        if not isinstance(verified, dict):
            raise UnauthenticatedError("Invalid or revoked API key")
        return Caller(
            kind=CallerKind.PARTNER,
            subject=str(verified["partner"]["id"]),
            role="partner",
            scopes=frozenset(str(scope) for scope in verified["scopes"]),
        )

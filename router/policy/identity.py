"""The router's identity stage: who is calling, proven once here and passed on signed.

An access token is verified against the auth service's JWKS (``kcp.identity``: EdDSA pinned,
issuer, audience and expiry checked, keys refetched on rotation). A partner's API key is checked
by ``ApiKeyChecker`` (the auth service) and the answer cached briefly. An invalid credential
refuses the whole request with 401: the client should know its token is bad rather than silently
get anonymous answers. Subgraphs then receive the caller in headers signed with
``KCP_IDENTITY_SECRET``; client-sent identity headers are never passed on.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Protocol

from kcp.errors import ErrorCode, UnauthenticatedError
from kcp.identity.api_keys import ApiKeyCheckError
from kcp.identity.caller import ANONYMOUS, Caller
from kcp.identity.signed_headers import IDENTITY_HEADER, SIGNATURE_HEADER, identity_headers
from kcp.identity.tokens import AccessTokenVerifier, bearer_token
from router.errors import RouterError
from router.lru import LruCache

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

API_KEY_HEADER = "x-api-key"
# Headers only the router may set for subgraphs; a client's own are dropped.
ROUTER_SET_HEADERS = frozenset({IDENTITY_HEADER, SIGNATURE_HEADER, "x-forwarded-for"})
API_KEY_CACHE_SECONDS = 30.0
API_KEY_CACHE_SIZE = 10_000
# Guessing keys: after this many refused API keys from one client address within the window, that
# address's API-key requests are refused (429) without asking auth until the window moves on.
# A partner that mistypes its key is far below it; a guesser gets ten tries a minute.
API_KEY_FAILURES_ALLOWED = 10
API_KEY_FAILURE_WINDOW_SECONDS = 60.0


class ApiKeyChecker(Protocol):
    """Turns a partner API key into its caller; raises ``UnauthenticatedError`` for a bad key."""

    async def check(self, api_key: str) -> Caller: ...


class CachedApiKeys:
    """Remembers answers for a short while: a revoked key stops working within the TTL."""

    def __init__(self, checker: ApiKeyChecker, ttl_seconds: float = API_KEY_CACHE_SECONDS) -> None:
        self._checker = checker
        self._ttl = ttl_seconds
        self._answers: LruCache[str, tuple[float, Caller | UnauthenticatedError]] = LruCache(API_KEY_CACHE_SIZE)

    async def check(self, api_key: str) -> Caller:
        now = time.monotonic()
        cached = self._answers.get(api_key, lambda: (float("-inf"), ANONYMOUS))
        if now - cached[0] >= self._ttl:
            try:
                answer: Caller | UnauthenticatedError = await self._checker.check(api_key)
            except ApiKeyCheckError:
                raise
            except UnauthenticatedError as error:
                answer = error
            cached = (now, answer)
            self._answers.put(api_key, cached)
        if isinstance(cached[1], UnauthenticatedError):
            raise cached[1]
        return cached[1]


class KeyGuessThrottle:
    """Refused API keys per client address in a moving window, in this replica's memory.

    Per replica on purpose: it must hold when Redis is down, and a guesser spread over replicas
    still gets only ``allowed`` tries a minute from each.
    """

    def __init__(
        self,
        allowed: int = API_KEY_FAILURES_ALLOWED,
        window_seconds: float = API_KEY_FAILURE_WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._allowed = allowed
        self._window = window_seconds
        self._clock = clock
        self._failures: LruCache[str, list[float]] = LruCache(API_KEY_CACHE_SIZE)

    def _recent(self, address: str) -> list[float]:
        cutoff = self._clock() - self._window
        recent = [at for at in self._failures.get(address, list) if at > cutoff]
        self._failures.put(address, recent)
        return recent

    def check(self, address: str) -> None:
        """Refuse (429) an address that has used up its refused keys for the window."""
        recent = self._recent(address)
        if len(recent) >= self._allowed:
            retry_after = max(1, math.ceil(recent[0] + self._window - self._clock()))
            raise RouterError.of(
                f"too many invalid API keys from this address; retry in {retry_after} s",
                ErrorCode.RATE_LIMITED,
                headers={"retry-after": str(retry_after)},
                limit="invalidApiKeysPerMinute",
                maximum=self._allowed,
                retryAfterSeconds=retry_after,
            )

    def failed(self, address: str) -> None:
        self._failures.put(address, [*self._recent(address), self._clock()])


class IdentityStage:
    def __init__(
        self,
        tokens: AccessTokenVerifier,
        api_keys: ApiKeyChecker | None,
        secret: str | None,
        key_guesses: KeyGuessThrottle | None = None,
    ) -> None:
        self._tokens = tokens
        self._api_keys = api_keys
        self._secret = secret
        self._key_guesses = key_guesses or KeyGuessThrottle()

    async def caller(self, headers: Mapping[str, str], client_address: str | None = None) -> Caller:
        """The proven caller; 401 ``UNAUTHENTICATED`` for a credential that does not hold, 429 for
        an address that keeps sending API keys that do not."""
        try:
            return await self._prove(headers, client_address or "unknown")
        except UnauthenticatedError as error:
            refused = RouterError.of(
                str(error), ErrorCode.UNAUTHENTICATED, headers={"www-authenticate": 'Bearer error="invalid_token"'}
            )
            raise refused from error

    async def _prove(self, headers: Mapping[str, str], client_address: str) -> Caller:
        api_key = headers.get(API_KEY_HEADER, "").strip()
        if api_key:
            if self._api_keys is None:
                raise UnauthenticatedError("API keys are not accepted by this router")
            self._key_guesses.check(client_address)
            try:
                return await self._api_keys.check(api_key)
            except UnauthenticatedError:
                self._key_guesses.failed(client_address)
                raise
        token = bearer_token(headers.get("authorization"))
        return ANONYMOUS if token is None else await self._tokens.verify(token)

    def subgraph_headers(
        self, headers: Mapping[str, str], caller: Caller, client_address: str | None = None
    ) -> dict[str, str]:
        """The client's headers for subgraphs: identity and address replaced by what the router knows."""
        forwarded = {k: v for k, v in headers.items() if k.lower() not in ROUTER_SET_HEADERS}
        if self._secret is not None and caller.authenticated:
            forwarded.update(identity_headers(caller, self._secret))
        if client_address:
            forwarded["x-forwarded-for"] = client_address
        return forwarded

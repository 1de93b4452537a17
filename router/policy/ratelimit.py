"""``RATE_LIMIT_PER_MINUTE`` requests per client identity, shared by router replicas through Redis.

The identity is the user, the partner, or the client address when anonymous, so one noisy
partner cannot use up anybody else's allowance. Counters are fixed one-minute windows in the
key-value store (in-process when embedded). Over the limit: HTTP 429 with ``Retry-After`` (whole
seconds until the window ends) and a GraphQL error ``RATE_LIMITED`` naming the limit.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from kcp.errors import ErrorCode
from router.documents import RequestError

if TYPE_CHECKING:
    from kcp.identity.caller import Caller
    from kcp.stores.keyvalue import KeyValueStore

WINDOW_SECONDS = 60.0


def client_identity(caller: Caller, client_address: str | None) -> str:
    """The key a client's requests are counted under."""
    if caller.authenticated and caller.subject is not None:
        return f"{caller.kind}:{caller.subject}"
    return f"ip:{client_address or 'unknown'}"


class RateLimiter:
    def __init__(self, counters: KeyValueStore, per_minute: int) -> None:
        self._counters = counters
        self._per_minute = per_minute

    async def admit(self, identity: str) -> None:
        """Count one request of ``identity``; raise a 429 refusal once over the limit."""
        window = await self._counters.hit(f"ratelimit:{identity}", WINDOW_SECONDS)
        if window.count <= self._per_minute:
            return
        retry_after = max(1, math.ceil(window.resets_in))
        message = f"rate limit of {self._per_minute} requests per minute exceeded; retry in {retry_after} s"
        error = {
            "message": message,
            "extensions": {
                "code": str(ErrorCode.RATE_LIMITED),
                "limit": "requestsPerMinute",
                "maximum": self._per_minute,
                "retryAfterSeconds": retry_after,
            },
        }
        raise RequestError([error], status=429, headers={"retry-after": str(retry_after)})

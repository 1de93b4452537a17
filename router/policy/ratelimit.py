"""``RATE_LIMIT_PER_MINUTE`` requests per client identity, shared by router replicas through Redis.

The identity is the user, the partner, or the client address when anonymous, so one noisy
partner cannot use up anybody else's allowance. The limit is a moving window (the ``limits``
library's ``MovingWindowRateLimiter``): a request is admitted when fewer than the limit were
admitted in the 60 seconds before it. A fixed window, counted from a window's start, let a
client send the limit at the end of one window and the limit again at the start of the next:
twice the limit within seconds. Over the limit: HTTP 429 with ``Retry-After`` (whole seconds
until the oldest request in the window leaves it) and a GraphQL error ``RATE_LIMITED`` naming
the limit.

The window lives in Redis when ``REDIS_URL`` is set (one sorted log per identity, updated by a
Lua script, so replicas share it), else in this process's memory. Each entry carries the
admitting replica's clock: replicas are expected to keep their clocks in step (NTP).
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from limits import RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter

from kcp.errors import ErrorCode
from router.errors import RouterError
from router.shared_state import SharedStateHealth, guarded

if TYPE_CHECKING:
    from collections.abc import Callable

    from limits.aio.storage import Storage

    from kcp.identity.caller import Caller
    from kcp.settings import Settings

# The router's namespace in a Redis it may share with other processes (as the key-value store's).
REDIS_KEY_PREFIX = "kcp:router:ratelimit"


def client_identity(caller: Caller, client_address: str | None) -> str:
    """The key a client's requests are counted under."""
    if caller.authenticated and caller.subject is not None:
        return f"{caller.kind}:{caller.subject}"
    return f"ip:{client_address or 'unknown'}"


def rate_limit_storage(settings: Settings) -> Storage:
    """Redis when ``REDIS_URL`` is set (every replica sees one window), else this process's memory."""
    if settings.redis_url:
        # limits names a Unix socket "redis+unix"; every other Redis URL keeps its scheme.
        url = (
            settings.redis_url.replace("unix://", "redis+unix://", 1)
            if settings.redis_url.startswith("unix://")
            else settings.redis_url
        )
        # redis-py, which the key-value store already uses, rather than limits' default coredis.
        return RedisStorage(
            f"async+{url}",
            implementation="redispy",
            key_prefix=REDIS_KEY_PREFIX,
            max_connections=settings.pool_size,
        )
    return MemoryStorage()


class RateLimiter:
    def __init__(
        self,
        storage: Storage,
        per_minute: int,
        *,
        clock: Callable[[], float] = time.time,
        health: SharedStateHealth | None = None,
    ) -> None:
        # clock: what ``limits`` stamps its entries with (wall-clock seconds), for Retry-After.
        self._limiter = MovingWindowRateLimiter(storage)
        # While Redis is down each replica counts in its own memory (router/shared_state.py says why).
        self._local = MovingWindowRateLimiter(MemoryStorage())
        self._health = health or SharedStateHealth()
        self._limit = RateLimitItemPerMinute(per_minute)
        self._per_minute = per_minute
        self._clock = clock

    async def admit(self, identity: str) -> None:
        """Count one request of ``identity``; raise a 429 refusal once over the limit."""
        shared = await guarded(self._health, lambda: self._limiter.hit(self._limit, identity), None)
        limiter = self._limiter if shared is not None else self._local
        admitted = shared if shared is not None else await self._local.hit(self._limit, identity)
        if admitted:
            return
        window = await limiter.get_window_stats(self._limit, identity)
        retry_after = max(1, math.ceil(window.reset_time - self._clock()))
        message = f"rate limit of {self._per_minute} requests per minute exceeded; retry in {retry_after} s"
        raise RouterError.of(
            message,
            ErrorCode.RATE_LIMITED,
            headers={"retry-after": str(retry_after)},
            limit="requestsPerMinute",
            maximum=self._per_minute,
            retryAfterSeconds=retry_after,
        )

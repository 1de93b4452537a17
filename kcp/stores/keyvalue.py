"""Key-value store for caches and the APQ store: Redis when ``REDIS_URL`` is set.

Embedded, the values live in the process (one router replica, nothing shared); with Redis every
replica sees the same cache entries and persisted queries. Values are text (JSON, GraphQL
documents). Every key is put under the store's namespace, so one Redis can serve several
purposes (and tests) without their keys meeting.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable

    from redis.asyncio import Redis

    from kcp.settings import Settings

# Bounds the embedded store's bookkeeping: expired entries are swept every this many writes.
_SWEEP_EVERY = 1024
# The embedded store's bound, in characters of keys and values (~32-130 MB as Python strings).
EMBEDDED_MAX_CHARACTERS = 32_000_000
REDIS_TIMEOUT_SECONDS = 5.0


class KeyValueStore(Protocol):
    async def get(self, key: str) -> str | None:
        """The value, or None when the key is absent or has expired."""

    async def set(self, key: str, value: str, ttl_seconds: float | None = None) -> None:
        """Store ``value``; it expires after ``ttl_seconds`` (never when None)."""

    async def delete(self, key: str) -> bool:
        """Remove the key; whether it existed."""

    async def ping(self) -> None:
        """Raise unless the store answers."""

    async def close(self) -> None: ...


def _milliseconds(seconds: float) -> int:
    if seconds <= 0:
        raise ValueError("a TTL must be positive")
    return max(1, math.ceil(seconds * 1000))


class InProcessKeyValueStore:
    """The embedded implementation: a dict with expiry times, for one process.

    At most ``max_characters`` of keys and values are kept; past that the least recently used
    entries go first, as Redis does under ``maxmemory-policy allkeys-lru`` (how the deployment runs
    it). Everything kept here is a cache or a short-lived counter, and without a bound a client
    sending distinct cacheable queries would grow the process for a whole TTL.
    """

    def __init__(
        self,
        namespace: str = "kcp:",
        clock: Callable[[], float] = time.monotonic,
        max_characters: int = EMBEDDED_MAX_CHARACTERS,
    ) -> None:
        self._namespace = namespace
        self._clock = clock
        self._max_characters = max_characters
        self._values: OrderedDict[str, tuple[str, float | None]] = OrderedDict()
        self._characters = 0
        self._writes = 0
        # The methods below never await between reading and writing, so they are atomic under
        # asyncio; the lock is for clarity should that ever change.
        self._lock = asyncio.Lock()

    def _live(self, expires_at: float | None) -> bool:
        return expires_at is None or expires_at > self._clock()

    def _remove(self, full_key: str) -> tuple[str, float | None] | None:
        entry = self._values.pop(full_key, None)
        if entry is not None:
            self._characters -= len(full_key) + len(entry[0])
        return entry

    def _sweep(self) -> None:
        self._writes += 1
        if self._writes % _SWEEP_EVERY:
            return
        now = self._clock()
        expired = [k for k, (_, expires_at) in self._values.items() if expires_at is not None and expires_at <= now]
        for full_key in expired:
            self._remove(full_key)

    async def get(self, key: str) -> str | None:
        full_key = self._namespace + key
        entry = self._values.get(full_key)
        if entry is None or not self._live(entry[1]):
            return None
        self._values.move_to_end(full_key)
        return entry[0]

    async def set(self, key: str, value: str, ttl_seconds: float | None = None) -> None:
        expires_at = None if ttl_seconds is None else self._clock() + _milliseconds(ttl_seconds) / 1000
        full_key = self._namespace + key
        async with self._lock:
            self._remove(full_key)
            size = len(full_key) + len(value)
            if size > self._max_characters:
                return  # kept, it would evict everything else: as if evicted at once
            self._values[full_key] = (value, expires_at)
            self._characters += size
            while self._characters > self._max_characters:
                self._remove(next(iter(self._values)))
            self._sweep()

    async def delete(self, key: str) -> bool:
        async with self._lock:
            entry = self._remove(self._namespace + key)
            return entry is not None and self._live(entry[1])

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        self._values.clear()
        self._characters = 0


class RedisKeyValueStore:
    """redis-py's asyncio client; a pool of at most ``pool_size`` connections per process."""

    def __init__(self, client: Redis, namespace: str = "kcp:") -> None:
        self._client = client
        self._namespace = namespace

    @classmethod
    def from_url(cls, url: str, namespace: str = "kcp:", pool_size: int = 20) -> RedisKeyValueStore:
        from redis.asyncio import BlockingConnectionPool, Redis  # noqa: PLC0415 - only processes that use Redis load it

        # Blocking: a burst beyond the pool waits for a free connection (up to the timeout)
        # instead of failing at once, as the default pool does.
        pool = BlockingConnectionPool.from_url(
            url,
            decode_responses=True,
            max_connections=pool_size,
            timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
        )
        return cls(Redis.from_pool(pool), namespace)

    async def get(self, key: str) -> str | None:
        value = await self._client.get(self._namespace + key)
        # decode_responses gives text; redis-py's types cannot know that.
        return value.decode() if isinstance(value, bytes) else value

    async def set(self, key: str, value: str, ttl_seconds: float | None = None) -> None:
        px = None if ttl_seconds is None else _milliseconds(ttl_seconds)
        await self._client.set(self._namespace + key, value, px=px)

    async def delete(self, key: str) -> bool:
        return bool(await self._client.delete(self._namespace + key))

    async def ping(self) -> None:
        await self._client.ping()

    async def close(self) -> None:
        await self._client.aclose()

    async def clear_namespace(self) -> int:
        """Delete every key of this namespace (tests and resets); how many there were."""
        deleted = 0
        async for name in self._client.scan_iter(match=self._namespace + "*", count=500):
            deleted += int(await self._client.delete(name))
        return deleted


def open_keyvalue_store(settings: Settings, namespace: str = "kcp:") -> KeyValueStore:
    """Redis when ``REDIS_URL`` is set, else the in-process store."""
    if settings.redis_url:
        return RedisKeyValueStore.from_url(settings.redis_url, namespace, settings.pool_size)
    return InProcessKeyValueStore(namespace)

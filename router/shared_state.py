"""The router's shared state in Redis — APQ registrations, cached responses, rate-limit windows —
fails open: a Redis that is down degrades the router, it does not take it down.

Why open, for each (docs/operations.md, "When a store fails"):

- **Response cache**: a miss. Every answer is then fetched from the subgraphs, which is slower and
  costs them more, but is the same answer; refusing would turn a cache outage into an API outage.
- **APQ**: a lookup is a miss (``PERSISTED_QUERY_NOT_FOUND``), so clients send the full document
  as the APQ protocol already has them do; a registration is dropped. Trusted documents (the
  partner manifests) are files, untouched by Redis.
- **Rate limiting**: each replica counts in its own memory meanwhile, so a client can send up to
  the limit per replica instead of the limit across replicas. Limits still hold (at worst
  multiplied by the replica count for the outage); refusing every request would be a self-inflicted
  outage, and admitting without counting would leave no limit at all.

After a failure Redis is not asked again for ``RETRY_AFTER_SECONDS`` (a request then skips it
at once instead of waiting for a connection timeout); the next try that succeeds ends the
degraded state. ``/ready`` stays 200 and names Redis under ``degraded`` meanwhile.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, TypeVar

import structlog

from kcp.stores.unreachable import unreachable_store

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from kcp.stores.keyvalue import KeyValueStore

log = structlog.get_logger(__name__)

RETRY_AFTER_SECONDS = 1.0
T = TypeVar("T")
KEYVALUE = "keyvalue"


class SharedStateHealth:
    """Whether Redis answered last time; logs each change once, not each failed request."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failed_at: float | None = None
        self._reason = ""

    def should_try(self) -> bool:
        return self._failed_at is None or self._clock() - self._failed_at >= RETRY_AFTER_SECONDS

    def failed(self, error: BaseException) -> None:
        if self._failed_at is None:
            log.warning("router.shared_state_unavailable", store=KEYVALUE, error=type(error).__name__)
        self._failed_at = self._clock()
        self._reason = f"{type(error).__name__}: {error}"

    def succeeded(self) -> None:
        if self._failed_at is not None:
            log.info("router.shared_state_recovered", store=KEYVALUE)
        self._failed_at = None

    def degraded(self) -> dict[str, str]:
        """``{"keyvalue": why}`` while Redis is failing, else empty."""
        return {} if self._failed_at is None else {KEYVALUE: self._reason}


async def guarded(health: SharedStateHealth, call: Callable[[], Awaitable[T]], fallback: T) -> T:
    """``call()``, or ``fallback`` when Redis is unreachable (now, or within the last second)."""
    if not health.should_try():
        return fallback
    try:
        result = await call()
    except Exception as error:
        if unreachable_store(error) != KEYVALUE:
            raise
        health.failed(error)
        return fallback
    health.succeeded()
    return result


class FailOpenKeyValueStore:
    """A key-value store whose reads miss and whose writes are dropped while Redis is down."""

    def __init__(self, inner: KeyValueStore, health: SharedStateHealth) -> None:
        self._inner = inner
        self.health = health

    async def get(self, key: str) -> str | None:
        return await guarded(self.health, lambda: self._inner.get(key), None)

    async def set(self, key: str, value: str, ttl_seconds: float | None = None) -> None:
        await guarded(self.health, lambda: self._inner.set(key, value, ttl_seconds), None)

    async def delete(self, key: str) -> bool:
        return await guarded(self.health, lambda: self._inner.delete(key), False)  # noqa: FBT003 - the fallback value

    async def ping(self) -> None:
        """Ask Redis now (a readiness probe), whatever the last answer was; never raises for it."""
        try:
            await self._inner.ping()
        except Exception as error:
            if unreachable_store(error) != KEYVALUE:
                raise
            self.health.failed(error)
        else:
            self.health.succeeded()

    async def close(self) -> None:
        await self._inner.close()

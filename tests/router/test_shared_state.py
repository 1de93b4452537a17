"""A Redis that cannot be reached degrades the router's shared state, it does not fail requests:
cache reads miss, writes are dropped, rate limits are counted in the replica's memory, and the
degraded state ends by itself once Redis answers again (router/shared_state.py)."""

from __future__ import annotations

import uuid

import pytest

from kcp.errors import ErrorCode
from kcp.ports import free_port
from kcp.settings import Settings
from kcp.stores.keyvalue import InProcessKeyValueStore, RedisKeyValueStore
from router.errors import RouterError
from router.policy.ratelimit import RateLimiter, rate_limit_storage
from router.shared_state import KEYVALUE, FailOpenKeyValueStore, SharedStateHealth

pytestmark = pytest.mark.asyncio


def nowhere() -> str:
    """A Redis URL on a loopback port nobody listens on: every connection is refused."""
    return f"redis://127.0.0.1:{free_port()}/0"


async def test_reads_miss_and_writes_are_dropped_while_redis_is_unreachable() -> None:
    health = SharedStateHealth()
    store = FailOpenKeyValueStore(RedisKeyValueStore.from_url(nowhere()), health)
    try:
        await store.set("answer", "42", ttl_seconds=60)
        assert await store.get("answer") is None
        assert await store.delete("answer") is False
        assert set(health.degraded()) == {KEYVALUE}
        assert "ConnectionError" in health.degraded()[KEYVALUE]
    finally:
        await store.close()


async def test_the_degraded_state_ends_when_the_store_answers_again() -> None:
    health = SharedStateHealth()
    health.failed(ConnectionError("refused"))
    store = FailOpenKeyValueStore(InProcessKeyValueStore(), health)
    await store.ping()  # a readiness probe asks whatever the last answer was
    assert health.degraded() == {}
    await store.set("answer", "42")
    assert await store.get("answer") == "42"


async def test_errors_that_are_not_an_unreachable_redis_still_raise() -> None:
    class Broken(InProcessKeyValueStore):
        async def get(self, key: str) -> str | None:
            raise ValueError(key)

    store = FailOpenKeyValueStore(Broken(), SharedStateHealth())
    with pytest.raises(ValueError, match="k"):
        await store.get("k")


async def test_rate_limits_still_hold_in_the_replicas_memory_while_redis_is_unreachable() -> None:
    health = SharedStateHealth()
    limiter = RateLimiter(rate_limit_storage(Settings(redis_url=nowhere())), 3, health=health)
    who = f"ip:{uuid.uuid4().hex}"
    for _ in range(3):
        await limiter.admit(who)
    with pytest.raises(RouterError) as refused:
        await limiter.admit(who)
    assert refused.value.code == str(ErrorCode.RATE_LIMITED)
    assert set(health.degraded()) == {KEYVALUE}

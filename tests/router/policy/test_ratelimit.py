"""Each client identity gets RATE_LIMIT_PER_MINUTE requests in any 60 seconds; the next one is a 429.

Run against both storages the router uses: its own memory and a real Redis. The clock is moved
by the test: ``limits`` stamps window entries with ``time.time()`` read in its storage modules,
so those modules are given the test's clock instead of waiting a minute of real time.
"""

from __future__ import annotations

import types
import uuid
from typing import TYPE_CHECKING

import limits.aio.storage.memory
import limits.aio.storage.redis.redispy
import pytest
import pytest_asyncio

from kcp.identity import ANONYMOUS, Caller, CallerKind
from kcp.settings import Settings
from router.errors import RouterError
from router.policy.ratelimit import RateLimiter, client_identity, rate_limit_storage

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from limits.aio.storage import Storage


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    for module in (limits.aio.storage.memory, limits.aio.storage.redis.redispy):
        monkeypatch.setattr(module, "time", types.SimpleNamespace(time=clock))
    return clock


@pytest_asyncio.fixture(params=["memory", "redis"])
async def storage(request: pytest.FixtureRequest) -> AsyncIterator[Storage]:
    if request.param == "memory":
        yield rate_limit_storage(Settings())
        return
    # Each test counts under identities of its own, which Redis expires a minute after their last hit.
    yield rate_limit_storage(Settings(redis_url=request.getfixturevalue("redis_url")))


def identity(name: str) -> str:
    """A name of this test run alone, so runs sharing the test Redis never count each other."""
    return f"{name}:{uuid.uuid4().hex}"


async def admitted(limiter: RateLimiter, who: str, attempts: int) -> int:
    """How many of ``attempts`` requests of ``who`` were let through."""
    count = 0
    for _ in range(attempts):
        try:
            await limiter.admit(who)
        except RouterError:
            continue
        count += 1
    return count


@pytest.mark.asyncio
async def test_the_limit_is_per_identity_and_frees_up_as_requests_leave_the_window(
    storage: Storage, clock: Clock
) -> None:
    limiter = RateLimiter(storage, per_minute=3, clock=clock)
    user, partner = identity("user"), identity("partner")
    for _ in range(3):
        await limiter.admit(user)
    with pytest.raises(RouterError) as refused:
        await limiter.admit(user)
    assert refused.value.status == 429
    assert refused.value.headers == {"retry-after": "60"}
    assert refused.value.errors[0]["extensions"]["code"] == "RATE_LIMITED"
    assert refused.value.errors[0]["extensions"]["maximum"] == 3
    await limiter.admit(partner)  # somebody else is unaffected
    clock.now += 45
    with pytest.raises(RouterError) as later:
        await limiter.admit(user)
    assert later.value.headers == {"retry-after": "15"}
    clock.now += 16
    await limiter.admit(user)


@pytest.mark.asyncio
async def test_no_client_gets_twice_the_limit_across_a_window_boundary(storage: Storage, clock: Clock) -> None:
    # With windows counted from a first request, a client that sent one request at 0 s and the
    # rest of its allowance at 59 s got a fresh allowance at 60 s: twice the limit in 2 seconds.
    limiter = RateLimiter(storage, per_minute=3, clock=clock)
    client = identity("ip")
    assert await admitted(limiter, client, 1) == 1
    clock.now += 59
    assert await admitted(limiter, client, 5) == 2
    clock.now += 2  # the first request has left the 60 seconds; the two at 59 s have not
    assert await admitted(limiter, client, 5) == 1
    with pytest.raises(RouterError) as refused:
        await limiter.admit(client)
    assert refused.value.headers == {"retry-after": "58"}


def test_identities() -> None:
    user = Caller(kind=CallerKind.USER, subject="u-1")
    partner = Caller(kind=CallerKind.PARTNER, subject="acme")
    assert client_identity(user, "10.0.0.1") == "user:u-1"
    assert client_identity(partner, "10.0.0.1") == "partner:acme"
    assert client_identity(ANONYMOUS, "10.0.0.1") == "ip:10.0.0.1"

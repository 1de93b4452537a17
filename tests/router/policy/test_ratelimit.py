"""Each client identity gets RATE_LIMIT_PER_MINUTE requests a window; the next one is a 429."""

from __future__ import annotations

import pytest

from kcp.identity import ANONYMOUS, Caller, CallerKind
from kcp.stores.keyvalue import InProcessKeyValueStore
from router.documents import RequestError
from router.policy.ratelimit import RateLimiter, client_identity


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.asyncio
async def test_the_limit_is_per_identity_and_resets_with_the_window() -> None:
    clock = Clock()
    limiter = RateLimiter(InProcessKeyValueStore(clock=clock), per_minute=3)
    for _ in range(3):
        await limiter.admit("user:u-1")
    with pytest.raises(RequestError) as refused:
        await limiter.admit("user:u-1")
    assert refused.value.status == 429
    assert refused.value.headers == {"retry-after": "60"}
    assert refused.value.errors[0]["extensions"]["code"] == "RATE_LIMITED"
    assert refused.value.errors[0]["extensions"]["maximum"] == 3
    await limiter.admit("partner:acme")  # somebody else is unaffected
    clock.now += 45
    with pytest.raises(RequestError) as later:
        await limiter.admit("user:u-1")
    assert later.value.headers == {"retry-after": "15"}
    clock.now += 16
    await limiter.admit("user:u-1")


def test_identities() -> None:
    user = Caller(kind=CallerKind.USER, subject="u-1")
    partner = Caller(kind=CallerKind.PARTNER, subject="acme")
    assert client_identity(user, "10.0.0.1") == "user:u-1"
    assert client_identity(partner, "10.0.0.1") == "partner:acme"
    assert client_identity(ANONYMOUS, "10.0.0.1") == "ip:10.0.0.1"

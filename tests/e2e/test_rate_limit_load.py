"""A bounded load test on loopback: the 429 boundary sits exactly at RATE_LIMIT_PER_MINUTE, and the
router's Prometheus counters match the requests sent."""

from __future__ import annotations

import asyncio
import os
import re
from typing import TYPE_CHECKING

import httpx
import pytest
from redis import Redis

from commands.launcher import start_platform_on_free_ports

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.e2e

LIMIT = 60
SENT = 100
CONCURRENCY = 10


def counter(metrics: str, status: int) -> float:
    pattern = rf'^http_requests_total\{{[^}}]*path="/graphql"[^}}]*status="{status}"[^}}]*\}} (\S+)$'
    return sum(float(value) for value in re.findall(pattern, metrics, flags=re.MULTILINE))


async def burst(url: str) -> list[int]:
    limits = httpx.Limits(max_connections=CONCURRENCY)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one() -> int:
            async with gate:
                response = await client.post(url, json={"query": "{ __typename }"})
                return response.status_code

        return await asyncio.gather(*(one() for _ in range(SENT)))


def test_the_429_boundary_and_the_metrics_match_what_was_sent(seeded_data_dir: Path, tmp_path: Path) -> None:
    environment = {"KCP_DATA_DIR": str(seeded_data_dir), "RATE_LIMIT_PER_MINUTE": str(LIMIT)}
    shared = os.environ.get("REDIS_URL")
    if shared:  # real-store mode: counters of its own, not the minute's other requests from loopback
        environment["REDIS_URL"] = shared.rsplit("/", 1)[0] + "/2"
        with Redis.from_url(environment["REDIS_URL"]) as redis:
            redis.flushdb()
    platform = start_platform_on_free_ports(environment=environment, log_dir=tmp_path)
    try:
        metrics_url = platform.url("router") + "/metrics"
        before = httpx.get(metrics_url, timeout=10).text
        statuses = asyncio.run(burst(platform.router_url))
        after = httpx.get(metrics_url, timeout=10).text
    finally:
        platform.stop()
    assert statuses.count(200) == LIMIT
    assert statuses.count(429) == SENT - LIMIT
    assert counter(after, 200) - counter(before, 200) == LIMIT
    assert counter(after, 429) - counter(before, 429) == SENT - LIMIT

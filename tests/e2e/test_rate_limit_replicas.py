"""Two router replicas on one Redis share each client's rate limit: the limit is per client, not
per replica, so a client spreading its requests over replicas gets no more than the limit."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import httpx
import pytest
from redis import Redis
from single_service import eventually

from kcp.ports import free_port
from kcp.settings import SUPERGRAPH_FILE

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.e2e

LIMIT = 10
# Database 4 of the test Redis: the other e2e tests use 1 (the platform) and 2 (the load test).
REDIS_DATABASE = 4


@pytest.fixture
def replicas(redis_url: str, tmp_path: Path) -> Iterator[list[str]]:
    """Two routers on the committed supergraph, counting in one Redis database, emptied first."""
    shared = redis_url.rsplit("/", 1)[0] + f"/{REDIS_DATABASE}"
    with Redis.from_url(shared) as redis:
        redis.flushdb()
    environment = {
        **os.environ,
        "REDIS_URL": shared,
        "RATE_LIMIT_PER_MINUTE": str(LIMIT),
        "KCP_DATA_DIR": str(tmp_path),
        "KCP_LOG_LEVEL": "warning",
    }
    ports = [free_port(), free_port()]
    logs = [(tmp_path / f"router-{port}.log").open("ab") for port in ports]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "commands", "router", "--supergraph", str(SUPERGRAPH_FILE), "--port", str(port)],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for port, log in zip(ports, logs, strict=True)
    ]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url in urls:
            wait_healthy(url)
        yield [url + "/graphql" for url in urls]
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)
        for log in logs:
            log.close()


def wait_healthy(url: str) -> None:
    def healthy() -> bool:
        try:
            return httpx.get(url + "/health", timeout=2).status_code == httpx.codes.OK
        except httpx.HTTPError:
            return False

    assert eventually(healthy, attempts=300, pause=0.2), f"router at {url} did not answer /health within 60 s"


def test_a_client_spreading_requests_over_two_replicas_gets_the_limit_once(replicas: list[str]) -> None:
    statuses: list[tuple[int, int]] = []
    with httpx.Client(timeout=30) as client:
        for index in range(LIMIT + 6):
            replica = index % 2  # alternating, as a round-robin load balancer would send them
            response = client.post(replicas[replica], json={"query": "{ __typename }"})
            statuses.append((replica, response.status_code))
            if response.status_code == httpx.codes.TOO_MANY_REQUESTS:
                assert response.headers["retry-after"].isdigit()
                assert response.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"

    assert [status for _, status in statuses] == [200] * LIMIT + [429] * 6
    # Both replicas admitted some of the ten and refused some of the rest: one shared count.
    assert {replica for replica, status in statuses if status == 200} == {0, 1}
    assert {replica for replica, status in statuses if status == 429} == {0, 1}

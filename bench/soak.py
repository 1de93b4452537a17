"""Soak: the whole platform under a steady mixed load, its memory sampled as it runs.

Seeds a temporary data folder, starts every process on free loopback ports, then keeps
``--concurrency`` clients busy for ``--seconds`` with the traffic a day brings: anonymous product
pages and searches (some answered from the response cache), logged-in agents reading the queue,
customers opening tickets and writing to them, persisted-query round trips, and hostile requests
(malformed JSON, unknown fields, depth and alias bombs) that must be refused with a 4xx.

Every ``--sample`` seconds it reads each process's resident memory from ``/proc``. The baseline is
the memory after the warm-up (the first fifth of the run): what grows after it, and how fast, is
what a leak looks like. It prints per process RSS at baseline, at the end and at its peak, and
per kind of request the count, the statuses and p50/p99 latency.

Run: .venv/bin/python bench/soak.py [--seconds 300] [--concurrency 8]
Exit status 1 when a process died or any request got a 5xx; nothing else is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

import demo
from commands.launcher import Platform, start_platform_on_free_ports

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

DATA = demo.generate()
SLUGS = [product.slug for product in DATA.products]
PRODUCT_IDS = [product.id for product in DATA.products]
SEARCH_TERMS = ["bluetooth", "pairing", "battery", "firmware update", "noise cancelling", "charging case", "zzz"]
PRODUCT_PAGE = """query($slug: String!) { productBySlug(slug: $slug) {
    name features { name } knownIssues { title solutions { title } } content { title } openTicketCount
} }"""
SEARCH = "query($q: String!) { search(query: $q, first: 5) { totalCount edges { node { title } } } }"
QUEUE = "{ tickets(status: [OPEN, PENDING], first: 20) { totalCount edges { node { id subject customer { name } } } } }"
LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }"
CREATE_TICKET = "mutation($input: CreateTicketInput!) { createTicket(input: $input) { id } }"
REPLY = "mutation($id: ID!, $body: String!) { addTicketMessage(ticketId: $id, body: $body) { id } }"
HOSTILE: list[tuple[str, bytes]] = [
    ("malformed json", b'{"query": "{ __typename "'),
    ("unknown field", b'{"query": "{ doesNotExist }"}'),
    ("too deep", ('{"query": "{ ' + "a { " * 40 + "b" + " }" * 40 + ' }"}').encode()),
    ("alias bomb", ('{"query": "{ ' + " ".join(f"a{i}: __typename" for i in range(500)) + ' }"}').encode()),
]
# The GraphQL-over-HTTP media type: a refused request is then a 4xx, never a 200 with errors.
HOSTILE_HEADERS = {"content-type": "application/json", "accept": "application/graphql-response+json"}
MIB = 1024 * 1024
OK = 200
SERVER_ERROR = 500


@dataclass
class Outcomes:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))

    def record(self, kind: str, status: int, seconds: float) -> None:
        self.latencies[kind].append(seconds)
        self.statuses[kind][status] += 1

    def server_errors(self) -> int:
        return sum(
            count for counter in self.statuses.values() for status, count in counter.items() if status >= SERVER_ERROR
        )


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class Traffic:
    """One kind of request per method; each returns (kind, status)."""

    def __init__(self, client: httpx.AsyncClient, url: str, tokens: dict[str, str]) -> None:
        self.client = client
        self.url = url
        self.tokens = tokens
        self.tickets: list[str] = []

    async def _post(self, body: dict[str, Any], token: str | None = None) -> httpx.Response:
        headers = {} if token is None else {"authorization": f"Bearer {token}"}
        return await self.client.post(self.url, json=body, headers=headers)

    async def product_page(self) -> tuple[str, int]:
        response = await self._post({"query": PRODUCT_PAGE, "variables": {"slug": random.choice(SLUGS)}})  # noqa: S311 - load mix, not security
        return "product page (anonymous)", response.status_code

    async def search(self) -> tuple[str, int]:
        term = random.choice(SEARCH_TERMS)  # noqa: S311
        response = await self._post({"query": SEARCH, "variables": {"q": term}})
        return "search (anonymous)", response.status_code

    async def queue(self) -> tuple[str, int]:
        response = await self._post({"query": QUEUE}, self.tokens["agent"])
        return "ticket queue (agent)", response.status_code

    async def open_ticket(self) -> tuple[str, int]:
        ticket = {
            "subject": f"Soak {uuid.uuid4().hex[:8]}",
            "description": "The left earbud stops after a few minutes.",
            "productId": random.choice(PRODUCT_IDS),  # noqa: S311
            "channel": "WEB",
        }
        response = await self._post({"query": CREATE_TICKET, "variables": {"input": ticket}}, self.tokens["customer"])
        created = (response.json().get("data") or {}).get("createTicket") if response.status_code == OK else None
        if created:
            self.tickets.append(created["id"])
        return "open ticket (customer)", response.status_code

    async def reply(self) -> tuple[str, int]:
        if not self.tickets:
            return await self.open_ticket()
        variables = {"id": random.choice(self.tickets), "body": "Any news?"}  # noqa: S311
        response = await self._post({"query": REPLY, "variables": variables}, self.tokens["customer"])
        return "reply (customer)", response.status_code

    async def persisted(self) -> tuple[str, int]:
        query = f'{{ productBySlug(slug: "{random.choice(SLUGS)}") {{ name }} }}'  # noqa: S311
        digest = hashlib.sha256(query.encode()).hexdigest()
        extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
        first = await self._post({"extensions": extensions})
        if "PERSISTED_QUERY_NOT_FOUND" in first.text:
            first = await self._post({"query": query, "extensions": extensions})
        return "persisted query (APQ)", first.status_code

    async def hostile(self) -> tuple[str, int]:
        _, body = random.choice(HOSTILE)  # noqa: S311
        response = await self.client.post(self.url, content=body, headers=HOSTILE_HEADERS)
        return "hostile (must be 4xx)", response.status_code


async def login(client: httpx.AsyncClient, url: str, email: str) -> str:
    body = {"query": LOGIN, "variables": {"e": email, "p": DATA.demo_password}}
    token: str = (await client.post(url, json=body)).json()["data"]["login"]["accessToken"]
    return token


async def run_load(
    platform: Platform, seconds: float, concurrency: int, sample: float
) -> tuple[Outcomes, dict[str, list[int]]]:
    outcomes = Outcomes()
    memory: dict[str, list[int]] = defaultdict(list)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        tokens = {
            "agent": await login(client, platform.router_url, "agent@soundcore.example"),
            "customer": await login(client, platform.router_url, "customer@soundcore.example"),
        }
        traffic = Traffic(client, platform.router_url, tokens)
        # Reads outnumber writes, as on a help centre: weights per kind of request.
        mix: list[tuple[Callable[[], Awaitable[tuple[str, int]]], int]] = [
            (traffic.product_page, 40),
            (traffic.search, 20),
            (traffic.queue, 10),
            (traffic.persisted, 10),
            (traffic.open_ticket, 5),
            (traffic.reply, 5),
            (traffic.hostile, 10),
        ]
        kinds, weights = zip(*mix, strict=True)
        deadline = time.monotonic() + seconds

        async def worker() -> None:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                kind, status = await random.choices(kinds, weights)[0]()  # noqa: S311
                outcomes.record(kind, status, time.perf_counter() - started)

        async def sampler() -> None:
            while time.monotonic() < deadline:
                for name, managed in platform.processes.items():
                    if managed.process.poll() is None:
                        memory[name].append(rss_bytes(managed.process.pid))
                await asyncio.sleep(sample)

        await asyncio.gather(sampler(), *(worker() for _ in range(concurrency)))
    return outcomes, memory


def report(outcomes: Outcomes, memory: dict[str, list[int]], seconds: float, platform: Platform) -> None:
    print(f"\nsoak: {seconds:.0f} s; memory baseline = after the warm-up (first fifth of the samples)")
    print(f"{'process':<10} {'baseline MiB':>12} {'end MiB':>8} {'peak MiB':>9} {'growth MiB':>11} {'MiB/hour':>9}")
    for name, samples in memory.items():
        baseline = samples[max(0, len(samples) // 5 - 1)]
        end, peak = samples[-1], max(samples)
        per_hour = (end - baseline) / MIB / (seconds * 0.8) * 3600
        print(
            f"{name:<10} {baseline / MIB:>12.1f} {end / MIB:>8.1f} {peak / MIB:>9.1f} "
            f"{(end - baseline) / MIB:>11.1f} {per_hour:>9.1f}"
        )
    print(f"\n{'request':<26} {'count':>7} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for kind, latencies in sorted(outcomes.latencies.items()):
        cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(outcomes.statuses[kind].items()))
        print(f"{kind:<26} {len(latencies):>7} {cuts[49] * 1000:>8.1f} {cuts[98] * 1000:>8.1f}  {statuses}")
    died = platform.exited()
    print(f"\nprocesses that died: {died or 'none'}; 5xx answers: {outcomes.server_errors()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--sample", type=float, default=5, help="seconds between memory samples")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kcp-soak-") as folder:
        data_dir = Path(folder)
        environment = {
            **os.environ,
            "KCP_DATA_DIR": str(data_dir),
            "KCP_LOG_LEVEL": "warning",
            # One client address sends everything: the per-client limit would refuse most of it.
            "RATE_LIMIT_PER_MINUTE": "1000000000",
        }
        subprocess.run([sys.executable, "-m", "commands", "seed"], env=environment, check=True, capture_output=True)
        platform = start_platform_on_free_ports(environment=environment, log_dir=data_dir)
        try:
            outcomes, memory = asyncio.run(
                run_load(platform, arguments.seconds, arguments.concurrency, arguments.sample)
            )
            report(outcomes, memory, arguments.seconds, platform)
            failed = bool(platform.exited()) or outcomes.server_errors() > 0
        finally:
            platform.stop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

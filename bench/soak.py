"""Soak: the whole platform under a steady mixed load, its memory sampled as it runs.

Seeds a temporary data folder, starts every process on free loopback ports, then keeps
``--concurrency`` clients busy for ``--minutes`` (30 by default) with the traffic a day brings:
anonymous product pages and searches (some answered from the response cache), logged-in agents
reading the queue, persisted-query round trips, hostile requests (malformed JSON, unknown fields,
depth and alias bombs) that must be refused with a 4xx, and writes: customers opening tickets and
writing to them, visitors sending analytics events, editors revising content items.

Every ``--sample`` seconds it reads each process's resident memory from ``/proc``. The baseline is
the memory at the end of the warm-up (``--warmup-minutes``, 3 by default): what grows after it is
what a leak looks like. It prints per process RSS at baseline, at the end and at its peak, the
growth after warm-up, and for support, whose data grows with every ticket and message, the growth
per thousand records written after warm-up; then per kind of request the count, the statuses and
p50/p99 latency.

Run: make soak (ARGS="--minutes 5"), or .venv/bin/python bench/soak.py [--minutes 30] [--concurrency 4]
Exit status 1 when a process died, any request got a 5xx or no answer; nothing else is asserted.
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
SEARCH = "query($q: String!) { search(query: $q, first: 5) { totalCount edges { node { titleHighlight score } } } }"
QUEUE = "{ tickets(status: [OPEN, PENDING], first: 20) { totalCount edges { node { id subject customer { name } } } } }"
LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }"
CREATE_TICKET = "mutation($input: CreateTicketInput!) { createTicket(input: $input) { id } }"
REPLY = "mutation($id: ID!, $body: String!) { addTicketMessage(ticketId: $id, body: $body) { id } }"
TRACK = "mutation($input: TrackEventInput!) { trackEvent(input: $input) { id } }"
CREATE_CONTENT = "mutation($input: CreateContentItemInput!) { createContentItem(input: $input) { id } }"
REVISE = "mutation($id: ID!, $body: String!) { reviseContentItem(id: $id, body: $body) { id } }"
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
    # An HTTP status, or "200 with errors" for an answer that carries GraphQL errors.
    statuses: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    # Support records (tickets and messages) acknowledged, with the monotonic time of each.
    support_writes: list[float] = field(default_factory=list)

    def record(self, kind: str, status: str, seconds: float) -> None:
        self.latencies[kind].append(seconds)
        self.statuses[kind][status] += 1

    def server_errors(self) -> int:
        return sum(
            count
            for counter in self.statuses.values()
            for status, count in counter.items()
            if status[:3].isdigit() and int(status[:3]) >= SERVER_ERROR
        )


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class Traffic:
    """One kind of request per method; each returns its kind and the answer."""

    def __init__(self, client: httpx.AsyncClient, url: str, tokens: dict[str, str], outcomes: Outcomes) -> None:
        self.client = client
        self.url = url
        self.tokens = tokens
        self.outcomes = outcomes
        self.tickets: list[str] = []
        self.content_items: list[str] = []

    async def _post(self, body: dict[str, Any], token: str | None = None) -> httpx.Response:
        headers = {} if token is None else {"authorization": f"Bearer {token}"}
        return await self.client.post(self.url, json=body, headers=headers)

    async def product_page(self) -> tuple[str, httpx.Response]:
        response = await self._post({"query": PRODUCT_PAGE, "variables": {"slug": random.choice(SLUGS)}})  # noqa: S311 - load mix, not security
        return "product page (anonymous)", response

    async def search(self) -> tuple[str, httpx.Response]:
        term = random.choice(SEARCH_TERMS)  # noqa: S311
        response = await self._post({"query": SEARCH, "variables": {"q": term}})
        return "search (anonymous)", response

    async def queue(self) -> tuple[str, httpx.Response]:
        response = await self._post({"query": QUEUE}, self.tokens["agent"])
        return "ticket queue (agent)", response

    async def open_ticket(self) -> tuple[str, httpx.Response]:
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
            self.outcomes.support_writes.append(time.monotonic())
        return "open ticket (customer)", response

    async def reply(self) -> tuple[str, httpx.Response]:
        if not self.tickets:
            return await self.open_ticket()
        variables = {"id": random.choice(self.tickets), "body": "Any news?"}  # noqa: S311
        response = await self._post({"query": REPLY, "variables": variables}, self.tokens["customer"])
        if response.status_code == OK and (response.json().get("data") or {}).get("addTicketMessage"):
            self.outcomes.support_writes.append(time.monotonic())
        return "reply (customer)", response

    async def event(self) -> tuple[str, httpx.Response]:
        kind = random.choice(["PAGE_VIEW", "SEARCH"])  # noqa: S311
        event: dict[str, Any] = {"kind": kind, "clientEventId": uuid.uuid4().hex}
        if kind == "PAGE_VIEW":
            event["productId"] = random.choice(PRODUCT_IDS)  # noqa: S311
        else:
            event.update(query=random.choice(SEARCH_TERMS), resultCount=random.randint(0, 5))  # noqa: S311
        response = await self._post({"query": TRACK, "variables": {"input": event}})
        return "analytics event (anonymous)", response

    async def revise(self) -> tuple[str, httpx.Response]:
        # A new item now and then, else a revision of one already written: revisions pile up per item.
        if len(self.content_items) < 20 or random.random() < 0.1:  # noqa: S311, PLR2004 - load mix
            item = {
                "productId": random.choice(PRODUCT_IDS),  # noqa: S311
                "kind": "SOCIAL_POST",
                "title": f"Soak {uuid.uuid4().hex[:8]}",
                "locale": "en",
                "body": "New colours this spring.",
            }
            response = await self._post({"query": CREATE_CONTENT, "variables": {"input": item}}, self.tokens["editor"])
            created = (
                (response.json().get("data") or {}).get("createContentItem") if response.status_code == OK else None
            )
            if created:
                self.content_items.append(created["id"])
            return "content item (editor)", response
        variables = {"id": random.choice(self.content_items), "body": f"Revised {uuid.uuid4().hex[:8]}"}  # noqa: S311
        response = await self._post({"query": REVISE, "variables": variables}, self.tokens["editor"])
        return "content revision (editor)", response

    async def persisted(self) -> tuple[str, httpx.Response]:
        query = f'{{ productBySlug(slug: "{random.choice(SLUGS)}") {{ name }} }}'  # noqa: S311
        digest = hashlib.sha256(query.encode()).hexdigest()
        extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
        first = await self._post({"extensions": extensions})
        if "PERSISTED_QUERY_NOT_FOUND" in first.text:
            first = await self._post({"query": query, "extensions": extensions})
        return "persisted query (APQ)", first

    async def hostile(self) -> tuple[str, httpx.Response]:
        _, body = random.choice(HOSTILE)  # noqa: S311
        response = await self.client.post(self.url, content=body, headers=HOSTILE_HEADERS)
        return "hostile (must be 4xx)", response


async def login(client: httpx.AsyncClient, url: str, email: str) -> str:
    body = {"query": LOGIN, "variables": {"e": email, "p": DATA.demo_password}}
    token: str = (await client.post(url, json=body)).json()["data"]["login"]["accessToken"]
    return token


@dataclass
class Memory:
    """RSS samples per process, each with the monotonic time it was read."""

    samples: dict[str, list[tuple[float, int]]] = field(default_factory=lambda: defaultdict(list))
    started: float = field(default_factory=time.monotonic)


async def run_load(platform: Platform, seconds: float, concurrency: int, sample: float) -> tuple[Outcomes, Memory]:
    outcomes = Outcomes()
    memory = Memory()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        tokens = {
            "agent": await login(client, platform.router_url, "agent@soundcore.example"),
            "customer": await login(client, platform.router_url, "customer@soundcore.example"),
            "editor": await login(client, platform.router_url, "editor@soundcore.example"),
        }
        traffic = Traffic(client, platform.router_url, tokens, outcomes)
        # Reads outnumber writes, as on a help centre: weights per kind of request.
        mix: list[tuple[Callable[[], Awaitable[tuple[str, httpx.Response]]], int]] = [
            (traffic.product_page, 35),
            (traffic.search, 15),
            (traffic.queue, 10),
            (traffic.persisted, 10),
            (traffic.open_ticket, 5),
            (traffic.reply, 10),
            (traffic.event, 10),
            (traffic.revise, 5),
            (traffic.hostile, 10),
        ]
        kinds, weights = zip(*mix, strict=True)
        memory.started = time.monotonic()
        deadline = memory.started + seconds

        async def worker() -> None:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    kind, response = await random.choices(kinds, weights)[0]()  # noqa: S311
                    status = str(response.status_code)
                    if response.status_code == OK and response.json().get("errors"):
                        status += " with errors"
                except httpx.HTTPError as error:
                    kind, status = "transport error", type(error).__name__
                outcomes.record(kind, status, time.perf_counter() - started)

        async def sampler() -> None:
            while time.monotonic() < deadline:
                now = time.monotonic()
                for name, managed in platform.processes.items():
                    if managed.process.poll() is None:
                        memory.samples[name].append((now, rss_bytes(managed.process.pid)))
                await asyncio.sleep(sample)

        await asyncio.gather(sampler(), *(worker() for _ in range(concurrency)))
    return outcomes, memory


def report(outcomes: Outcomes, memory: Memory, seconds: float, warmup: float, platform: Platform) -> None:
    warm = memory.started + warmup
    written_after = sum(1 for at in outcomes.support_writes if at >= warm)
    print(
        f"\nsoak: {seconds / 60:.0f} min; baseline = RSS at the end of the warm-up ({warmup / 60:.0f} min); "
        f"support records written: {len(outcomes.support_writes)} ({written_after} after warm-up)"
    )
    header = (
        f"{'process':<10} {'baseline MiB':>12} {'end MiB':>8} {'peak MiB':>9} {'growth MiB':>11} "
        f"{'MiB/hour':>9} {'MiB/1k records':>15}"
    )
    print(header)
    for name, samples in memory.samples.items():
        baseline = next((rss for at, rss in samples if at >= warm), samples[-1][1])
        end, peak = samples[-1][1], max(rss for _, rss in samples)
        growth = (end - baseline) / MIB
        per_hour = growth / max(seconds - warmup, 1) * 3600
        per_thousand = f"{growth / written_after * 1000:>15.2f}" if name == "support" and written_after else f"{'':>15}"
        print(
            f"{name:<10} {baseline / MIB:>12.1f} {end / MIB:>8.1f} {peak / MIB:>9.1f} "
            f"{growth:>11.1f} {per_hour:>9.1f} {per_thousand}"
        )
    print(f"\n{'request':<28} {'count':>7} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for kind, latencies in sorted(outcomes.latencies.items()):
        cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(outcomes.statuses[kind].items()))
        print(f"{kind:<28} {len(latencies):>7} {cuts[49] * 1000:>8.1f} {cuts[98] * 1000:>8.1f}  {statuses}")
    died = platform.exited()
    print(f"\nprocesses that died: {died or 'none'}; 5xx answers: {outcomes.server_errors()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--warmup-minutes", type=float, default=3)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--sample", type=float, default=5, help="seconds between memory samples")
    arguments = parser.parse_args()
    seconds, warmup = arguments.minutes * 60, min(arguments.warmup_minutes * 60, arguments.minutes * 30)
    with tempfile.TemporaryDirectory(prefix="kcp-soak-") as folder:
        data_dir = Path(folder)
        environment = {
            **os.environ,
            "KCP_DATA_DIR": str(data_dir),
            "KCP_LOG_LEVEL": "warning",
            # One client address sends everything: the per-client limit would refuse most of it.
            "RATE_LIMIT_PER_MINUTE": "1000000000",
            # The run's three logins must outlive it (tokens last 15 minutes by default).
            "KCP_JWT_TTL_SECONDS": str(int(seconds + 600)),
        }
        subprocess.run([sys.executable, "-m", "commands", "seed"], env=environment, check=True, capture_output=True)
        platform = start_platform_on_free_ports(environment=environment, log_dir=data_dir)
        try:
            outcomes, memory = asyncio.run(run_load(platform, seconds, arguments.concurrency, arguments.sample))
            report(outcomes, memory, seconds, warmup, platform)
            failed = bool(platform.exited()) or outcomes.server_errors() > 0 or "transport error" in outcomes.statuses
        finally:
            platform.stop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Fire the catalogue and fuzzed operations at one process; count what it answered, sample its memory.

Answers are classified: a 5xx, a body that is not a JSON object, no answer within ``TIMEOUT``.
Memory is the process's resident set (``/proc/<pid>/status``): after a warm-up (every root field once, then
ordinary fuzzed operations), its peak during the run, and after the run once the last requests settled.
Slow clients (slowloris-style, on loopback, a handful) trickle a request's headers a byte at a time
while the run goes on: the process must keep answering everyone else.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx
from graphql import Undefined, build_client_schema, get_introspection_query, is_non_null_type

from bench.hostile.catalogue import catalogue
from bench.hostile.fuzz import Fuzzer

if TYPE_CHECKING:
    from graphql import GraphQLSchema

TIMEOUT = 10.0
HEADERS = {"apollo-require-preflight": "true"}
SLOW_CLIENTS = 4
MAX_FAILURES_NAMED = 20
LABEL_LENGTH = 300


@dataclass
class Tally:
    process: str
    requests: int = 0
    server_errors: int = 0
    non_json: int = 0
    timeouts: int = 0
    warm_rss: float = 0.0
    peak_rss: float = 0.0
    final_rss: float = 0.0
    slow_clients: int = 0
    # What failed, named (family or the fuzzed operation's start), so a failing run says what to fix.
    failures: list[str] = field(default_factory=list)

    def name_failure(self, what: str, label: str) -> None:
        if len(self.failures) < MAX_FAILURES_NAMED:
            self.failures.append(f"{what}: {label}")

    @property
    def ratio(self) -> float:
        return self.peak_rss / self.warm_rss if self.warm_rss else 0.0

    def row(self) -> str:
        return (
            f"{self.process:<10} {self.requests:>8} {self.server_errors:>5} {self.non_json:>8} {self.timeouts:>8} "
            f"{self.warm_rss:>9.0f} {self.peak_rss:>8.0f} {self.final_rss:>9.0f} {self.ratio:>6.2f}"
        )


HEADER_ROW = (
    f"{'process':<10} {'requests':>8} {'5xx':>5} {'non-JSON':>8} {'timeouts':>8} "
    f"{'warm MiB':>9} {'peak MiB':>8} {'final MiB':>9} {'peak/warm':>6}"
)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def schema_of(client: httpx.AsyncClient, url: str) -> GraphQLSchema:
    response = await client.post(url, json={"query": get_introspection_query()}, headers=HEADERS)
    return build_client_schema(response.json()["data"])


def list_fields(schema: GraphQLSchema) -> list[str]:
    """Root fields with a ``first`` argument and no required argument: the ones to ask huge pages of."""
    query = schema.query_type
    assert query is not None  # noqa: S101 - every KCP schema has one
    return [
        name
        for name, field in query.fields.items()
        if "first" in field.args
        and not name.startswith("_")
        and not any(is_non_null_type(a.type) and a.default_value is Undefined for a in field.args.values())
    ]


async def _send(  # noqa: PLR0913 - the request and how to name it
    client: httpx.AsyncClient, url: str, tally: Tally, body: bytes, headers: dict[str, str], *, label: str
) -> None:
    tally.requests += 1
    try:
        response = await client.post(url, content=body, headers={**HEADERS, **headers})
    except httpx.TimeoutException:
        tally.timeouts += 1
        tally.name_failure("timeout", label)
        return
    except httpx.HTTPError:
        tally.non_json += 1  # the connection closed without an answer: no GraphQL body
        tally.name_failure("no answer", label)
        return
    if response.status_code >= 500:  # noqa: PLR2004
        tally.server_errors += 1
        tally.name_failure(f"HTTP {response.status_code}", label)
    try:
        parsed: Any = response.json()
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        tally.non_json += 1
        tally.name_failure("non-JSON", label)


def fuzzed_label(operation: dict[str, Any]) -> str:
    return "fuzzed " + " ".join(str(operation.get("query", "")).split())[:LABEL_LENGTH]


async def _slow_client(host: str, port: int, stop: asyncio.Event, tally: Tally) -> None:
    """Trickle a request's headers a byte at a time until ``stop`` or the server closes the connection."""
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError:
        return
    tally.slow_clients += 1
    request = b"POST /graphql HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n" + b"x-slow: " + b"a" * 10_000
    try:
        for byte in request:
            if stop.is_set() or reader.at_eof():
                break
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(0.2)
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError, OSError):
            await writer.wait_closed()


async def attack(  # noqa: PLR0913 - the target and the run's knobs
    process: str, url: str, pid: int, *, seconds: float, seed: int, concurrency: int = 4
) -> Tally:
    """Warm up, then fire the catalogue and fuzzed operations for ``seconds``; the process's tally."""
    tally = Tally(process)
    rng = random.Random(seed)  # noqa: S311 - a fixed seed for reproducible fuzzing, not security
    limits = httpx.Limits(max_connections=concurrency + 2)
    async with httpx.AsyncClient(timeout=TIMEOUT, limits=limits) as client:
        schema = await schema_of(client, url)
        fuzzer = Fuzzer(schema, rng).operations()
        # Warm-up: every root field (each enum argument's every value: a search in each mode) and 40
        # ordinary fuzzed operations, so what a process loads on first use (an embedding model) is
        # in its warm RSS and the peak measures what the attack costs.
        warm_up = itertools.chain(Fuzzer(schema, rng, ordinary=True).every_root_field(), itertools.islice(fuzzer, 40))
        for operation in warm_up:
            await _send(
                client,
                url,
                Tally(process),
                json.dumps(operation).encode(),
                {"content-type": "application/json"},
                label=fuzzed_label(operation),
            )
        await asyncio.sleep(1)
        tally.warm_rss = tally.peak_rss = rss_mib(pid)
        hostile = catalogue(list_fields(schema))
        cases = itertools.cycle(hostile)
        stop = asyncio.Event()
        host, port = urlsplit(url).hostname or "127.0.0.1", urlsplit(url).port or 80
        slow = [asyncio.create_task(_slow_client(host, port, stop, tally)) for _ in range(SLOW_CLIENTS)]
        deadline = time.monotonic() + seconds

        async def worker(number: int) -> None:
            while time.monotonic() < deadline:
                if number % 2:
                    case = next(cases)
                    await _send(client, url, tally, case.body, case.headers, label=f"{case.family} {case.body[:80]!r}")
                else:
                    operation = next(fuzzer)
                    body = json.dumps(operation).encode()
                    headers = {"content-type": "application/json"}
                    await _send(client, url, tally, body, headers, label=fuzzed_label(operation))

        async def sampler() -> None:
            while time.monotonic() < deadline:
                tally.peak_rss = max(tally.peak_rss, rss_mib(pid))
                await asyncio.sleep(0.2)

        await asyncio.gather(sampler(), *(worker(n) for n in range(concurrency)))
        stop.set()
        await asyncio.gather(*slow)
        await asyncio.sleep(2)
        tally.final_rss = rss_mib(pid)
        tally.peak_rss = max(tally.peak_rss, tally.final_rss)
    return tally

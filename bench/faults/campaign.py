"""The faults, one after another under load, and what each must show.

For every fault: wait until a round of every kind of request is clean; inject it; hold it while
the load goes on and ``/ready`` is asked twice a second; lift it; then send rounds of every kind
of request until one is clean again. Asserted per fault: no 5xx answer from the router; the
clients' errors name the failed subgraph or store (Redis excepted: the router fails open and
clients see nothing, ``/ready`` names it under ``degraded``); the ``/ready`` that should name it
does; the platform is clean again within the recovery limit without any process restarted by
the campaign (the killed subgraph excepted: killing it is the fault). At the end every write the
router acknowledged is read back.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx

from bench.faults.load import Outcome, Record, Traffic, Write, keep_busy, lost_writes, remove_links, summarise

if TYPE_CHECKING:
    from collections.abc import Callable

    from bench.faults.relays import Relay
    from bench.faults.stores import StoreControl
    from commands.launcher import Platform

SERVER_ERROR = 500


@dataclass
class Fault:
    name: str
    words: set[str]  # what the errors and /ready must name (lower case)
    ready_of: str  # whose /ready names it: "router" or a subgraph
    inject: Callable[[], None]
    restore: Callable[[], object]
    hold: float
    clients_see_it: bool = True


@dataclass
class Result:
    fault: Fault
    saw: str
    ready_said: str
    restore_seconds: float
    recovered_after: float | None
    writes: list[Write]
    lost: list[Write] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def faults(platform: Platform, stores: StoreControl, garbler: Relay, *, hold: float, pause: float) -> list[Fault]:
    def kill_content() -> None:
        platform.processes["content"].kill()

    def signal_support(signum: signal.Signals) -> Callable[[], None]:
        return lambda: os.kill(platform.processes["support"].process.pid, signum)

    def store(name: str, server: str, words: set[str], ready_of: str, *, clients: bool = True) -> Fault:
        how = "stopped, started again" if stores.mode == "servers" else "cut off (relay), reconnected"
        return Fault(
            f"{server} {how}",
            words,
            ready_of,
            lambda: stores.take_down(name),
            lambda: stores.bring_back(name),
            hold,
            clients_see_it=clients,
        )

    return [
        Fault(
            "content killed (SIGKILL), restarted",
            {"content"},
            "router",
            kill_content,
            lambda: platform.restart("content"),
            hold,
        ),
        Fault(
            f"support paused (SIGSTOP {pause:.0f} s), SIGCONT",
            {"support"},
            "router",
            signal_support(signal.SIGSTOP),
            signal_support(signal.SIGCONT),
            pause,
        ),
        Fault(
            "analytics answers garbage (HTML 200)",
            {"analytics"},
            "router",
            lambda: garbler.garble(on=True),
            lambda: garbler.garble(on=False),
            hold,
        ),
        store("redis", "Redis", {"keyvalue"}, "router", clients=False),
        store("postgres", "PostgreSQL", {"relational"}, "support"),
        store("mongo", "FerretDB", {"documents"}, "content"),
        store("neo4j", "Neo4j", {"graph"}, "knowledge"),
    ]


async def _ready_names(client: httpx.AsyncClient, url: str, words: set[str]) -> tuple[int, bool]:
    try:
        response = await client.get(url, timeout=5)
    except httpx.HTTPError:
        return 0, False
    return response.status_code, any(word in response.text.lower() for word in words)


async def _clean_round(traffic: Traffic) -> bool:
    outcomes: list[Outcome] = await asyncio.gather(*(canary() for canary in traffic.canaries()))
    return all(outcome.clean for outcome in outcomes)


async def run_fault(  # noqa: PLR0913, PLR0917 - the campaign's whole state, passed once
    fault: Fault, platform: Platform, traffic: Traffic, client: httpx.AsyncClient, record: Record, recovery_limit: float
) -> Result:
    ready_url = platform.url(fault.ready_of) + "/ready"
    settle_deadline = time.monotonic() + recovery_limit
    while not await _clean_round(traffic):  # a clean start, so what follows is the fault's doing
        if time.monotonic() > settle_deadline:
            break
        await asyncio.sleep(0.5)
    started = time.monotonic()
    await asyncio.to_thread(fault.inject)
    injected = time.monotonic()  # stopping a server takes a while: the hold starts once it is down
    ready: Counter[str] = Counter()
    while time.monotonic() - injected < fault.hold:
        status, named = await _ready_names(client, ready_url, fault.words)
        ready[f"{status}{' naming it' if named else ''}"] += 1
        await asyncio.sleep(0.5)
    lifted = time.monotonic()
    await asyncio.to_thread(fault.restore)
    back = time.monotonic()
    recovered_at = None
    while time.monotonic() - back < recovery_limit:
        status, _ = await _ready_names(client, ready_url, fault.words)
        if status == httpx.codes.OK and await _clean_round(traffic):
            recovered_at = time.monotonic()
            break
        await asyncio.sleep(0.25)
    window = record.between(started, recovered_at or time.monotonic())
    result = Result(
        fault,
        summarise(window),
        ", ".join(f"{label} x{count}" for label, count in ready.most_common()),
        back - lifted,
        None if recovered_at is None else recovered_at - back,
        [write for write in record.writes if started <= write.at < (recovered_at or time.monotonic())],
    )
    _judge(result, window, ready)
    return result


def _judge(result: Result, window: list[Outcome], ready: Counter[str]) -> None:
    fault = result.fault
    server_errors = sum(1 for outcome in window if outcome.status >= SERVER_ERROR)
    if server_errors:
        result.problems.append(f"{server_errors} answers were 5xx")
    if fault.clients_see_it and not any(outcome.names(fault.words) for outcome in window if not outcome.clean):
        result.problems.append(f"no client error named {'/'.join(sorted(fault.words))}")
    if not any(label.endswith("naming it") for label in ready):
        result.problems.append(f"{fault.ready_of}'s /ready never named {'/'.join(sorted(fault.words))}")
    if result.recovered_after is None:
        result.problems.append("not clean again within the recovery limit")


async def campaign(  # noqa: PLR0913 - keyword-only knobs
    platform: Platform,
    stores: StoreControl,
    garbler: Relay,
    *,
    hold: float,
    pause: float,
    concurrency: int,
    recovery_limit: float,
) -> tuple[list[Result], Record, list[Write]]:
    record = Record()
    limits = httpx.Limits(max_connections=concurrency + 16)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        traffic = Traffic(client, platform.router_url, record)
        await traffic.login()
        stop = asyncio.Event()
        load = asyncio.create_task(keep_busy(traffic, concurrency, stop))
        results = []
        try:
            for fault in faults(platform, stores, garbler, hold=hold, pause=pause):
                print(f"faults: {fault.name} ...", flush=True)
                results.append(await run_fault(fault, platform, traffic, client, record, recovery_limit))
        finally:
            stop.set()
            await load
        lost = await lost_writes(traffic, record.writes)
        for result in results:
            result.lost = [write for write in lost if write in result.writes]
        await remove_links(traffic, record.writes)
    return results, record, lost


def print_table(results: list[Result], record: Record, lost: list[Write]) -> None:
    print()
    header = f"{'fault':<42} {'restore s':>9} {'clean again s':>13} {'acked':>6} {'lost':>5}  what clients saw | /ready"
    print(header)
    print("-" * len(header))
    for result in results:
        recovered = "never" if result.recovered_after is None else f"{result.recovered_after:.1f}"
        print(
            f"{result.fault.name:<42} {result.restore_seconds:>9.1f} {recovered:>13} {len(result.writes):>6} "
            f"{len(result.lost):>5}  {result.saw} | {result.fault.ready_of}: {result.ready_said}"
        )
    acknowledged = Counter(write.store for write in record.writes)
    missing = Counter(write.store for write in lost)
    stores = ", ".join(f"{store} {acknowledged[store]} acked / {missing[store]} lost" for store in sorted(acknowledged))
    print(f"\nacknowledged writes over the whole campaign, read back at the end: {stores}")
    print(
        f"requests: {len(record.outcomes)}, of which 5xx: {sum(1 for o in record.outcomes if o.status >= SERVER_ERROR)}"
    )
    for result in results:
        for problem in result.problems:
            print(f"FAILED {result.fault.name}: {problem}")
    if lost:
        print(f"FAILED acknowledged writes lost: {[write.key for write in lost][:10]}")

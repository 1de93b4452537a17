"""Our router's CPU per TestQuery, in-process: the gateways benchmark's query through the ASGI app.

Starts the benchmark's Node subgraphs (bench/gateways/subgraphs) on a free port, builds the router
app on bench/gateways/supergraph.graphql with the bench's settings, and sends the TestQuery through
the ASGI app (no HTTP server, no socket on the client side), ``--concurrency`` at a time. Prints
the router process's CPU ms per request (the Node subgraphs run in their own process), and with
``--profile FILE`` writes a cProfile of the measured requests (read it with ``python -m pstats``).

With ``--new-documents`` every request is a new document: the variants of the new-document round
of bench/gateways (``variants.py``), numbered per request.

Run: .venv/bin/python -m bench.router_profile [--requests 300] [--new-documents] [--profile /tmp/router.prof]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import uvloop

from bench.gateways.processes import Service, cpus
from bench.gateways.variants import variants
from kcp.ports import free_port
from kcp.settings import Settings
from router.app import create_app, tune_garbage_collection

HERE = Path(__file__).parent / "gateways"
COMMITTED_SUBGRAPHS_URL = "http://127.0.0.1:4200"
QUERY = (HERE / "test_query.graphql").read_text(encoding="utf-8")
BODY = json.dumps({"query": QUERY, "operationName": "TestQuery"}).encode()
WARMUP_REQUESTS = 30


class _CollectionTimer:
    """A ``gc.callbacks`` hook: the time spent in collections and how many there were."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.collections = 0
        self._started = 0.0

    def __call__(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started
            self.collections += 1


async def _post(app: Any, body: bytes) -> bytes:
    """One POST /graphql through the ASGI app; the response body (fails on a non-200)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-type", b"application/json"),
            (b"accept", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 4999),
    }
    sent = False
    status = 0
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.Event().wait()  # the client never disconnects
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    answer = b"".join(chunks)
    if status != 200:  # noqa: PLR2004 - HTTP OK
        raise SystemExit(f"the router answered {status}: {answer[:500]!r}")
    return answer


class _Bodies:
    """The TestQuery every time, or (``new``) a new variant of it every time."""

    def __init__(self, *, new: bool) -> None:
        self.variants = variants(QUERY, 200) if new else []
        self.sent = 0

    def next(self) -> bytes:
        self.sent += 1
        if not self.variants:
            return BODY
        return self.variants[self.sent % len(self.variants)].filled(self.sent)


async def _run(app: Any, requests: int, concurrency: int, bodies: _Bodies) -> None:
    queue = iter(range(requests))

    async def worker() -> None:
        for _ in queue:
            await _post(app, bodies.next())

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def measure(supergraph: Path, arguments: argparse.Namespace) -> None:
    settings = Settings(
        cache_ttl=0, rate_limit_per_minute=1_000_000_000, kcp_cost_budget=1_000_000, kcp_log_level="warning"
    )
    app = create_app(settings, supergraph)
    async with app.router.lifespan_context(app):
        answer = json.loads(await _post(app, BODY))
        if "errors" in answer:
            raise SystemExit(f"the TestQuery answered errors: {answer['errors'][:3]}")
        bodies = _Bodies(new=arguments.new_documents)
        await _run(app, WARMUP_REQUESTS, arguments.concurrency, bodies)
        if arguments.gc_threshold:
            gc.collect()
            gc.freeze()
            gc.set_threshold(arguments.gc_threshold, 10, 10)
        else:
            tune_garbage_collection()  # as router.app.run does
        collecting = _CollectionTimer()
        gc.callbacks.append(collecting)
        profiler = cProfile.Profile() if arguments.profile else None
        cpu_before, wall_before = time.process_time(), time.perf_counter()
        if profiler is not None:
            profiler.enable()
        await _run(app, arguments.requests, arguments.concurrency, bodies)
        if profiler is not None:
            profiler.disable()
        cpu, wall = time.process_time() - cpu_before, time.perf_counter() - wall_before
        gc.callbacks.remove(collecting)
    print(
        f"{arguments.requests} {'new documents' if arguments.new_documents else 'TestQuery requests'}, "
        f"{arguments.concurrency} at a time: "
        f"{cpu * 1000 / arguments.requests:.2f} ms CPU per request, {arguments.requests / wall:.0f} req/s; "
        f"garbage collection {collecting.seconds * 1000 / arguments.requests:.2f} ms per request "
        f"({collecting.collections / arguments.requests:.1f} collections)"
    )
    if profiler is not None:
        profiler.dump_stats(arguments.profile)
        print(f"profile written to {arguments.profile}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.router_profile", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="measured requests (default 300)")
    parser.add_argument("--concurrency", type=int, default=10, help="requests in flight at once (default 10)")
    parser.add_argument("--gc-threshold", type=int, help="try this gen-0 threshold instead of the router's")
    parser.add_argument("--new-documents", action="store_true", help="a new variant of the TestQuery every request")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the measured requests here")
    arguments = parser.parse_args()
    gateway_cpu, load_cpu = cpus()
    os.sched_setaffinity(0, {gateway_cpu})
    with tempfile.TemporaryDirectory(prefix="kcp-router-profile-") as folder:
        work = Path(folder)
        port = free_port()
        supergraph = work / "supergraph.graphql"
        sdl = (HERE / "supergraph.graphql").read_text(encoding="utf-8")
        supergraph.write_text(sdl.replace(COMMITTED_SUBGRAPHS_URL, f"http://127.0.0.1:{port}"), encoding="utf-8")
        command = ["node", "subgraphs/server.mjs", str(port)]
        subgraphs = Service.start("subgraphs", command, cpu=load_cpu, log=work / "subgraphs.log", cwd=HERE)
        try:
            subgraphs.wait_until_answering(f"http://127.0.0.1:{port}/health")
            uvloop.run(measure(supergraph, arguments))  # the event loop the router serves on
        finally:
            subgraphs.stop()


if __name__ == "__main__":
    main()

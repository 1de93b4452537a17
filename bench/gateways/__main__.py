"""The gateways benchmark: our router, Apollo Gateway, Hive Gateway and Hive Gateway on its Rust
query planner, on the same supergraph and subgraphs, under the public gateways benchmark's load.

Run: make bench-gateways   (or: .venv/bin/python -m bench.gateways [--seconds 10])

Each gateway is one process pinned to one CPU with taskset; wrk (50 connections, one thread) and
the subgraphs share the other CPU. Per gateway it prints requests/s, p50/p99 latency, and CPU ms
per request: the gateway process's CPU time (from /proc) over the requests it answered, the figure
a busy machine disturbs least. Every gateway's answer to the TestQuery (~87 KB) is compared with
our router's. Then our router's cold plan against a plan-cache hit, its RSS after the run, and
a second round with in-flight deduplication on: ours against Hive Gateway's Rust planner.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bench.gateways.gateways import DEDUPLICATING, HERE, STANDARD
from bench.gateways.load import Load, require_wrk, run_wrk
from bench.gateways.plan_timing import plan_timings_ms
from bench.gateways.processes import Service, cpus
from kcp.ports import free_port

if TYPE_CHECKING:
    from bench.gateways.gateways import Gateway

SUPERGRAPH = HERE / "supergraph.graphql"
COMMITTED_SUBGRAPHS_URL = "http://127.0.0.1:4200"
QUERY = (HERE / "test_query.graphql").read_text(encoding="utf-8")
WARMUP_ROUNDS = 8


@dataclass(frozen=True, slots=True)
class Measured:
    gateway: Gateway
    load: Load
    cpu_seconds: float
    rss_mib: float
    same_answer: bool

    @property
    def cpu_ms_per_request(self) -> float:
        return self.cpu_seconds * 1000 / self.load.requests if self.load.requests else float("nan")


def install_node_packages() -> None:
    """``npm ci`` into bench/gateways/node_modules when the lockfile is newer than the install."""
    stamp = HERE / "node_modules" / ".installed"
    lock = HERE / "package-lock.json"
    if stamp.exists() and stamp.stat().st_mtime >= lock.stat().st_mtime:
        return
    print("installing the gateways and subgraph packages (npm ci, once)...", flush=True)
    command = ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    subprocess.run(command, cwd=HERE, check=True)
    stamp.touch()


def post(url: str, body: bytes) -> bytes:
    request = urllib.request.Request(  # noqa: S310 - our own loopback URL
        url, data=body, headers={"content-type": "application/json", "accept": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return bytes(response.read())


def measure(  # noqa: PLR0913 - one run's settings
    gateway: Gateway,
    supergraph: Path,
    body_file: Path,
    reference: object,
    logs: Path,
    *,
    arguments: argparse.Namespace,
) -> tuple[Measured, object]:
    gateway_cpu, load_cpu = cpus()
    port = free_port()
    environment = {key: value.format(port=port) for key, value in gateway.environment.items()}
    service = Service.start(
        gateway.name,
        gateway.command_line(supergraph, port),
        cpu=gateway_cpu,
        log=logs / f"{gateway.name.replace(' ', '-')}.log",
        cwd=gateway.cwd,
        environment=environment,
    )
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        body = body_file.read_bytes()
        service.wait_until_answering(url, body)
        answer = json.loads(post(url, body))
        reference = answer if reference is None else reference
        warm_up(url, body_file, load_cpu, arguments)
        cpu_before = service.cpu_seconds()
        load = run_wrk(url, body_file, cpu=load_cpu, connections=arguments.connections, seconds=arguments.seconds)
        cpu = service.cpu_seconds() - cpu_before
        rss = service.rss_mib()
    finally:
        service.stop()
    # Same data, same field order: compare the canonical serialisations.
    same = json.dumps(answer) == json.dumps(reference) and "errors" not in answer
    return Measured(gateway, load, cpu, rss, same), reference


def warm_up(url: str, body_file: Path, load_cpu: int, arguments: argparse.Namespace) -> None:
    """Unmeasured load until ``--warmup-requests`` were answered (JITs compile, caches fill), in
    rounds of ``--warmup`` seconds, at most ``WARMUP_ROUNDS`` of them on a very slow machine."""
    answered = 0
    for _ in range(WARMUP_ROUNDS):
        if answered >= arguments.warmup_requests or arguments.warmup <= 0:
            return
        load = run_wrk(url, body_file, cpu=load_cpu, connections=arguments.connections, seconds=arguments.warmup)
        answered += load.requests


def print_table(title: str, rows: list[Measured], apollo_cpu: float | None) -> None:
    print(f"\n{title}")
    header = (
        f"{'gateway':<40}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'failed':>8}{'CPU ms/req':>12}{'vs Apollo':>11}  answer"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        answered = row.load.requests > 0
        ratio = f"{row.cpu_ms_per_request / apollo_cpu:.2f}x" if apollo_cpu and answered else "-"
        cpu = f"{row.cpu_ms_per_request:>12.2f}" if answered else f"{'none answered':>12}"
        print(
            f"{row.gateway.name:<40}{row.load.rps:>8.0f}{row.load.p50_ms:>9.1f}{row.load.p99_ms:>9.1f}"
            f"{row.load.failed:>8}{cpu}{ratio:>11}  "
            + ("same as ours" if row.same_answer else "DIFFERS (or has errors)")
        )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.gateways", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="measured load per gateway (default 10)")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of a warm-up round (default 3)")
    parser.add_argument(
        "--warmup-requests", type=int, default=300, help="warm-up rounds until this many answers (default 300)"
    )
    parser.add_argument("--connections", type=int, default=50, help="wrk connections (default 50)")
    parser.add_argument("--no-dedup", action="store_true", help="skip the round with deduplication on")
    parser.add_argument("--json", type=Path, help="also write the measured rows to this JSON file")
    arguments = parser.parse_args()
    require_wrk()
    install_node_packages()
    gateway_cpu, load_cpu = cpus()
    if gateway_cpu == load_cpu:
        print("warning: one CPU only; gateway and load share it", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="kcp-bench-gateways-") as folder:
        work = Path(folder)
        subgraph_port = free_port()
        supergraph = work / "supergraph.graphql"
        supergraph.write_text(
            SUPERGRAPH.read_text(encoding="utf-8").replace(
                COMMITTED_SUBGRAPHS_URL, f"http://127.0.0.1:{subgraph_port}"
            ),
            encoding="utf-8",
        )
        body_file = work / "body.json"
        body_file.write_text(json.dumps({"query": QUERY, "operationName": "TestQuery"}), encoding="utf-8")
        command = ["node", "subgraphs/server.mjs", str(subgraph_port)]
        subgraphs = Service.start("subgraphs", command, cpu=load_cpu, log=work / "subgraphs.log", cwd=HERE)
        try:
            subgraphs.wait_until_answering(f"http://127.0.0.1:{subgraph_port}/health")
            reference: object = None
            standard: list[Measured] = []
            for gateway in STANDARD:
                print(f"measuring {gateway.name}...", flush=True)
                measured, reference = measure(gateway, supergraph, body_file, reference, work, arguments=arguments)
                standard.append(measured)
            deduplicating: list[Measured] = []
            if not arguments.no_dedup:
                for gateway in DEDUPLICATING:
                    print(f"measuring {gateway.name}...", flush=True)
                    measured, reference = measure(gateway, supergraph, body_file, reference, work, arguments=arguments)
                    deduplicating.append(measured)
        finally:
            subgraphs.stop()
    print_report(standard, deduplicating, reference, gateway_cpu, load_cpu, arguments)
    if arguments.json is not None:
        rows = [
            {
                "gateway": row.gateway.name,
                "requests": row.load.requests,
                "seconds": row.load.seconds,
                "rps": row.load.rps,
                "p50_ms": row.load.p50_ms,
                "p99_ms": row.load.p99_ms,
                "failed": row.load.failed,
                "cpu_ms_per_request": row.cpu_ms_per_request,
                "rss_mib": row.rss_mib,
                "same_answer": row.same_answer,
            }
            for row in (*standard, *deduplicating)
        ]
        arguments.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


def print_report(  # noqa: PLR0913, PLR0917 - everything the run measured
    standard: list[Measured],
    deduplicating: list[Measured],
    reference: object,
    gateway_cpu: int,
    load_cpu: int,
    arguments: argparse.Namespace,
) -> None:
    from router.supergraph import load_supergraph_file  # noqa: PLC0415 - only for the in-process timing

    cold_ms, hit_ms = plan_timings_ms(load_supergraph_file(SUPERGRAPH), QUERY)
    apollo = next((row for row in standard if row.gateway.name == "apollo gateway"), None)
    apollo_cpu = apollo.cpu_ms_per_request if apollo and apollo.load.requests else None
    size = len(json.dumps(reference, separators=(",", ":")))
    print(
        f"\nTestQuery, {size / 1024:.0f} KiB response; {arguments.connections} connections, "
        f"{arguments.seconds:g} s measured after >= {arguments.warmup_requests} warm-up requests per gateway; "
        f"gateway on CPU {gateway_cpu}, wrk and subgraphs on CPU {load_cpu}"
    )
    print_table("deduplication off", standard, apollo_cpu)
    if deduplicating:
        print_table("in-flight deduplication on", deduplicating, apollo_cpu)
    ours = standard[0]
    print(f"\nkcp router: cold plan (parse + validate + plan) {cold_ms:.2f} ms, plan-cache hit {hit_ms:.3f} ms")
    rss = f"kcp router: RSS after its run {ours.rss_mib:.0f} MiB"
    if deduplicating:
        rss += f", with dedup on {deduplicating[0].rss_mib:.0f} MiB"
    print(rss)
    if apollo_cpu:
        ratio = ours.cpu_ms_per_request / apollo_cpu
        print(f"kcp router CPU per request: {ratio:.2f}x Apollo Gateway's (target <= 0.25x)")
    if deduplicating:
        ours_rps, hive_rps = deduplicating[0].load.rps, deduplicating[1].load.rps
        print(f"dedup on: kcp router {ours_rps:.0f} req/s, Hive Gateway (rust planner) {hive_rps:.0f} req/s")


if __name__ == "__main__":
    main()

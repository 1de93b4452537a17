"""The gateways benchmark: our router, Apollo Gateway, Hive Gateway and Hive Gateway on its Rust
query planner, on the same supergraph and subgraphs, under the public gateways benchmark's load.

Run: make bench-gateways   (or: .venv/bin/python -m bench.gateways [--seconds 10])

Each gateway is one process pinned to one CPU with taskset; wrk (50 connections, one thread) and
the subgraphs share the other CPU. Two rounds: the TestQuery every request, then a new document
every request (variants of the TestQuery, ``variants.py``). Per gateway it prints requests/s,
p50/p99 latency, CPU ms per request (the gateway process's CPU time from /proc over the requests
it answered, the figure a busy machine disturbs least) against Apollo Gateway's and Hive Gateway
(Rust planner)'s, and the subgraph calls per client request. Every gateway's answer to the
TestQuery (~87 KB) is compared with our router's, and its answer to every variant, aliases mapped
back, with its TestQuery answer. Then our router's plan timings beside the baseline revision's,
its RSS after the run, and a round with client-level deduplication on: ours against Hive Gateway's
Rust planner.
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
from bench.gateways.plan_timing import baseline_timings_ms, describe, plan_timings_ms
from bench.gateways.processes import Service, cpus
from bench.gateways.variants import Variant, variants
from kcp.ports import free_port

if TYPE_CHECKING:
    from collections.abc import Callable

    from bench.gateways.gateways import Gateway

SUPERGRAPH = HERE / "supergraph.graphql"
COMMITTED_SUBGRAPHS_URL = "http://127.0.0.1:4200"
QUERY = (HERE / "test_query.graphql").read_text(encoding="utf-8")
WARMUP_ROUNDS = 8
VARIANTS = 200  # each checked against every gateway; the request counter makes each request new
# Each wrk run of the new-document round numbers its documents from its own multiple of this.
COUNTER_STRIDE = 10_000_000
SUBGRAPH_DEDUP_NOTE = (
    "subgraph in-flight deduplication as each gateway ships it: kcp router on "
    "(KCP_DEDUPLICATE_SUBGRAPH_REQUESTS), Hive Gateway on (its HTTP executor's "
    "deduplicateInflightRequests), Apollo Gateway none; see 'subgraph calls/req'"
)


@dataclass(frozen=True, slots=True)
class Workload:
    """What a round sends: the TestQuery every request, or a new variant every request."""

    name: str
    body_file: Path
    variants: tuple[Variant, ...] = ()

    @property
    def new_documents(self) -> bool:
        return bool(self.variants)


@dataclass(frozen=True, slots=True)
class Measured:
    gateway: Gateway
    load: Load
    cpu_seconds: float
    rss_mib: float
    same_answer: bool
    subgraph_calls: int

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


class Counter:
    """Numbers the new-document round's wrk runs apart, so no document repeats in a bench run."""

    def __init__(self) -> None:
        self.runs = 0

    def next(self) -> int:
        self.runs += 1
        return self.runs * COUNTER_STRIDE


def subgraph_requests(subgraphs_url: str) -> int:
    with urllib.request.urlopen(f"{subgraphs_url}/stats", timeout=10) as response:  # noqa: S310 - loopback
        return int(json.loads(response.read())["requests"])


def measure(  # noqa: PLR0913 - one run's settings
    gateway: Gateway,
    supergraph: Path,
    workload: Workload,
    reference: object,
    logs: Path,
    *,
    subgraphs_url: str,
    counter: Counter,
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
    query_body = json.dumps({"query": QUERY, "operationName": "TestQuery"}).encode()
    try:
        service.wait_until_answering(url, query_body)
        answer = json.loads(post(url, query_body))
        reference = answer if reference is None else reference
        same = json.dumps(answer) == json.dumps(reference) and "errors" not in answer
        if workload.new_documents:
            same = same and all(variant_answers_match(url, variant, answer) for variant in workload.variants)
        first: Callable[[], int | None] = counter.next if workload.new_documents else (lambda: None)
        warm_up(url, workload.body_file, load_cpu, first, arguments)
        cpu_before, calls_before = service.cpu_seconds(), subgraph_requests(subgraphs_url)
        load = run_wrk(
            url,
            workload.body_file,
            cpu=load_cpu,
            connections=arguments.connections,
            seconds=arguments.seconds,
            first=first(),
        )
        cpu = service.cpu_seconds() - cpu_before
        calls = subgraph_requests(subgraphs_url) - calls_before
        rss = service.rss_mib()
    finally:
        service.stop()
    # Same data, same field order: compare the canonical serialisations.
    return Measured(gateway, load, cpu, rss, same, calls), reference


def variant_answers_match(url: str, variant: Variant, canonical: object) -> bool:
    """Whether the gateway's answer to ``variant``, aliases mapped back, is its TestQuery answer
    (as dictionaries: a variant orders its fields its own way)."""
    counter = 1  # checks use numbers below any wrk run's (COUNTER_STRIDE onwards)
    answer = json.loads(post(url, variant.filled(counter)))
    return "errors" not in answer and variant.unalias(answer, counter) == canonical


def warm_up(
    url: str, body_file: Path, load_cpu: int, first: Callable[[], int | None], arguments: argparse.Namespace
) -> None:
    """Unmeasured load until ``--warmup-requests`` were answered (JITs compile, caches fill), in
    rounds of ``--warmup`` seconds, at most ``WARMUP_ROUNDS`` of them on a very slow machine."""
    answered = 0
    for _ in range(WARMUP_ROUNDS):
        if answered >= arguments.warmup_requests or arguments.warmup <= 0:
            return
        load = run_wrk(
            url, body_file, cpu=load_cpu, connections=arguments.connections, seconds=arguments.warmup, first=first()
        )
        answered += load.requests


def print_table(title: str, rows: list[Measured], apollo_cpu: float | None, hive_rust_cpu: float | None) -> None:
    print(f"\n{title}")
    header = (
        f"{'gateway':<40}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'failed':>8}{'CPU ms/req':>12}"
        f"{'vs Apollo':>11}{'vs Hive Rust':>14}{'subgraph calls/req':>20}  answer"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        answered = row.load.requests > 0
        cpu_ms = row.cpu_ms_per_request
        versus_apollo = f"{cpu_ms / apollo_cpu:.2f}x" if apollo_cpu and answered else "-"
        versus_hive = f"{cpu_ms / hive_rust_cpu:.2f}x" if hive_rust_cpu and answered else "-"
        cpu = f"{cpu_ms:>12.2f}" if answered else f"{'none answered':>12}"
        calls = f"{row.subgraph_calls / row.load.requests:.2f}" if answered else "-"
        print(
            f"{row.gateway.name:<40}{row.load.rps:>8.0f}{row.load.p50_ms:>9.1f}{row.load.p99_ms:>9.1f}"
            f"{row.load.failed:>8}{cpu}{versus_apollo:>11}{versus_hive:>14}{calls:>20}  "
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
    parser.add_argument("--no-dedup", action="store_true", help="skip the round with client deduplication on")
    parser.add_argument("--no-new-documents", action="store_true", help="skip the new-document round")
    parser.add_argument("--baseline", default="main", help="git revision whose plan timings to print (default main)")
    parser.add_argument("--json", type=Path, help="also write the measured rows to this JSON file")
    arguments = parser.parse_args()
    require_wrk()
    install_node_packages()
    gateway_cpu, load_cpu = cpus()
    if gateway_cpu == load_cpu:
        print("warning: one CPU only; gateway and load share it", file=sys.stderr)
    rounds: dict[str, list[Measured]] = {}
    with tempfile.TemporaryDirectory(prefix="kcp-bench-gateways-") as folder:
        work = Path(folder)
        subgraph_port = free_port()
        subgraphs_url = f"http://127.0.0.1:{subgraph_port}"
        supergraph = work / "supergraph.graphql"
        supergraph.write_text(
            SUPERGRAPH.read_text(encoding="utf-8").replace(COMMITTED_SUBGRAPHS_URL, subgraphs_url), encoding="utf-8"
        )
        body_file = work / "body.json"
        body_file.write_text(json.dumps({"query": QUERY, "operationName": "TestQuery"}), encoding="utf-8")
        made = tuple(variants(QUERY, VARIANTS))
        variants_file = work / "variants.jsonl"
        variants_file.write_text("".join(variant.body + "\n" for variant in made), encoding="utf-8")
        workloads: list[tuple[tuple[Gateway, ...], Workload]] = [
            (STANDARD, Workload("the same TestQuery every request", body_file))
        ]
        if not arguments.no_new_documents:
            workloads.append((STANDARD, Workload("a new document every request", variants_file, made)))
        if not arguments.no_dedup:
            workloads.append((DEDUPLICATING, Workload("client-level deduplication on, the same TestQuery", body_file)))
        command = ["node", "subgraphs/server.mjs", str(subgraph_port)]
        subgraphs = Service.start("subgraphs", command, cpu=load_cpu, log=work / "subgraphs.log", cwd=HERE)
        counter = Counter()
        try:
            subgraphs.wait_until_answering(f"{subgraphs_url}/health")
            reference: object = None
            for gateways, workload in workloads:
                rows = rounds[workload.name] = []
                for gateway in gateways:
                    print(f"{workload.name}: measuring {gateway.name}...", flush=True)
                    measured, reference = measure(
                        gateway,
                        supergraph,
                        workload,
                        reference,
                        work,
                        subgraphs_url=subgraphs_url,
                        counter=counter,
                        arguments=arguments,
                    )
                    rows.append(measured)
        finally:
            subgraphs.stop()
    print_report(rounds, reference, gateway_cpu, load_cpu, arguments)
    if arguments.json is not None:
        rows_out = [
            {
                "round": name,
                "gateway": row.gateway.name,
                "requests": row.load.requests,
                "seconds": row.load.seconds,
                "rps": row.load.rps,
                "p50_ms": row.load.p50_ms,
                "p99_ms": row.load.p99_ms,
                "failed": row.load.failed,
                "cpu_ms_per_request": row.cpu_ms_per_request,
                "subgraph_calls_per_request": row.subgraph_calls / row.load.requests if row.load.requests else None,
                "rss_mib": row.rss_mib,
                "same_answer": row.same_answer,
            }
            for name, rows in rounds.items()
            for row in rows
        ]
        arguments.json.write_text(json.dumps(rows_out, indent=2) + "\n", encoding="utf-8")


def _cpu_of(rows: list[Measured], name: str) -> float | None:
    row = next((row for row in rows if row.gateway.name == name), None)
    return row.cpu_ms_per_request if row is not None and row.load.requests else None


def print_report(
    rounds: dict[str, list[Measured]], reference: object, gateway_cpu: int, load_cpu: int, arguments: argparse.Namespace
) -> None:
    from router.supergraph import load_supergraph_file  # noqa: PLC0415 - only for the in-process timing

    timings = plan_timings_ms(load_supergraph_file(SUPERGRAPH), QUERY)
    baseline = baseline_timings_ms(arguments.baseline)
    size = len(json.dumps(reference, separators=(",", ":")))
    print(
        f"\nTestQuery, {size / 1024:.0f} KiB response; {arguments.connections} connections, "
        f"{arguments.seconds:g} s measured after >= {arguments.warmup_requests} warm-up requests per gateway; "
        f"gateway on CPU {gateway_cpu}, wrk and subgraphs on CPU {load_cpu}"
    )
    print(SUBGRAPH_DEDUP_NOTE)
    print(
        f"a new document every request: {VARIANTS} variants of the TestQuery (fields shuffled, fragments "
        "renamed or inlined, aliases, operation names), each request's names numbered anew, so every "
        "request of the round is a distinct document; every variant's answer, aliases mapped back, "
        "checked against the TestQuery's"
    )
    standard = next(iter(rounds.values()))
    apollo_cpu, hive_rust_cpu = _cpu_of(standard, "apollo gateway"), _cpu_of(standard, "hive gateway (rust planner)")
    for name, rows in rounds.items():
        if name != "client-level deduplication on, the same TestQuery":
            apollo_cpu = _cpu_of(rows, "apollo gateway")
            hive_rust_cpu = _cpu_of(rows, "hive gateway (rust planner)")
        print_table(name, rows, apollo_cpu, hive_rust_cpu)
    print(f"\nkcp router: {describe(timings)}")
    print(f"  baseline {arguments.baseline}: {baseline if isinstance(baseline, str) else describe(baseline)}")
    ours = standard[0]
    print(f"kcp router: RSS after its TestQuery run {ours.rss_mib:.0f} MiB")
    for name, rows in rounds.items():
        if name == "client-level deduplication on, the same TestQuery":
            ours_rps, hive_rps = rows[0].load.rps, rows[1].load.rps
            print(f"client dedup on: kcp router {ours_rps:.0f} req/s, Hive Gateway (rust planner) {hive_rps:.0f} req/s")
            continue
        apollo, hive = _cpu_of(rows, "apollo gateway"), _cpu_of(rows, "hive gateway (rust planner)")
        if apollo and hive and rows[0].load.requests:
            mine = rows[0].cpu_ms_per_request
            print(
                f"{name}: kcp router {mine:.2f} CPU ms/req, {mine / apollo:.2f}x Apollo Gateway's, "
                f"{mine / hive:.2f}x Hive Gateway (Rust planner)'s"
            )


if __name__ == "__main__":
    main()

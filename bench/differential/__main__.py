"""The long differential run: ``python -m bench.differential`` (``make differential``).

Seeds the demo data into a fresh folder (or reuses ``--data-dir``), starts the platform on free
ports with its rate limit and subgraph timeout raised out of the way, starts Apollo Gateway over the same subgraphs,
sends ``--count`` generated operations to both (anonymous and as each demo role in turn), and
prints the counts per role, what explained each explained difference, and every unexplained one.
Exits 1 when any difference is unexplained.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import demo
from bench.differential.apollo import ApolloGateway
from bench.differential.run import DIVERGENCES_OFF, ROLES, Difference, Report, operations, run
from commands.launcher import start_platform_on_free_ports
from commands.subgraphs import SUBGRAPHS
from router.supergraph import load_supergraph_file

PROGRESS_EVERY = 500
# The knowledge service loads its embedding model and index at start: on a busy machine that takes
# longer than the launcher's default 90 s.
STARTUP_SECONDS = 300.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.differential", description=__doc__)
    parser.add_argument("--count", type=int, default=10_000, help="operations to send (default 10000)")
    parser.add_argument("--seed", type=int, default=20261207, help="the RNG seed that names the operations")
    parser.add_argument("--concurrency", type=int, default=4, help="operations in flight at once")
    parser.add_argument("--data-dir", type=Path, help="a seeded KCP_DATA_DIR to reuse (default: seed a fresh one)")
    parser.add_argument(
        "--only",
        type=lambda text: frozenset(int(index) for index in text.split(",")),
        help="send only the operations at these indices, comma-separated (each as the role its index gives)",
    )
    arguments = parser.parse_args(argv)
    # Stopped with SIGTERM, the platform and the gateway still stop (the finally clauses run).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with tempfile.TemporaryDirectory(prefix="kcp-differential-") as scratch:
        data_dir = arguments.data_dir or Path(scratch) / "data"
        if not (data_dir.exists() and any(data_dir.iterdir())):
            _print(f"seeding the demo data into {data_dir}")
            data_dir.mkdir(parents=True, exist_ok=True)
            environment = {**os.environ, "KCP_DATA_DIR": str(data_dir)}
            subprocess.run([sys.executable, "-m", "commands", "seed"], env=environment, check=True, capture_output=True)
        logs = Path(scratch) / "logs"
        logs.mkdir()
        _print(f"starting the platform (logs in {logs})")
        platform = start_platform_on_free_ports(
            environment={"KCP_DATA_DIR": str(data_dir), **DIVERGENCES_OFF},
            log_dir=logs,
            timeout=STARTUP_SECONDS,
        )
        try:
            return _compare(platform.router_url, {n: platform.url(n) + "/graphql" for n in SUBGRAPHS}, logs, arguments)
        finally:
            platform.stop()


def _compare(router_url: str, subgraphs: dict[str, str], logs: Path, arguments: argparse.Namespace) -> int:
    schema = load_supergraph_file(logs / "supergraph.graphql").api_schema
    data = demo.generate()
    _print(f"drawing {arguments.count} operations (seed {arguments.seed})")
    ops = operations(schema, data, seed=arguments.seed, count=arguments.count)
    with (logs / "apollo-gateway.log").open("wb") as log:
        _print("starting Apollo Gateway over the same subgraphs")
        gateway = ApolloGateway(subgraphs, log)
        try:
            started = time.monotonic()

            def progress(done: int) -> None:
                if done % PROGRESS_EVERY == 0 or done == len(ops):
                    _print(f"{done}/{len(ops)} operations compared ({time.monotonic() - started:.0f} s)")

            def found(difference: Difference) -> None:
                _print(f"unexplained difference at operation {difference.index} (as {difference.role}):")
                print(difference.operation.query, difference.operation.variables, difference.detail, file=sys.stderr)

            report = asyncio.run(
                run(
                    router_url,
                    gateway.url,
                    ops,
                    password=data.demo_password,
                    concurrency=arguments.concurrency,
                    progress=progress,
                    found=found,
                    only=arguments.only,
                )
            )
        finally:
            gateway.stop()
    _print_report(report, arguments.seed)
    return 1 if report.differences else 0


def _print_report(report: Report, seed: int) -> None:
    print(f"\nour router vs Apollo Gateway, seed {seed}")
    print(f"{'role':<10} {'operations':>10} {'same':>6} {'explained':>9} {'unexplained':>11}")
    explained_by: dict[str, int] = {}
    for role in ROLES:
        counts = report.by_role.get(role)
        if counts is None:
            continue
        explained = sum(counts.explained.values())
        print(f"{role:<10} {counts.operations:>10} {counts.same:>6} {explained:>9} {counts.different:>11}")
        for rule, count in counts.explained.items():
            explained_by[rule] = explained_by.get(rule, 0) + count
    for rule, count in sorted(explained_by.items()):
        print(f"explained by rule: {rule}: {count}")
    for number, difference in enumerate(report.differences, 1):
        print(f"\n--- unexplained difference {number}: operation {difference.index}, as {difference.role}")
        print(difference.operation.query)
        if difference.operation.variables:
            print(f"variables: {difference.operation.variables}")
        print(difference.detail)
    print(f"\n{len(report.differences)} unexplained differences in {report.operations} operations")


def _print(message: str) -> None:
    print(f"differential: {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())

"""Fault campaign: the platform on real store servers under a steady mixed load through the router,
while a subgraph is killed (SIGKILL) and restarted, one is paused (SIGSTOP) and resumed, one
answers garbage through a loopback proxy, and Redis, PostgreSQL, FerretDB and Neo4j are stopped
in turn and started again. Prints a table: fault, time to get the thing back, time until every
kind of request is clean again, acknowledged writes during the fault and how many of them were
lost, what clients saw, what ``/ready`` said. Exit status 1 when anything expected did not hold.

    make faults                        # own servers in /tmp/kcp-faults, 15 s faults, 30 s SIGSTOP (~5 min)
    make faults ARGS=--short           # 8 s faults, 12 s SIGSTOP
    .venv/bin/python -m bench.faults --short --stores relays   # the CI tier's form: the configured
                                       # servers behind relays that are cut (no server is stopped)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.faults.campaign import campaign, print_table
from bench.faults.relays import Relay
from bench.faults.stores import StoreControl
from commands.launcher import start_platform_on_free_ports
from kcp.ports import free_port
from router.readiness import KEEP_ANSWER_SECONDS, PROBE_TIMEOUT_SECONDS

DEFAULT_PORTS = "postgres=19432,redis=19379,mongo=19017,neo4j=19687"
# A /ready keeps its subgraph probes' answer KEEP_ANSWER_SECONDS, and a probe may take its timeout:
# a fault shorter than both can rightly go unseen by /ready (4 s did, in CI, when the previous
# fault's recovery had just refreshed the answer). The short form's faults outlast them.
SHORT_HOLD = KEEP_ANSWER_SECONDS + PROBE_TIMEOUT_SECONDS + 1.0


def parse_ports(text: str) -> dict[str, int]:
    pairs = (item.split("=", 1) for item in text.split(",") if item)
    return {name.strip(): int(port) for name, port in pairs}


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--short", action="store_true", help="8 s faults, 12 s SIGSTOP: the CI tier's form")
    parser.add_argument("--stores", choices=["servers", "relays"], default="servers")
    parser.add_argument("--services-dir", type=Path, default=Path(os.environ.get("KCP_FAULTS_DIR", "/tmp/kcp-faults")))  # noqa: S108 - scripts/services' convention
    parser.add_argument("--ports", default=os.environ.get("KCP_FAULTS_PORTS", DEFAULT_PORTS))
    parser.add_argument("--hold", type=float, help="seconds each fault lasts (default 15; --short 8)")
    parser.add_argument("--pause", type=float, help="seconds of SIGSTOP (default 30; --short 12)")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--recovery-limit", type=float, default=90.0)
    arguments = parser.parse_args()
    hold = arguments.hold if arguments.hold is not None else (SHORT_HOLD if arguments.short else 15.0)
    # Even the short pause outlasts the router's subgraph timeout (10 s): clients see it time out.
    pause = arguments.pause if arguments.pause is not None else (12.0 if arguments.short else 30.0)

    if arguments.stores == "servers":
        print(f"faults: starting the campaign's own store servers in {arguments.services_dir}", flush=True)
        stores = StoreControl.own_servers(arguments.services_dir, parse_ports(arguments.ports))
    else:
        stores = StoreControl.relayed()
    stores.prepare()
    try:
        with tempfile.TemporaryDirectory(prefix="kcp-faults-") as folder:
            data_dir = Path(folder)
            environment = {
                **os.environ,
                **stores.environment(),
                "KCP_DATA_DIR": str(data_dir),
                "KCP_LOG_LEVEL": "warning",
                # One client address sends all anonymous traffic: the per-client limit would refuse it.
                "RATE_LIMIT_PER_MINUTE": "1000000000",
                "KCP_JWT_TTL_SECONDS": "7200",
            }
            print("faults: seeding the demo data into the stores", flush=True)
            subprocess.run([sys.executable, "-m", "commands", "seed"], env=environment, check=True, capture_output=True)
            analytics_port = free_port()
            garbler = Relay(("127.0.0.1", analytics_port))
            garbler.open()
            platform = start_platform_on_free_ports(
                environment=environment,
                log_dir=data_dir,
                ports={"analytics": analytics_port},
                router_routes={"analytics": f"http://127.0.0.1:{garbler.port}/graphql"},
            )
            print(f"faults: platform up (router {platform.router_url}); load and faults begin", flush=True)
            try:
                results, record, lost = asyncio.run(
                    campaign(
                        platform,
                        stores,
                        garbler,
                        hold=hold,
                        pause=pause,
                        concurrency=arguments.concurrency,
                        recovery_limit=arguments.recovery_limit,
                    )
                )
                died = [(name, code) for name, code in platform.exited()]
            finally:
                platform.stop()
                garbler.cut()
    finally:
        stores.cleanup()
    print_table(results, record, lost)
    if died:
        print(f"FAILED processes died: {died}")
    failed = bool(died or lost or any(result.problems for result in results))
    print("\nfault campaign: " + ("FAILED" if failed else "every fault held its expectations"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

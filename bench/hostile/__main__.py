"""``python -m bench.hostile [--seconds 90] [--seed 7]``: the hostile run against the whole platform.

Seeds the demo data into a scratch folder, starts the five subgraphs and the router on ports
18100-18105 (embedded stores; direct access to the subgraphs, as ``make dev`` has it; the router's
rate limit raised so it does not answer everything with 429), then attacks each process in turn
for ``--seconds`` and prints one row per process. Exits 1 when a process answered a 5xx, a
non-JSON body or timed out, or its peak RSS passed 1.5x its RSS after warm-up.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.hostile.run import HEADER_ROW, Tally, attack
from commands.launcher import start_platform
from commands.subgraphs import SUBGRAPHS

PORTS = {name: 18101 + i for i, name in enumerate(SUBGRAPHS)} | {"router": 18100}
MAX_RATIO = 1.5


def failed(tally: Tally) -> bool:
    return bool(tally.server_errors or tally.non_json or tally.timeouts or tally.ratio >= MAX_RATIO)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=90.0, help="per process (default 90)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--only", default=",".join(PORTS), help="comma-separated processes to attack (default: all six)"
    )
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kcp-hostile-") as scratch:
        data = Path(scratch)
        environment = {
            "KCP_DATA_DIR": str(data / "data"),
            "RATE_LIMIT_PER_MINUTE": "10000000",
            "KCP_LOG_LEVEL": "warning",
        }
        print("seeding the demo data ...", flush=True)
        subprocess.run(
            [sys.executable, "-m", "commands", "seed"],
            env={**os.environ, **environment},
            check=True,
            capture_output=True,
        )
        (data / "logs").mkdir()
        platform = start_platform(
            ports=PORTS, environment=environment, log_dir=data / "logs", supergraph_out=data / "supergraph.graphql"
        )
        try:
            tallies = []
            chosen = arguments.only.split(",")
            for name in [process for process in ["router", *SUBGRAPHS] if process in chosen]:
                url = platform.router_url if name == "router" else platform.url(name) + "/graphql"
                print(f"attacking {name} for {arguments.seconds:g} s ...", flush=True)
                tallies.append(
                    asyncio.run(
                        attack(
                            name,
                            url,
                            platform.processes[name].process.pid,
                            seconds=arguments.seconds,
                            seed=arguments.seed,
                        )
                    )
                )
            dead = platform.exited()
        finally:
            platform.stop()
    print(
        f"\nhostile run: {arguments.seconds:g} s per process, seed {arguments.seed}, 4 concurrent clients + 4 slow ones"
    )
    print(HEADER_ROW)
    for tally in tallies:
        print(tally.row())
    for tally in tallies:
        for failure in tally.failures:
            print(f"{tally.process}: {failure}")
    if dead:
        print(f"processes that died: {dead}")
    return 1 if dead or any(failed(t) for t in tallies) else 0


if __name__ == "__main__":
    sys.exit(main())

"""What the router adds: the same query straight to the knowledge subgraph and through the router.

Seeds a temporary data folder, starts the whole platform on free loopback ports, then times
sequential requests (one client, keep-alive) for:

- baseline: a knowledge-only query sent to the knowledge subgraph itself;
- router:   the same query through the router (parse, validate, plan cache, one fetch, shaping);
- demo:     the README's product query through the router (five subgraphs, batched _entities).

Run: .venv/bin/python bench/router_overhead.py [--requests 300]
It prints p50/p99 latency and requests per second per case; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from commands.launcher import start_platform_on_free_ports

KNOWLEDGE_QUERY = """query($slug: String!) {
  productBySlug(slug: $slug) { name features { name } knownIssues { title solutions { title steps } } }
}"""
DEMO_QUERY = """query($slug: String!) {
  productBySlug(slug: $slug) {
    name category { name } features { name }
    knownIssues { title severity solutions { title steps } }
    compatibleWith { name } content { kind title }
    openTicketCount
    analytics { pageViews ticketsCreated }
  }
}"""
VARIABLES = {"slug": "liberty-4-nc"}


def measure(client: httpx.Client, url: str, query: str, requests: int) -> tuple[float, float, float]:
    """p50 ms, p99 ms and requests/s over ``requests`` sequential POSTs (after a warm-up)."""
    body = {"query": query, "variables": VARIABLES}
    for _ in range(20):
        client.post(url, json=body).raise_for_status()
    latencies = []
    started = time.perf_counter()
    for _ in range(requests):
        sent = time.perf_counter()
        response = client.post(url, json=body)
        latencies.append(time.perf_counter() - sent)
        if response.status_code != httpx.codes.OK or "errors" in response.json():
            msg = f"{url} answered {response.status_code}: {response.text[:300]}"
            raise SystemExit(msg)
    elapsed = time.perf_counter() - started
    quantiles = statistics.quantiles(latencies, n=100)
    return quantiles[49] * 1000, quantiles[98] * 1000, requests / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kcp-bench-") as folder:
        data_dir = Path(folder)
        environment = {**os.environ, "KCP_DATA_DIR": str(data_dir), "KCP_LOG_LEVEL": "warning"}
        subprocess.run([sys.executable, "-m", "commands", "seed"], env=environment, check=True, capture_output=True)
        platform = start_platform_on_free_ports(environment=environment, log_dir=data_dir)
        try:
            knowledge = platform.url("knowledge") + "/graphql"
            with httpx.Client(timeout=30) as client:
                rows = [
                    (
                        "baseline: knowledge subgraph direct",
                        measure(client, knowledge, KNOWLEDGE_QUERY, arguments.requests),
                    ),
                    ("router: same query", measure(client, platform.router_url, KNOWLEDGE_QUERY, arguments.requests)),
                    (
                        "router: demo query, 5 subgraphs",
                        measure(client, platform.router_url, DEMO_QUERY, arguments.requests),
                    ),
                ]
        finally:
            platform.stop()
    print(f"{arguments.requests} sequential requests per case, one keep-alive client, 2-core machine")
    print(f"{'case':<38} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8}")
    for name, (p50, p99, rate) in rows:
        print(f"{name:<38} {p50:>8.2f} {p99:>8.2f} {rate:>8.1f}")


if __name__ == "__main__":
    main()

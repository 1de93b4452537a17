"""The gateways under test, each one process serving ``/graphql`` on a supergraph file."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
HIVE = HERE / "node_modules" / ".bin" / "hive-gateway"


@dataclass(frozen=True, slots=True)
class Gateway:
    name: str
    # Placeholders {supergraph} and {port} are filled in at start.
    command: tuple[str, ...]
    cwd: Path = HERE
    environment: dict[str, str] = field(default_factory=dict)
    ours: bool = False

    def command_line(self, supergraph: Path, port: int) -> list[str]:
        return [part.format(supergraph=supergraph, port=port) for part in self.command]


def kcp_router(*, deduplicate: bool) -> Gateway:
    return Gateway(
        name="kcp router (dedup on)" if deduplicate else "kcp router",
        command=(sys.executable, "-m", "commands", "router", "--supergraph", "{supergraph}"),
        cwd=HERE.parent.parent,
        environment={
            "KCP_ROUTER_PORT": "{port}",
            "KCP_HOST": "127.0.0.1",
            "KCP_LOG_LEVEL": "warning",
            "KCP_DEDUPLICATE_REQUESTS": "true" if deduplicate else "false",
            # The response cache would answer every request after the first from memory: the
            # bench measures the gateway, not a cache the peers do not have. And wrk is one
            # client sending thousands of requests a minute, over any per-client rate limit.
            "CACHE_TTL": "0",
            "RATE_LIMIT_PER_MINUTE": "1000000000",
            # The TestQuery's lists nest four deep: its estimated cost (~23,000) is over the
            # default budget meant for untrusted clients. The peers have no such limit.
            "KCP_COST_BUDGET": "1000000",
        },
        ours=True,
    )


APOLLO = Gateway(name="apollo gateway", command=("node", "peers/apollo.mjs", "{supergraph}", "{port}"))


def hive_gateway(*, rust_planner: bool, deduplicate: bool = False) -> Gateway:
    notes = [note for note, on in (("rust planner", rust_planner), ("dedup on", deduplicate)) if on]
    config = HERE / "peers" / ("hive-dedup" if deduplicate else "hive") / "gateway.config.mjs"
    command = (str(HIVE), "supergraph", "{supergraph}", "--host", "127.0.0.1", "--port", "{port}", "--fork", "1")
    return Gateway(
        name="hive gateway" + (f" ({', '.join(notes)})" if notes else ""),
        command=(*command, "-c", str(config), *(("--hive-router-runtime",) if rust_planner else ())),
        environment={"NODE_ENV": "production"},
    )


STANDARD = (
    kcp_router(deduplicate=False),
    APOLLO,
    hive_gateway(rust_planner=False),
    hive_gateway(rust_planner=True),
)
DEDUPLICATING = (kcp_router(deduplicate=True), hive_gateway(rust_planner=True, deduplicate=True))

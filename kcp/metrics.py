"""Prometheus metrics every KCP process exposes on ``/metrics``."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.responses import Response

if TYPE_CHECKING:
    from collections.abc import Iterator

    from prometheus_client import Metric
    from starlette.requests import Request

HTTP_REQUESTS = Counter(
    "http_requests_total",
    "HTTP requests served, by service, method, path and status.",
    ["service", "method", "path", "status"],
)
HTTP_DURATION = Histogram(
    "http_request_duration_seconds",
    "Time to serve an HTTP request, by service, method and path.",
    ["service", "method", "path"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)

# Set by every /ready probe (the orchestrator's, every few seconds), so the StoreNotReady alert sees
# a store that stopped answering without Prometheus having to call /ready itself.
STORE_READY = Gauge(
    "kcp_store_ready",
    "1 when the store answered the service's last readiness probe, 0 when it did not.",
    ["service", "store"],
)

# Paths are labelled only when known, so a client probing random URLs cannot blow up cardinality.
KNOWN_PATHS = frozenset({"/graphql", "/health", "/ready", "/metrics", "/.well-known/jwks.json"})


def observe_request(service: str, method: str, path: str, status: int, seconds: float) -> None:
    """Count and time one HTTP request (``kcp.telemetry`` calls it for every request)."""
    label = path if path in KNOWN_PATHS else "other"
    HTTP_REQUESTS.labels(service, method, label, str(status)).inc()
    HTTP_DURATION.labels(service, method, label).observe(seconds)


async def metrics_endpoint(_request: Request) -> Response:
    """The process's metrics in Prometheus text format."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


class _PoolCollector(Collector):
    """``kcp_store_pool_connections{service,state}``: each relational pool's size and use, read at scrape time."""

    def __init__(self) -> None:
        self._pools: dict[str, weakref.ReferenceType[Any]] = {}

    def watch(self, service: str, pool: Any) -> None:
        self._pools[service] = weakref.ref(pool)

    def collect(self) -> Iterator[Metric]:
        family = GaugeMetricFamily(
            "kcp_store_pool_connections", "Relational store connections by state.", labels=["service", "state"]
        )
        for service, ref in list(self._pools.items()):
            pool = ref()
            # QueuePool (PostgreSQL, SQLite files) reports its use; other pool kinds have nothing to say.
            if pool is None or not hasattr(pool, "checkedout"):
                continue
            family.add_metric([service, "in_use"], pool.checkedout())
            family.add_metric([service, "idle"], pool.checkedin())
            family.add_metric([service, "size"], pool.size())
        yield family


STORE_POOLS = _PoolCollector()
REGISTRY.register(STORE_POOLS)

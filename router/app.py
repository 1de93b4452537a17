"""The router's ASGI app and process entry point.

``create_app`` serves a supergraph file when given one; otherwise, at start-up, it fetches every
subgraph's ``_service { sdl }`` (retrying with backoff while they come up), composes them, writes
the supergraph SDL and serves it. Until then ``/ready`` says 503 and ``/graphql`` answers 503.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import structlog
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Route

from kcp.error_reports import configure_error_reports
from kcp.metrics import metrics_endpoint
from kcp.settings import PERSISTED_DIR, SUPERGRAPH_FILE
from kcp.stores.keyvalue import open_keyvalue_store
from kcp.telemetry import TelemetryMiddleware
from router.compose import compose
from router.executor import Executor
from router.inflight import InflightRequests
from router.pipeline.run import GraphQLApp, Pipeline
from router.policy.edge import build_edge
from router.readiness import SubgraphProbe, health_endpoint, ready_endpoint
from router.shared_state import FailOpenKeyValueStore, SharedStateHealth
from router.supergraph import Supergraph, SupergraphError, load_supergraph, load_supergraph_file
from router.transport import FetchFailure, SubgraphTransport, create_client, fetch_service_sdl

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Mapping
    from pathlib import Path

    from kcp.settings import Settings
    from router.policy.edge import Edge
    from router.subgraph_client import SubgraphClient

log = structlog.get_logger(__name__)

DEFAULT_SUPERGRAPH_OUTPUT = SUPERGRAPH_FILE
FIRST_BACKOFF_SECONDS = 0.25
MAX_BACKOFF_SECONDS = 5.0
# The collector's generation thresholds. CPython's default collects the youngest generation every
# 700 net allocations; a TestQuery of bench/gateways allocates tens of thousands of dicts and lists
# (parsed subgraph JSON, the shaped answer) that reference counting frees, so those collections
# found nothing and cost ~0.3 ms of its ~3 ms of CPU. At 10,000: ~0.04 ms (bench/router_profile.py).
GC_THRESHOLDS = (10_000, 10, 10)


@dataclass(slots=True)
class RouterState:
    """Process-wide router state, on ``app.state.router``."""

    settings: Settings
    pipeline: Pipeline | None = None
    client: SubgraphClient | None = None
    store: FailOpenKeyValueStore | None = None
    shared: SharedStateHealth = field(default_factory=SharedStateHealth)
    edge: Edge | None = None
    probe: SubgraphProbe = field(default_factory=SubgraphProbe)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def install(self, supergraph: Supergraph) -> None:
        assert self.client is not None  # noqa: S101 - set by the lifespan before any install
        deduplicate = self.settings.kcp_deduplicate_requests
        # Subgraph requests are joined by default; client-level deduplication turns it on too.
        joins_subgraph_requests = deduplicate or self.settings.kcp_deduplicate_subgraph_requests
        transport = SubgraphTransport(
            self.client,
            timeout=self.settings.kcp_subgraph_timeout_seconds,
            inflight=InflightRequests("subgraph") if joins_subgraph_requests else None,
        )
        executor = Executor(supergraph, transport)
        assert self.edge is not None  # noqa: S101 - built by the lifespan before any install
        self.pipeline = Pipeline(
            supergraph,
            executor,
            self.edge,
            deduplicate=deduplicate,
            planning_timeout_ms=self.settings.kcp_planning_timeout_ms,
        )
        log.info("router.supergraph_loaded", subgraphs=sorted(supergraph.subgraphs))


@dataclass(slots=True)
class LiveComposition:
    """Composes the supergraph from the running subgraphs and installs it, retrying until it can.

    The router stays not-ready (503) meanwhile, which is what an orchestrator's readiness probe
    expects; it never gives up, since a subgraph may come up much later.
    """

    state: RouterState
    urls: Mapping[str, str]
    output: Path
    sdls: dict[str, str] = field(default_factory=dict)

    async def compose_until_installed(self) -> None:
        backoff = FIRST_BACKOFF_SECONDS
        while True:
            try:
                supergraph = await self._compose_once()
            except Exception:
                # A background task's exception is otherwise lost and the router would wait forever.
                log.exception("router.composition_crashed")
                raise
            if supergraph is not None:
                self.state.install(supergraph)
                return
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)

    async def _compose_once(self) -> Supergraph | None:
        """The supergraph, or None (logged) while a subgraph is missing or they do not compose."""
        assert self.state.client is not None  # noqa: S101 - set by the lifespan before this task starts
        timeout = self.state.settings.kcp_subgraph_timeout_seconds
        for name, url in self.urls.items():
            if name not in self.sdls:
                result = await fetch_service_sdl(self.state.client, url, timeout_seconds=timeout)
                if isinstance(result, FetchFailure):
                    log.info("router.waiting_for_subgraph", subgraph=name, url=url, reason=result.reason)
                else:
                    self.sdls[name] = result
        if len(self.sdls) < len(self.urls):
            return None
        try:
            sdl = compose({name: (url, self.sdls[name]) for name, url in self.urls.items()})
            supergraph = load_supergraph(sdl)
        except SupergraphError as exc:  # CompositionError among them
            log.error("router.composition_failed", reason=str(exc))  # noqa: TRY400 - the reason says it all
            self.sdls.clear()  # a fixed subgraph comes back with a new SDL: fetch them all again
            return None
        try:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            self.output.write_text(sdl, encoding="utf-8")
            log.info("router.supergraph_written", path=str(self.output))
        except OSError as exc:
            log.warning("router.supergraph_not_written", path=str(self.output), reason=str(exc))
        return supergraph


def create_app(
    settings: Settings,
    supergraph_path: Path | None = None,
    *,
    subgraph_urls: Mapping[str, str] | None = None,
    supergraph_output: Path | None = None,
) -> Starlette:
    """The router app: serve ``supergraph_path``, or compose from the subgraphs at start-up.

    ``subgraph_urls`` defaults to ``settings.subgraph_urls()``; the composed SDL is written to
    ``supergraph_output`` (default ``schema/supergraph.graphql`` under the working directory).
    """
    configure_error_reports(settings, "router")
    state = RouterState(settings=settings)
    urls = dict(subgraph_urls if subgraph_urls is not None else settings.subgraph_urls())
    output = supergraph_output if supergraph_output is not None else DEFAULT_SUPERGRAPH_OUTPUT

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        secret = settings.kcp_identity_secret.get_secret_value() if settings.kcp_identity_secret else None
        state.client = create_client(settings.pool_size, secret)
        # APQ, rate counters and the response cache: Redis when REDIS_URL is set, so replicas share them.
        # Failing open while Redis is down (router/shared_state.py says why, for each use).
        state.store = FailOpenKeyValueStore(open_keyvalue_store(settings, namespace="kcp:router:"), state.shared)
        state.edge = build_edge(settings, state.store, PERSISTED_DIR, state.shared)
        try:
            if supergraph_path is not None:
                state.install(load_supergraph_file(supergraph_path))
            else:
                live = LiveComposition(state, urls, output)
                state.tasks.append(asyncio.create_task(live.compose_until_installed()))
            yield
        finally:
            for task in state.tasks:
                task.cancel()
            await asyncio.gather(*state.tasks, return_exceptions=True)
            await state.client.close()
            await state.store.close()

    app = Starlette(
        routes=[
            # Every method reaches the endpoint, so a wrong one gets a GraphQL error body with its 405.
            Route("/graphql", GraphQLApp()),
            Route("/health", health_endpoint, methods=["GET"]),
            Route("/ready", ready_endpoint, methods=["GET"]),
            Route("/metrics", metrics_endpoint, methods=["GET"]),
        ],
        middleware=[
            Middleware(TelemetryMiddleware, service="router"),
            *_cors(settings),
        ],
        lifespan=lifespan,
    )
    app.state.router = state
    return app


def _cors(settings: Settings) -> list[Middleware]:
    """CORS for the configured browser origins only; none configured means same-origin only."""
    origins = [origin.strip() for origin in settings.kcp_cors_origins.split(",") if origin.strip()]
    if not origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            # What our clients send: JSON bodies, tokens, API keys and the CSRF preflight headers.
            allow_headers=[
                "content-type",
                "authorization",
                "x-api-key",
                "apollo-require-preflight",
                "x-apollo-operation-name",
                "apollographql-client-name",
                "apollographql-client-version",
                "traceparent",
            ],
            max_age=600,
        )
    ]


def tune_garbage_collection() -> None:
    """Fewer, cheaper collections: the router's requests build trees of JSON, not cycles."""
    # Everything loaded so far (modules, classes, settings) lives as long as the process: moved out
    # of the collector's sight, a request's young objects are no longer scanned against it. Measured
    # on the gateways benchmark: garbage collection from ~1.2 to ~0.7 ms of CPU per TestQuery.
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def run(settings: Settings, supergraph_path: Path | None = None, supergraph_output: Path | None = None) -> None:
    """Serve the router with uvicorn on ``settings.kcp_host:settings.kcp_router_port``."""
    import uvicorn  # noqa: PLC0415 - only the process entry point needs the server

    from kcp.logging import configure_logging  # noqa: PLC0415

    configure_logging("router", level=settings.kcp_log_level, json=settings.kcp_log_json)
    app = create_app(settings, supergraph_path, supergraph_output=supergraph_output)
    tune_garbage_collection()
    # uvloop and httptools: the C event loop and HTTP parser, measured in bench/gateways to cut the
    # router's CPU per request (both are wheels on PyPI, pinned in pyproject.toml).
    uvicorn.run(
        app,
        host=settings.kcp_host,
        port=settings.kcp_router_port,
        log_level="warning",
        access_log=False,
        log_config=None,  # uvicorn's loggers propagate to the root handler configure_logging set up
        loop="uvloop",
        http="httptools",
    )

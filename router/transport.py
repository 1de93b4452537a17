"""GraphQL requests to subgraphs: the router's transport, the only code that sends them.

The executor depends on one method, ``SubgraphTransport.fetch`` (its ``Transport`` protocol):
a GraphQL request body to a subgraph in, the JSON response object or a ``FetchFailure`` out.
Underneath, one shared ``SubgraphClient`` (HTTP/1.1 keep-alive, router/subgraph_client.py); the
client headers forwarded to subgraphs are chosen here; with in-flight deduplication on, an
identical query already in flight is joined instead of sent again; each request is timed and each
failure counted by subgraph.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

import orjson
import structlog
from prometheus_client import Counter, Gauge, Histogram

from kcp.edge.signature import signature_headers
from kcp.errors import ErrorCode
from kcp.identity.signed_headers import IDENTITY_HEADER, SIGNATURE_HEADER
from router.subgraph_client import SubgraphClient, SubgraphConnectError, SubgraphProtocolError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from router.inflight import InflightRequests

    # Identical subgraph requests in flight share one exchange: keyed by URL, body and headers.
    SubgraphInflight: TypeAlias = InflightRequests[
        tuple[str, bytes, tuple[tuple[str, str], ...]], "tuple[int, bytes] | FetchFailure"
    ]

log = structlog.get_logger(__name__)

SUBGRAPH_DURATION = Histogram(
    "router_subgraph_request_duration_seconds",
    "Time for one subgraph request (including a joined in-flight one), by subgraph.",
    ["subgraph"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
SUBGRAPH_UP = Gauge(
    "router_subgraph_up",
    "1 when the subgraph answered the router's last request or readiness probe, 0 when it could not be reached.",
    ["subgraph"],
)
SUBGRAPH_ERRORS = Counter(
    "router_subgraph_errors_total",
    "Subgraph requests that failed (transport, HTTP or JSON) or answered with GraphQL errors, by code.",
    ["subgraph", "code"],
)

_UP_GAUGES: dict[str, Gauge] = {}


def subgraph_up(subgraph: str, *, reached: bool) -> None:
    """Record whether the router could reach ``subgraph`` (the SubgraphDown alert reads it)."""
    gauge = _UP_GAUGES.get(subgraph)
    if gauge is None:  # labels() takes a lock and builds its key each time: once per subgraph
        gauge = _UP_GAUGES[subgraph] = SUBGRAPH_UP.labels(subgraph)
    gauge.set(1 if reached else 0)


ACCEPT = "application/graphql-response+json, application/json;q=0.9"
HTTP_OK = 200
HTTP_MULTIPLE_CHOICES = 300
# Client headers passed on to every subgraph.
# The identity pair is the router's own (client-sent ones are stripped by the identity stage), and
# so is x-forwarded-for (the client's address, for auth's login throttling).
FORWARDED_HEADERS = ("authorization", IDENTITY_HEADER, SIGNATURE_HEADER, "x-forwarded-for", "traceparent")
# Forwarded headers that differ per request but never change a subgraph's answer.
PER_REQUEST_HEADERS = frozenset({"x-forwarded-for", "traceparent"})


class SubgraphTransport:
    """Sends the executor's GraphQL requests with one shared client and a per-subgraph timeout."""

    def __init__(self, client: SubgraphClient, *, timeout: float, inflight: SubgraphInflight | None = None) -> None:
        self.client = client
        self.timeout = timeout
        # Set when identical in-flight subgraph queries are deduplicated (router/inflight.py).
        self.inflight = inflight
        self._durations: dict[str, Histogram] = {}

    async def fetch(
        self, subgraph: str, url: str, body: Mapping[str, Any], headers: Mapping[str, str], *, may_join: bool
    ) -> dict[str, Any] | FetchFailure:
        """One request to ``subgraph``; ``may_join``: a query, which may share an identical one in flight."""
        forwarded = {k: v for k, v in headers.items() if k.lower() in FORWARDED_HEADERS}
        inflight = self.inflight if may_join else None  # a mutation always runs
        started = time.perf_counter()
        result = await post_graphql(
            self.client, url, body, timeout_seconds=self.timeout, headers=forwarded, inflight=inflight
        )
        duration = self._durations.get(subgraph)
        if duration is None:  # labels() takes a lock and builds its key each time: once per subgraph
            duration = self._durations[subgraph] = SUBGRAPH_DURATION.labels(subgraph)
        duration.observe(time.perf_counter() - started)
        reached = not (isinstance(result, FetchFailure) and result.code is ErrorCode.SUBGRAPH_UNAVAILABLE)
        subgraph_up(subgraph, reached=reached)
        if isinstance(result, FetchFailure):
            SUBGRAPH_ERRORS.labels(subgraph, str(result.code)).inc()
            log.warning("router.subgraph_fetch_failed", subgraph=subgraph, code=str(result.code), reason=result.reason)
        elif result.get("errors"):
            SUBGRAPH_ERRORS.labels(subgraph, "GRAPHQL_ERRORS").inc()
        return result


@dataclass(slots=True)
class FetchFailure:
    """Why a subgraph request produced no usable GraphQL response."""

    code: ErrorCode
    reason: str


def create_client(pool_size: int = 20, signing_secret: str | None = None) -> SubgraphClient:
    """The router's one HTTP client: keep-alive connections, at most ``pool_size`` per subgraph;
    with ``signing_secret``, each request signed for subgraphs that accept only the router."""
    return SubgraphClient(max_per_origin=pool_size, signing_secret=signing_secret)


async def post_graphql(  # noqa: PLR0913 - the request, its limits and whether it may join an identical one
    client: SubgraphClient,
    url: str,
    body: Mapping[str, Any],
    *,
    timeout_seconds: float,
    headers: Mapping[str, str] | None = None,
    inflight: SubgraphInflight | None = None,
) -> dict[str, Any] | FetchFailure:
    """POST one GraphQL request; the JSON response object, or the reason there is none.

    With ``inflight``, an identical request already in flight is joined instead of sent again.
    """
    request_headers = {"accept": ACCEPT, "content-type": "application/json", **(headers or {})}
    data = dump_json(body)
    if inflight is None:
        exchanged = await _exchange(client, url, data, request_headers, timeout_seconds)
    else:
        # A trace or a client address does not change the answer: requests differing only there join.
        shared = sorted((name, value) for name, value in request_headers.items() if name not in PER_REQUEST_HEADERS)
        key = (url, data, tuple(shared))
        exchanged = await inflight.run(key, lambda: _exchange(client, url, data, request_headers, timeout_seconds))
    if isinstance(exchanged, FetchFailure):
        return exchanged
    status, raw = exchanged
    if not HTTP_OK <= status < HTTP_MULTIPLE_CHOICES:
        return FetchFailure(ErrorCode.SUBREQUEST_HTTP_ERROR, f"HTTP status {status}")
    try:
        payload = parse_json(raw)
    except ValueError:
        return FetchFailure(ErrorCode.SUBREQUEST_HTTP_ERROR, "the response is not valid JSON")
    if not isinstance(payload, dict) or not ("data" in payload or "errors" in payload):
        return FetchFailure(ErrorCode.SUBREQUEST_HTTP_ERROR, "the response is not a GraphQL response")
    return payload


async def _exchange(
    client: SubgraphClient, url: str, data: bytes, headers: Mapping[str, str], timeout_seconds: float
) -> tuple[int, bytes] | FetchFailure:
    """One HTTP POST: the status and raw body, or why there is none."""
    if client.signing_secret is not None:  # signed as sent: a joined in-flight request shares this one
        headers = {**headers, **signature_headers(client.signing_secret, url, data)}
    try:
        return await client.post(url, data, headers, timeout_seconds=timeout_seconds)
    except SubgraphConnectError as exc:
        return FetchFailure(ErrorCode.SUBGRAPH_UNAVAILABLE, f"cannot connect ({exc})")
    except TimeoutError:
        return FetchFailure(ErrorCode.SUBREQUEST_HTTP_ERROR, f"no response within {timeout_seconds:g} s")
    except (SubgraphProtocolError, ValueError) as exc:
        return FetchFailure(ErrorCode.SUBREQUEST_HTTP_ERROR, str(exc))


def parse_json(raw: bytes) -> Any:
    # orjson parses the subgraph's JSON ~5x faster; the standard library still reads what orjson
    # refuses but Python's json accepts (lone surrogate escapes). orjson reads an integer beyond
    # 64 bits as a float, as JavaScript gateways do: only a custom scalar could carry one.
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw)


def dump_json(value: Any, *, sort_keys: bool = False) -> bytes:
    # orjson, with the standard library for the integers beyond 64 bits that orjson refuses to write
    # (a client's variables, read by the standard library, may hold them).
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else None)
    except orjson.JSONEncodeError:
        return json.dumps(value, sort_keys=sort_keys, separators=(",", ":")).encode()


async def fetch_service_sdl(client: SubgraphClient, url: str, *, timeout_seconds: float) -> str | FetchFailure:
    """A subgraph's SDL from ``{ _service { sdl } }``."""
    payload = await post_graphql(client, url, {"query": "{ _service { sdl } }"}, timeout_seconds=timeout_seconds)
    if isinstance(payload, FetchFailure):
        return payload
    sdl = ((payload.get("data") or {}).get("_service") or {}).get("sdl")
    if not isinstance(sdl, str):
        return FetchFailure(ErrorCode.SUBREQUEST_HTTP_ERROR, "no _service.sdl in the response")
    return sdl

"""``/health`` and ``/ready``: the router is ready when it has a supergraph and every subgraph in it answers.

Each subgraph is asked for ``{ __typename }`` on its routing URL (any GraphQL server answers it,
ours or anyone's), all at once, with a short timeout. Answers are kept for a few seconds so a
burst of probes (several orchestrators, a load balancer) costs one round of requests.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

import httpx
from starlette.responses import JSONResponse

from kcp.edge.signature import signed_json
from router.transport import subgraph_up

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from router.supergraph import Supergraph

PROBE_TIMEOUT_SECONDS = 2.0
UNREACHABLE = "unreachable"
KEEP_ANSWER_SECONDS = 5.0


class SubgraphProbe:
    def __init__(self) -> None:
        self._checked_at = float("-inf")
        self._failing: dict[str, str] = {}
        self._lock = asyncio.Lock()

    async def failing(self, supergraph: Supergraph, secret: str | None = None) -> dict[str, str]:
        """The subgraphs that do not answer, with why; empty when all do (probes signed with ``secret``)."""
        async with self._lock:
            if time.monotonic() - self._checked_at >= KEEP_ANSWER_SECONDS:
                self._failing = await _probe_all(supergraph, secret)
                self._checked_at = time.monotonic()
            return dict(self._failing)


async def _probe_all(supergraph: Supergraph, secret: str | None) -> dict[str, str]:
    async with httpx.AsyncClient(timeout=PROBE_TIMEOUT_SECONDS) as client:
        names = sorted(supergraph.subgraphs)
        answers = await asyncio.gather(*(_probe(client, supergraph.subgraphs[name].url, secret) for name in names))
    for name, problem in zip(names, answers, strict=True):
        subgraph_up(name, reached=problem is None or not problem.startswith(UNREACHABLE))
    return {name: problem for name, problem in zip(names, answers, strict=True) if problem is not None}


async def _probe(client: httpx.AsyncClient, url: str, secret: str | None) -> str | None:
    body, headers = signed_json(url, {"query": "{ __typename }"}, secret)
    try:
        response = await client.post(url, content=body, headers=headers)
    except httpx.HTTPError as error:
        return f"{UNREACHABLE} ({type(error).__name__})"
    if response.status_code != httpx.codes.OK:
        return f"HTTP {response.status_code}"
    # A 200 that is not a GraphQL answer (a proxy's error page, a half-broken server) is no answer.
    try:
        body = response.json()
    except ValueError:
        return "not a GraphQL answer"
    if not isinstance(body, dict) or not isinstance(body.get("data"), dict) or "__typename" not in body["data"]:
        return "not a GraphQL answer"
    return None


async def health_endpoint(_request: Request) -> Response:
    return JSONResponse({"status": "ok", "service": "router"})


async def ready_endpoint(request: Request) -> Response:
    """Ready: a supergraph is loaded and every subgraph answers (503 naming the ones that do not);
    Redis failing is named under ``degraded`` without making the router unready."""
    state = request.app.state.router
    if state.pipeline is None:
        return JSONResponse({"status": "waiting for supergraph", "service": "router"}, status_code=503)
    secret = state.settings.kcp_identity_secret
    failing = await state.probe.failing(state.pipeline.supergraph, secret.get_secret_value() if secret else None)
    # Redis down degrades the router (shared state fails open) but does not make it unready:
    # every replica would be taken out of service over a cache outage.
    if state.store is not None:
        await state.store.ping()
    degraded = state.shared.degraded()
    extra = {"degraded": degraded} if degraded else {}
    if failing:
        body = {"status": "subgraphs not answering", "service": "router", "subgraphs": failing, **extra}
        return JSONResponse(body, status_code=503)
    return JSONResponse({"status": "ready", "service": "router", **extra})

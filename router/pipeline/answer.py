"""Whether a request runs at all: a response-cache hit or an identical request in flight answers it.

Public answers (anonymous callers, no errors, no degraded retrieval) are cached, here and by HTTP caches (GET with a
persisted hash: a CDN); a mutation purges what it may have changed. Identical client queries in
flight share one execution when deduplication is on (``router.inflight``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from router.inflight import InflightRequests
from router.pipeline.serialise import Answer, serialise
from router.planner import print_plan, subgraphs_of
from router.response_cache import cache_key, entity_key_fields, entity_tags
from router.transport import FORWARDED_HEADERS, PER_REQUEST_HEADERS

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

    from kcp.identity.caller import Caller
    from router.pipeline.document import Operation
    from router.planner import QueryPlan
    from router.policy.edge import Edge
    from router.supergraph import Supergraph

    # Runs the operation: execute then shape, the response body.
    Compute = Callable[[], Awaitable[dict[str, Any]]]

# Identical client queries in flight: keyed by document hash, operation name, variables (as sorted
# JSON), the headers forwarded to subgraphs and the caller, the only inputs that can change the answer.
ClientKey = tuple[str, str | None, bytes, tuple[tuple[str, str | None], ...], "Caller"]


class Answers:
    """The response cache and the in-flight requests of one supergraph."""

    def __init__(self, supergraph: Supergraph, edge: Edge, *, deduplicate: bool) -> None:
        self.schema = supergraph.api_schema
        self.edge = edge
        self.key_fields = entity_key_fields(
            {name: [key.fields for key in info.keys] for name, info in supergraph.types.items() if info.keys}
        )
        self.inflight: InflightRequests[ClientKey, Answer] | None = InflightRequests("client") if deduplicate else None

    async def answer(  # noqa: PLR0913 - the request's inputs, and how to run it
        self,
        operation: Operation,
        plan: QueryPlan,
        variables: dict[str, Any],
        headers: Mapping[str, str],
        compute: Compute,
        *,
        caller: Caller,
        include_plan: bool = False,
    ) -> Answer:
        """The serialised answer: from the response cache, joined to an identical one in flight, or run."""
        if include_plan:  # development mode: always executed, never cached, never shared
            body = await compute()
            body["extensions"] = {**body.get("extensions", {}), "queryPlan": print_plan(plan)}
            return Answer(serialise(body), "no-store")
        cache = self.edge.cache
        if operation.is_mutation:
            body = await compute()
            if cache.enabled:
                await cache.purge(self._tags(operation, plan, body))
            return Answer(serialise(body), "no-store")
        cacheable = cache.enabled and not caller.authenticated
        key = cache_key(operation.hash, operation.name, variables) if cacheable else ""
        public = f"public, max-age={self.edge.cache_ttl}"
        if cacheable:
            cached = await cache.get(key)
            if cached is not None:
                return Answer(cached, public)

        async def run() -> Answer:
            body = await compute()
            serialised = serialise(body)
            # A degraded answer (``extensions``: keyword-only retrieval) lasts until the index is built.
            if cacheable and not body.get("errors") and not body.get("extensions"):
                await cache.put(key, serialised, self._tags(operation, plan, body))
                return Answer(serialised, public)
            return Answer(serialised, "private, no-store" if caller.authenticated else "no-store")

        if self.inflight is None:
            return await run()
        # A query's answer depends on who asks (authorization shapes it, and an API key is not a
        # forwarded header), not on their address or trace.
        forwarded = tuple((name, headers.get(name)) for name in FORWARDED_HEADERS if name not in PER_REQUEST_HEADERS)
        joined = (operation.hash, operation.name, serialise(variables, sort_keys=True), forwarded, caller)
        return await self.inflight.run(joined, run)

    def _tags(self, operation: Operation, plan: QueryPlan, body: Mapping[str, Any]) -> set[str]:
        """A cached answer's tags, or the tags a mutation purges.

        Besides entities and types, each answer is tagged with the subgraphs it read, and a
        mutation purges the subgraphs it wrote to: a value one subgraph computes for another's
        entity (support's ``Product.openTicketCount``) changes without that entity being returned.
        """
        tags = {f"subgraph:{name}" for name in subgraphs_of(plan, roots_only=operation.is_mutation)}
        data = body.get("data")
        if isinstance(data, dict):
            tags |= entity_tags(self.schema, operation.definition, data, self.key_fields)
        return tags

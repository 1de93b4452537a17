"""The policy stage: who may send what, before the body is read and once the operation is known.

``admit`` runs before the body is read: CSRF prevention, the caller's identity, the rate limit.
``OperationPolicy.check`` runs on the operation: the method it needs, introspection, its variables,
its estimated cost, and the fields the caller may not see (removed before planning, reported after
shaping). What a caller may see depends only on the operation and the caller's standing, so it is
computed once per (operation, standing), not per request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import DocumentNode, OperationType

from kcp.errors import ErrorCode
from router.documents import CACHED_CHARACTERS, check_variables
from router.errors import RouterError
from router.lru import LruCache
from router.pipeline.execute import introspection_selections
from router.policy.authorization import AuthorizationRules, Authorized, authorize
from router.policy.cost import CostEstimates
from router.policy.csrf import csrf_refusal
from router.policy.edge import INTROSPECTION_DISABLED
from router.policy.ratelimit import client_identity

if TYPE_CHECKING:
    from starlette.requests import Request

    from kcp.identity.caller import Caller
    from router.pipeline.document import Operation
    from router.policy.edge import Edge
    from router.supergraph import Supergraph

CACHE_SIZE = 1000


async def admit(edge: Edge, request: Request) -> tuple[Caller, dict[str, str]]:
    """The proven caller and the headers for subgraphs; CSRF, identity and rate limit, before the body."""
    # Its traceparent is already the router's own span in the client's trace (kcp.telemetry):
    # forwarded to the subgraphs as is.
    headers = dict(request.headers)
    if edge.csrf_prevention:
        refused = csrf_refusal(headers)
        if refused is not None:
            raise refused
    address = request.client.host if request.client else None
    caller = await edge.identity.caller(headers, address)
    await edge.rate_limiter.admit(client_identity(caller, address))
    return caller, edge.identity.subgraph_headers(headers, caller, address)


class OperationPolicy:
    """The checks on an operation, with what they compute once per document kept."""

    def __init__(self, supergraph: Supergraph, edge: Edge) -> None:
        self.schema = supergraph.api_schema
        self.edge = edge
        self.rules = AuthorizationRules.from_supergraph(supergraph.sdl)
        self.costs = CostEstimates(supergraph.api_schema, CACHE_SIZE)
        # What a caller may see depends only on the operation and the caller's standing, not on
        # the request: one walk of the document per (operation, scopes) instead of one per request.
        self._authorized: LruCache[tuple[str, str | None, bool, frozenset[str]], Authorized] = LruCache(
            CACHE_SIZE, max_weight=CACHED_CHARACTERS, second_sight=True, name="authorization"
        )
        # Per (canonical operation, standing): whether the caller may see every field of it. Keyed by
        # a digest and holding a bool, so entries bound its memory.
        self._sees_all: LruCache[tuple[str, bool, frozenset[str]], bool] = LruCache(
            CACHE_SIZE, name="authorization_canonical"
        )

    def check(
        self, operation: Operation, variables: dict[str, Any], caller: Caller, *, allow_mutation: bool
    ) -> Authorized:
        """The operation as the caller may run it; ``RouterError`` when it may not run at all."""
        definition = operation.definition
        if definition.operation == OperationType.MUTATION and not allow_mutation:
            msg = "mutations are only accepted with POST"
            raise RouterError.of(msg, ErrorCode.METHOD_NOT_ALLOWED, headers={"allow": "POST"})
        if definition.operation == OperationType.SUBSCRIPTION:
            msg = "subscriptions are not supported by this router"
            raise RouterError.of(msg, ErrorCode.BAD_REQUEST)
        if not self.edge.introspection_allowed(caller) and introspection_selections(definition):
            raise RouterError.of(INTROSPECTION_DISABLED, ErrorCode.INTROSPECTION_DISABLED)
        check_variables(self.schema, definition, variables)
        self.edge.check_cost(caller, self.costs.cost(operation.hash, operation.document, definition, variables))
        canonical = operation.canonical
        if canonical is not None:
            # A rewriting of an operation selects the same fields of the same types: when the
            # caller may see all of the canonical operation's, it may see all of this one's.
            sees_all = self._sees_all.get(
                (canonical.key, caller.authenticated, caller.scopes),
                lambda: (
                    not authorize(
                        self.schema,
                        DocumentNode(definitions=(canonical.definition,)),
                        canonical.definition,
                        caller,
                        self.rules,
                    ).removed
                ),
            )
            if sees_all:
                return Authorized(operation.document, definition, [], ())
        standing = (operation.hash, operation.name, caller.authenticated, caller.scopes)
        return self._authorized.get(
            standing,
            lambda: authorize(self.schema, operation.document, definition, caller, self.rules),
            operation.characters,
        )

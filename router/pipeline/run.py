"""The pipeline in one place: ``graphql_endpoint`` calls the stages in order, one a line.

``Pipeline`` holds what the stages keep for one supergraph (caches, the executor); ``app.py``
builds a new one whenever a supergraph is installed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import structlog
from starlette.requests import Request

from kcp.error_reports import report_exception
from kcp.errors import ErrorCode
from router.documents import DocumentCache
from router.errors import RouterError
from router.pipeline import document, http, policy
from router.pipeline.answer import Answers
from router.pipeline.execute import Execution
from router.pipeline.plan import CachingPlanner
from router.pipeline.policy import OperationPolicy
from router.pipeline.shape import Shaping
from router.planner import Planner

if TYPE_CHECKING:
    from starlette.responses import Response
    from starlette.types import Receive, Scope, Send

    from kcp.identity.caller import Caller
    from router.executor import Executor
    from router.pipeline.serialise import Answer
    from router.policy.edge import Edge
    from router.supergraph import Supergraph

log = structlog.get_logger(__name__)

ALLOWED_METHODS = ("GET", "HEAD", "POST")
# In development mode (KCP_DEV=1), a request with this header set to 1 gets its plan in extensions.
INCLUDE_PLAN_HEADER = "x-kcp-include-plan"


class Pipeline:
    """The stages for one supergraph, with what each keeps between requests."""

    def __init__(
        self,
        supergraph: Supergraph,
        executor: Executor,
        edge: Edge,
        *,
        deduplicate: bool = False,
        planning_timeout_ms: float | None = None,
    ) -> None:
        self.supergraph = supergraph
        self.edge = edge
        self.documents = DocumentCache(supergraph.api_schema, limits=edge.limits)
        self.policy = OperationPolicy(supergraph, edge)
        self.planner = CachingPlanner(Planner(supergraph, timeout_ms=planning_timeout_ms))
        self.execution = Execution(supergraph.api_schema, executor)
        self.shaping = Shaping(supergraph.api_schema)
        self.answers = Answers(supergraph, edge, deduplicate=deduplicate)

    async def respond(  # noqa: PLR0913 - one request's inputs
        self,
        query: str,
        operation_name: str | None,
        variables: dict[str, Any],
        headers: dict[str, str],
        *,
        allow_mutation: bool,
        caller: Caller,
        include_plan: bool = False,
    ) -> Answer:
        """Document → policy → plan → (response cache | in flight | execute → shape) → serialise."""
        operation = document.operation(self.documents, query, operation_name)  # parsed, validated, normalised
        authorized = self.policy.check(operation, variables, caller, allow_mutation=allow_mutation)
        # With nothing removed by authorization, the canonical operation is planned: its plan is
        # shared by every rewriting of it (aliases, fragment names, order), and shaping reads its keys.
        canonical = operation.canonical if not authorized.removed else None
        plan = self.planner.plan(operation, authorized, canonical)  # cached

        async def compute() -> dict[str, Any]:
            state = await self.execution.execute(operation, authorized, plan, variables, headers)
            return self.shaping.body(operation, state, variables, canonical=canonical is not None)

        # Serialised there, unless the response cache or an identical request in flight answers.

        return await self.answers.answer(
            operation, plan, variables, headers, compute, caller=caller, include_plan=include_plan
        )


async def graphql_endpoint(request: Request) -> Response:
    """``GET``/``POST /graphql``: the request through every stage; any other method is a 405."""
    if request.method not in ALLOWED_METHODS:
        msg = f"{request.method} is not supported on /graphql; use GET or POST"
        return http.refusal(
            request, RouterError.of(msg, ErrorCode.METHOD_NOT_ALLOWED, headers={"allow": "GET, HEAD, POST"})
        )
    if http.wants_graphiql(request):
        return http.graphiql(request)
    try:
        answer = await _run(request)
    except RouterError as refused:
        return http.refusal(request, refused)
    except Exception as exc:
        log.exception("router.request_failed")
        report_exception(exc)
        return http.refusal(request, RouterError.of("internal router error", ErrorCode.INTERNAL_SERVER_ERROR))
    return http.answer_response(request, answer.body, answer.cache_control)


async def _run(request: Request) -> Answer:
    router = request.app.state.router
    pipeline: Pipeline | None = router.pipeline
    if pipeline is None:
        msg = "the router has no supergraph yet; subgraphs are still starting"
        raise RouterError.of(msg, ErrorCode.SUBGRAPH_UNAVAILABLE)
    caller, headers = await policy.admit(pipeline.edge, request)  # CSRF, identity, rate limit: before the body
    params = await http.read_request(request)  # the GraphQL parameters, from the query string or the body
    query = await document.document_text(pipeline.edge, params, caller)  # a persisted id becomes its text
    # Development mode only: the plan is the router's internals, not for production clients.
    include_plan = router.settings.kcp_dev and request.headers.get(INCLUDE_PLAN_HEADER) == "1"
    return await pipeline.respond(
        query,
        params.operation_name,
        params.variables,
        headers,
        allow_mutation=request.method == "POST",
        caller=caller,
        include_plan=include_plan,
    )


class GraphQLApp:
    """``/graphql`` as a plain ASGI app, so that every HTTP method reaches ``graphql_endpoint``.

    A Starlette function route answers a method it was not given with a text/plain 405; this way a
    PUT, PATCH or any unknown method still gets a JSON body with ``extensions.code``.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await graphql_endpoint(Request(scope, receive))
        await response(scope, receive, send)

"""The HTTP stage: GraphQL over HTTP in, a response out; the only stage that reads HTTP.

It reads and type-checks the request's parameters (query string or JSON body) and writes answers
and refusals with the media type the client asked for. Refused requests get their status and
``{"errors": [...]}`` with ``extensions.code``; never a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prometheus_client import Counter
from starlette.responses import HTMLResponse, JSONResponse, Response

from kcp.edge import body
from kcp.edge.body import JSON, MAX_BODY_BYTES, GraphQLRequest
from kcp.edge.refusal import Refusal
from kcp.errors import ErrorCode
from router.errors import RouterError
from router.graphiql import GRAPHIQL_HTML

if TYPE_CHECKING:
    from starlette.requests import Request

GRAPHQL_RESPONSE = "application/graphql-response+json"
__all__ = ["JSON", "MAX_BODY_BYTES", "GraphQLRequest", "read_request"]


def _accepted(accept: str) -> dict[str, float]:
    """Media types of an ``Accept`` header with their q-values (malformed parts are ignored)."""
    weights: dict[str, float] = {}
    for part in accept.split(","):
        media_type, *parameters = (piece.strip() for piece in part.split(";"))
        if not media_type:
            continue
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        weights[media_type.lower()] = max(quality, weights.get(media_type.lower(), 0.0))
    return weights


def _media_type(request: Request) -> str:
    """The GraphQL response type for a client that asks for it more than for ``application/json``.

    No Accept header, or ``*/*``, gets ``application/json``: what the GraphQL-over-HTTP spec's
    watershed rules and graphql-http's audit expect of a server that still serves legacy clients.
    """
    weights = _accepted(request.headers.get("accept", ""))
    legacy = max(weights.get(JSON, 0.0), weights.get("*/*", 0.0), weights.get("application/*", 0.0))
    modern = weights.get(GRAPHQL_RESPONSE, 0.0)
    if not weights:
        return JSON
    return GRAPHQL_RESPONSE if modern > 0 and modern >= legacy else JSON


# GraphQL request errors of a well-formed HTTP request. With application/json the spec asks for
# 200 and the errors in the body (legacy clients read the body, not the status); with
# application/graphql-response+json they are 4xx.
REQUEST_ERROR_CODES = frozenset(
    {
        ErrorCode.GRAPHQL_PARSE_FAILED,
        ErrorCode.GRAPHQL_VALIDATION_FAILED,
        ErrorCode.OPERATION_NOT_FOUND,
        ErrorCode.BAD_USER_INPUT,
    }
)


REFUSED = Counter(
    "router_request_errors_total",
    "Requests the router answered with an error and no data, by the first error's code "
    "(RATE_LIMITED, QUERY_PLANNING_FAILED, ...): what the rate-limit and planning alerts count.",
    ["code"],
)
for _code in (ErrorCode.RATE_LIMITED, ErrorCode.QUERY_PLANNING_FAILED):  # the alerts' series exist at 0 from the start
    REFUSED.labels(str(_code))


def refusal(request: Request, error: RouterError) -> Response:
    """A refused request's response: its status, headers and ``{"errors": [...]}``."""
    code = str(error.errors[0].get("extensions", {}).get("code", "UNKNOWN")) if error.errors else "UNKNOWN"
    REFUSED.labels(code).inc()
    media_type = _media_type(request)
    status = error.status
    if (
        media_type == JSON
        and status == 400  # noqa: PLR2004
        and all(e.get("extensions", {}).get("code") in REQUEST_ERROR_CODES for e in error.errors)
    ):
        status = 200
    return JSONResponse({"errors": error.errors}, status_code=status, media_type=media_type, headers=error.headers)


async def read_request(request: Request) -> GraphQLRequest:
    """The request's GraphQL parameters, from the query string (GET) or the JSON body (POST).

    The checks are the kernel's (``kcp.edge.body``), the same a subgraph makes.
    """
    try:
        return await body.read_request(request, MAX_BODY_BYTES)
    except Refusal as refused:
        raise RouterError(refused.errors, refused.status, headers=refused.headers) from None


def answer_response(request: Request, body: bytes, cache_control: str | None) -> Response:
    """An answer's response, in the media type the client asked for."""
    headers = {} if cache_control is None else {"cache-control": cache_control}
    return Response(body, media_type=_media_type(request), headers=headers)


def wants_graphiql(request: Request) -> bool:
    """A browser opening /graphql: GET without a query, asking for HTML."""
    return (
        request.method == "GET"
        and "query" not in request.query_params
        and "text/html" in request.headers.get("accept", "")
    )


def graphiql(_request: Request) -> Response:
    return HTMLResponse(GRAPHIQL_HTML)

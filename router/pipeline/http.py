"""The HTTP stage: GraphQL over HTTP in, a response out; the only stage that reads HTTP.

It reads and type-checks the request's parameters (query string or JSON body) and writes answers
and refusals with the media type the client asked for. Refused requests get their status and
``{"errors": [...]}`` with ``extensions.code``; never a traceback.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from prometheus_client import Counter
from starlette.responses import HTMLResponse, JSONResponse, Response

from kcp.errors import ErrorCode
from router.errors import RouterError
from router.graphiql import GRAPHIQL_HTML

if TYPE_CHECKING:
    from starlette.requests import Request

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
# A request body larger than this is refused (413) before it is parsed: documents are capped at
# MAX_TOKENS anyway, so only variables could make a body this big.
MAX_BODY_BYTES = 2 * 1024 * 1024
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
SURROGATE_ESCAPE_BYTES = re.compile(rb"\\u[dD][89a-fA-F]")


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


def _bad_request(message: str, status: int = 400) -> RouterError:
    return RouterError.of(message, ErrorCode.BAD_REQUEST, status=status)


def _no_json_constants(name: str) -> object:
    # NaN and Infinity are not JSON (RFC 8259), and could not be written back in a response.
    msg = f"{name} is not a JSON value"
    raise ValueError(msg)


def _parse_json(raw: str | bytes, what: str) -> object:
    """Strict JSON: no NaN/Infinity, no lone surrogates, nesting within the interpreter's limits."""
    try:
        value = json.loads(raw, parse_constant=_no_json_constants)
    except RecursionError as exc:
        raise _bad_request(f"{what} is nested too deeply") from exc
    except ValueError as exc:  # includes UnicodeDecodeError: bytes that are not UTF-8/16/32
        raise _bad_request(f"{what} is not valid JSON") from exc
    # A lone surrogate (an unpaired \ud800 escape) parses, then breaks hashing and UTF-8 output. Only
    # an escaped surrogate can produce one, so the costly re-encoding runs only when the text has one.
    # (A body in UTF-16/32, which json.loads also reads, has NUL bytes: checked in full.)
    if (isinstance(raw, str) and SURROGATE_ESCAPE.search(raw)) or (
        isinstance(raw, bytes) and (SURROGATE_ESCAPE_BYTES.search(raw) or b"\x00" in raw)
    ):
        try:
            json.dumps(value, ensure_ascii=False).encode()
        except UnicodeEncodeError as exc:
            raise _bad_request(f"{what} contains a lone UTF-16 surrogate") from exc
        except RecursionError as exc:
            raise _bad_request(f"{what} is nested too deeply") from exc
    return value


def _json_param(raw: str | None, name: str) -> object:
    if raw is None or raw == "":
        return None
    return _parse_json(raw, f"the {name} parameter")


def _check_content_type(request: Request) -> None:
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != JSON:
        # Also what keeps a cross-site <form> or text/plain fetch (no CORS preflight) from posting.
        msg = f"a POST body needs Content-Type: {JSON} (got {media_type or 'none'})"
        raise _bad_request(msg, status=415)


async def _read_body(request: Request) -> bytes:
    too_large = _bad_request(f"the request body is larger than {MAX_BODY_BYTES} bytes", status=413)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


async def _read_params(request: Request) -> dict[str, object]:
    if request.method in {"GET", "HEAD"}:
        params = request.query_params
        return {
            "query": params.get("query"),
            "operationName": params.get("operationName") or None,
            "variables": _json_param(params.get("variables"), "variables"),
            "extensions": _json_param(params.get("extensions"), "extensions"),
        }
    _check_content_type(request)
    payload = _parse_json(await _read_body(request), "the request body")
    if not isinstance(payload, dict):
        raise _bad_request("the request body must be a JSON object")
    return payload


@dataclass(frozen=True, slots=True)
class GraphQLRequest:
    """The parameters of a GraphQL-over-HTTP request, checked for type."""

    query: str | None
    operation_name: str | None
    variables: dict[str, Any]
    extensions: dict[str, Any] | None


def _checked(params: dict[str, object]) -> GraphQLRequest:
    query = params.get("query")
    if query is not None and not isinstance(query, str):
        raise _bad_request("query must be a string")
    operation_name = params.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise _bad_request("operationName must be a string")
    variables = params.get("variables")
    if variables is None:
        variables = {}
    if not isinstance(variables, dict):
        raise _bad_request("variables must be a JSON object")
    extensions = params.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise _bad_request("extensions must be a JSON object")
    return GraphQLRequest(query, operation_name, variables, extensions)


async def read_request(request: Request) -> GraphQLRequest:
    """The request's GraphQL parameters, from the query string (GET) or the JSON body (POST)."""
    return _checked(await _read_params(request))


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

"""A GraphQL-over-HTTP request's parameters, read and checked before anything parses a document.

Refusals (``Refusal``, code ``BAD_REQUEST``): a POST without ``Content-Type: application/json``
(415), a body over the process's maximum (413, counted while it streams in, never buffered
whole), bytes that are not UTF-8 (or UTF-16/32 JSON), JSON that is not strict (NaN, Infinity, a
lone UTF-16 surrogate, raw or escaped), nesting past the interpreter's limit, a body that is not an
object, and parameters of the wrong type.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kcp.edge.refusal import Refusal
from kcp.errors import ErrorCode

if TYPE_CHECKING:
    from starlette.requests import Request

JSON = "application/json"
# The router's maximum: documents are capped at MAX_TOKENS anyway, so only variables could make a
# client's body this big.
MAX_BODY_BYTES = 2 * 1024 * 1024
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
UTF8_BOMLESS = "utf-8"


def bad_request(message: str, status: int = 400) -> Refusal:
    return Refusal.bad_request(message, ErrorCode.BAD_REQUEST, status=status)


def _no_json_constants(name: str) -> object:
    # NaN and Infinity are not JSON (RFC 8259), and could not be written back in a response.
    msg = f"{name} is not a JSON value"
    raise ValueError(msg)


def _text(raw: str | bytes, what: str) -> str:
    """The body as text, strictly: json.loads would decode bytes with 'surrogatepass', letting UTF-8
    encoded surrogates (ED A0..BF ..) through as lone surrogates that later break every encoder."""
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode(json.detect_encoding(raw))
    except UnicodeDecodeError as exc:
        raise bad_request(f"{what} is not valid UTF-8") from exc


def parse_json(raw: str | bytes, what: str) -> object:
    """Strict JSON: valid UTF-8, no NaN/Infinity, no lone surrogates, nesting within the interpreter's limits."""
    text = _text(raw, what)
    try:
        value = json.loads(text, parse_constant=_no_json_constants)
    except RecursionError as exc:
        raise bad_request(f"{what} is nested too deeply") from exc
    except ValueError as exc:
        raise bad_request(f"{what} is not valid JSON") from exc
    # A lone surrogate (an unpaired \ud800 escape) parses, then breaks hashing and UTF-8 output. The
    # text decoded strictly, only an escape can produce one: the costly re-encoding runs only then.
    if SURROGATE_ESCAPE.search(text):
        try:
            json.dumps(value, ensure_ascii=False).encode()
        except UnicodeEncodeError as exc:
            raise bad_request(f"{what} contains a lone UTF-16 surrogate") from exc
        except RecursionError as exc:
            raise bad_request(f"{what} is nested too deeply") from exc
    return value


def _json_param(raw: str | None, name: str) -> object:
    if raw is None or raw == "":
        return None
    return parse_json(raw, f"the {name} parameter")


def check_content_type(request: Request) -> None:
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != JSON:
        # Also what keeps a cross-site <form> or text/plain fetch (no CORS preflight) from posting.
        msg = f"a POST body needs Content-Type: {JSON} (got {media_type or 'none'})"
        raise bad_request(msg, status=415)


async def read_body(request: Request, max_bytes: int = MAX_BODY_BYTES) -> bytes:
    """The whole body, refused (413) as soon as it is known to be over ``max_bytes``."""
    too_large = bad_request(f"the request body is larger than {max_bytes} bytes", status=413)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass(frozen=True, slots=True)
class GraphQLRequest:
    """The parameters of a GraphQL-over-HTTP request, checked for type."""

    query: str | None
    operation_name: str | None
    variables: dict[str, Any]
    extensions: dict[str, Any] | None


def checked_params(params: object) -> GraphQLRequest:
    """The parameters of a parsed body or query string, or a refusal naming the one of the wrong type."""
    if not isinstance(params, dict):
        raise bad_request("the request body must be a JSON object")
    query = params.get("query")
    if query is not None and not isinstance(query, str):
        raise bad_request("query must be a string")
    operation_name = params.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise bad_request("operationName must be a string")
    variables = params.get("variables")
    if variables is None:
        variables = {}
    if not isinstance(variables, dict):
        raise bad_request("variables must be a JSON object")
    extensions = params.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise bad_request("extensions must be a JSON object")
    return GraphQLRequest(query, operation_name, variables, extensions)


def query_string_params(request: Request) -> GraphQLRequest:
    """A GET request's parameters."""
    params = request.query_params
    return checked_params(
        {
            "query": params.get("query"),
            "operationName": params.get("operationName") or None,
            "variables": _json_param(params.get("variables"), "variables"),
            "extensions": _json_param(params.get("extensions"), "extensions"),
        }
    )


async def read_request(
    request: Request, max_body_bytes: int = MAX_BODY_BYTES, *, body: bytes | None = None
) -> GraphQLRequest:
    """The request's GraphQL parameters, from the query string (GET) or the JSON body (POST).

    ``body``: the body when the caller has read it already (a subgraph checks its signature first).
    """
    if request.method in {"GET", "HEAD"}:
        return query_string_params(request)
    check_content_type(request)
    raw = body if body is not None else await read_body(request, max_body_bytes)
    return checked_params(parse_json(raw, "the request body"))

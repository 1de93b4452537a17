"""The router's one error type, and the one place its GraphQL error dicts are built.

Every refusal the router makes before or instead of executing (a malformed request, a document
that does not validate, a policy that says no, a plan that cannot be made) is a ``RouterError``:
the response's ``errors`` list, the HTTP status and any headers the refusal needs (``allow``,
``retry-after``, ``www-authenticate``). Its status defaults by code (``STATUS``), so a stage names
what went wrong and this module says what HTTP makes of it.

Errors that do not refuse the request (a subgraph that failed, a null in a non-null position, a
field authorization removed) are built by ``build_error`` too, and a subgraph's own errors are
passed on by ``forwarded_error``; both go in the response beside the data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kcp.edge.document import graphql_error
from kcp.edge.refusal import Refusal, build_error
from kcp.errors import ErrorCode

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence


# The HTTP status of a refusal, by its code; anything not listed is a 400.
STATUS: dict[ErrorCode, int] = {
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.INTROSPECTION_DISABLED: 403,
    ErrorCode.METHOD_NOT_ALLOWED: 405,
    ErrorCode.RATE_LIMITED: 429,
    # Apollo's protocol: the client resends the hash with the text on this answer, read from a 200.
    ErrorCode.PERSISTED_QUERY_NOT_FOUND: 200,
    ErrorCode.INTERNAL_SERVER_ERROR: 500,
    # A valid operation the router cannot plan is the supergraph's or the planner's fault.
    ErrorCode.QUERY_PLANNING_FAILED: 500,
    ErrorCode.SUBGRAPH_UNAVAILABLE: 503,
}


def forwarded_error(source: Mapping[str, Any], subgraph: str, path: Sequence[str | int] | None) -> dict[str, Any]:
    """A subgraph's GraphQL error as the router passes it on: its message and extensions, tagged
    with the subgraph (``serviceName``), at ``path`` in the client's response (None: no path).

    A subgraph's locations point into the fetch document the router wrote, not into the client's;
    passing them on would mislead, so they are dropped (the path says where).
    """
    built: dict[str, Any] = {"message": str(source.get("message", "subgraph error"))}
    if path is not None:
        built["path"] = path
    raw_extensions = source.get("extensions")
    extensions: dict[str, Any] = dict(raw_extensions) if isinstance(raw_extensions, dict) else {}
    extensions.setdefault("serviceName", subgraph)
    built["extensions"] = extensions
    return built


__all__ = ["STATUS", "RouterError", "build_error", "forwarded_error", "graphql_error"]


class RouterError(Refusal):
    """A request the router refuses: ``errors`` is the response's error list, ``status`` its HTTP status.

    The kernel's edge checks (``kcp.edge``) raise its base, ``Refusal``; the pipeline treats both alike.
    """

    @classmethod
    def of(
        cls,
        message: str,
        code: ErrorCode,
        *,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        **extensions: object,
    ) -> RouterError:
        """A refusal with one error; its status is the code's (``STATUS``) unless given."""
        return cls(
            [build_error(message, code, **extensions)],
            STATUS.get(code, 400) if status is None else status,
            headers=headers,
        )

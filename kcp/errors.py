"""Stable ``extensions.code`` values shared by the router and every subgraph."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Codes clients may rely on; a code is never renamed once published."""

    BAD_REQUEST = "BAD_REQUEST"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    OPERATION_NOT_FOUND = "OPERATION_NOT_FOUND"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    OPERATION_LIMIT_EXCEEDED = "OPERATION_LIMIT_EXCEEDED"
    COST_LIMIT_EXCEEDED = "COST_LIMIT_EXCEEDED"
    RATE_LIMITED = "RATE_LIMITED"
    CSRF_PREVENTED = "CSRF_PREVENTED"
    INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION"  # a workflow move its state machine forbids
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"  # same key, same caller, different input
    SUBREQUEST_HTTP_ERROR = "SUBREQUEST_HTTP_ERROR"
    SUBGRAPH_UNAVAILABLE = "SUBGRAPH_UNAVAILABLE"
    STORE_UNAVAILABLE = "STORE_UNAVAILABLE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
    QUERY_PLANNING_FAILED = "QUERY_PLANNING_FAILED"  # a valid operation the supergraph gives no way to fetch
    QUERY_PLANNING_TIMEOUT = "QUERY_PLANNING_TIMEOUT"  # planning took longer than the router's budget
    UNAUTHORIZED_FIELD_OR_TYPE = "UNAUTHORIZED_FIELD_OR_TYPE"  # a field removed by @authenticated/@requiresScopes
    # Apollo's persisted-query and trusted-document codes, as its clients expect them.
    PERSISTED_QUERY_BAD_REQUEST = "PERSISTED_QUERY_BAD_REQUEST"
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    PERSISTED_QUERY_HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
    PERSISTED_QUERY_NOT_IN_LIST = "PERSISTED_QUERY_NOT_IN_LIST"
    FEATURE_DISABLED = "FEATURE_DISABLED"  # switched off by configuration (e.g. ENABLE_CONTENT_GENERATION)
    UPSTREAM_UNAVAILABLE = "UPSTREAM_UNAVAILABLE"  # a service this operation depends on did not answer


class KcpError(Exception):
    """An expected failure a client should see, with its stable code.

    Subgraphs raise subclasses of it from services; anything else that escapes a resolver is
    masked as ``INTERNAL_SERVER_ERROR`` so no stack trace or internal detail reaches a client.
    """

    code: ErrorCode = ErrorCode.BAD_USER_INPUT

    def __init__(self, message: str, *, code: ErrorCode | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.extensions: dict[str, object] = {"code": str(self.code)}


class NotFoundError(KcpError):
    """The object asked for does not exist."""

    code = ErrorCode.NOT_FOUND


class UnauthenticatedError(KcpError):
    """The caller has not proven who they are, or the proof is invalid."""

    code = ErrorCode.UNAUTHENTICATED


class ForbiddenError(KcpError):
    """The caller is known but lacks the scope the operation needs."""

    code = ErrorCode.FORBIDDEN

"""Expected failures of graph traversals and graph edits."""

from __future__ import annotations

from kcp.errors import ErrorCode, KcpError, NotFoundError


class TraversalLimitError(KcpError):
    """A traversal asked to go deeper or wider than the graph allows."""

    code = ErrorCode.BAD_USER_INPUT

    def __init__(self, argument: str, value: int, maximum: int, minimum: int = 1) -> None:
        super().__init__(f"`{argument}` must be between {minimum} and {maximum}, got {value}.")
        self.extensions.update({"argument": argument, "maximum": maximum})


class InvalidLinkError(KcpError):
    code = ErrorCode.BAD_USER_INPUT


class RecordNotFoundError(NotFoundError):
    def __init__(self, role: str, label: str, record_id: str) -> None:
        super().__init__(f"`{role}` {record_id!r} is not a {label}.")
        self.extensions["argument"] = role

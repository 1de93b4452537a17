"""Bounds of list arguments (`first`) shared by every subgraph."""

from __future__ import annotations

from kcp.errors import ErrorCode, KcpError

MAX_PAGE_SIZE = 100


def check_first(first: int, maximum: int = MAX_PAGE_SIZE) -> int:
    """Reject a page size outside ``1..maximum`` with a ``BAD_USER_INPUT`` naming the limit."""
    if not 1 <= first <= maximum:
        msg = f"`first` must be between 1 and {maximum}, got {first}."
        raise KcpError(msg, code=ErrorCode.BAD_USER_INPUT)
    return first

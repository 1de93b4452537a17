"""Bounds of list arguments and the Relay-style connection types every subgraph shares.

Cursors are opaque to clients (base64 of the position), so the paging scheme can change without
breaking anyone; a cursor that does not decode is a ``BAD_USER_INPUT``, not a 500.
``PageInfo`` is ``@shareable`` because every subgraph defines it identically.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

import strawberry

from kcp.errors import ErrorCode, KcpError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

MAX_PAGE_SIZE = 100
CURSOR_PREFIX = "offset:"

Node = TypeVar("Node")
Row = TypeVar("Row")


def check_first(first: int, maximum: int = MAX_PAGE_SIZE) -> int:
    """Reject a page size outside ``1..maximum`` with a ``BAD_USER_INPUT`` naming the limit."""
    if not 1 <= first <= maximum:
        msg = f"`first` must be between 1 and {maximum}, got {first}."
        raise KcpError(msg, code=ErrorCode.BAD_USER_INPUT)
    return first


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    """The position a cursor stands for; ``BAD_USER_INPUT`` for anything we did not issue."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if text.startswith(CURSOR_PREFIX):
            offset = int(text.removeprefix(CURSOR_PREFIX))
            if offset >= 0:
                return offset
    except (binascii.Error, UnicodeError, ValueError):
        pass
    msg = f"`after` is not a cursor this API issued: {cursor[:40]!r}"
    raise KcpError(msg, code=ErrorCode.BAD_USER_INPUT)


@dataclass(frozen=True, slots=True)
class Window:
    """Which rows a page covers: fetch ``limit + 1`` rows from ``offset`` to learn if more follow."""

    offset: int
    limit: int

    @classmethod
    def of(cls, first: int, after: str | None, maximum: int = MAX_PAGE_SIZE) -> Window:
        start = 0 if after is None else decode_cursor(after) + 1
        return cls(offset=start, limit=check_first(first, maximum))


@strawberry.federation.type(shareable=True)
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[Node]):
    cursor: str
    node: Node


@strawberry.type
class Connection(Generic[Node]):
    """A page of results; Strawberry names it after the node type (``ProductConnection``)."""

    edges: list[Edge[Node]]
    page_info: PageInfo
    total_count: int


def connection(
    rows: Sequence[Row], window: Window, total_count: int, to_node: Callable[[Row], Node]
) -> Connection[Node]:
    """The page for ``rows``, fetched with ``window`` (up to ``limit + 1`` of them)."""
    page = rows[: window.limit]
    edges = [Edge(cursor=encode_cursor(window.offset + index), node=to_node(row)) for index, row in enumerate(page)]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(rows) > window.limit,
            has_previous_page=window.offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total_count,
    )

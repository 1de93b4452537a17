"""Connections page through rows with opaque cursors and refuse cursors they did not issue."""

from __future__ import annotations

import pytest

from kcp.errors import ErrorCode, KcpError
from kcp.pagination import Window, connection, encode_cursor


def test_pages_follow_each_other_without_gaps() -> None:
    rows = list(range(7))
    seen: list[int] = []
    after: str | None = None
    while True:
        window = Window.of(3, after)
        page = connection(rows[window.offset : window.offset + window.limit + 1], window, len(rows), lambda r: r * 10)
        seen.extend(edge.node for edge in page.edges)
        assert page.total_count == 7
        if not page.page_info.has_next_page:
            break
        after = page.page_info.end_cursor
    assert seen == [r * 10 for r in rows]
    assert page.page_info.has_previous_page


@pytest.mark.parametrize("cursor", ["garbage", encode_cursor(-1).replace("=", ""), "b2Zmc2V0Ong="])
def test_foreign_cursors_are_bad_input(cursor: str) -> None:
    with pytest.raises(KcpError) as refused:
        Window.of(3, cursor)
    assert refused.value.code == ErrorCode.BAD_USER_INPUT


def test_page_size_is_bounded() -> None:
    with pytest.raises(KcpError, match="between 1 and 100"):
        Window.of(101, None)

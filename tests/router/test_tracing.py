"""Requests join the client's W3C trace or start one; subgraphs receive it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from kcp.tracing import continue_trace

if TYPE_CHECKING:
    import httpx
    from router_harness import Subgraphs

CLIENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def test_a_client_trace_is_continued_with_a_new_span() -> None:
    trace_id, forwarded = continue_trace(CLIENT)
    assert trace_id == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert forwarded.startswith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
    assert forwarded.endswith("-01")
    assert forwarded != CLIENT


@pytest.mark.parametrize("header", [None, "", "garbage", "00-" + "0" * 32 + "-00f067aa0ba902b7-01", CLIENT + "x"])
def test_a_missing_or_invalid_trace_starts_a_new_one(header: str | None) -> None:
    trace_id, forwarded = continue_trace(header)
    assert len(trace_id) == 32
    assert trace_id != "0" * 32
    assert forwarded.startswith(f"00-{trace_id}-")


@pytest.mark.asyncio
async def test_subgraphs_receive_the_trace(router: httpx.AsyncClient, subgraphs: Subgraphs) -> None:
    subgraphs.clear()
    query = {"query": "{ topProducts(first: 1) { name } }"}
    await router.post("/graphql", json=query, headers={"traceparent": CLIENT})
    received = subgraphs.recorders["products"].headers[-1]["traceparent"]
    assert received.startswith("00-4bf92f3577b34da6a3ce929d0e0e4736-")

"""The router is ready when it has a supergraph and every subgraph answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from router_harness import router_client, settings, write_supergraph

from router.app import create_app

if TYPE_CHECKING:
    from pathlib import Path

    import httpx
    from router_harness import Subgraphs


@pytest.mark.asyncio
async def test_a_subgraph_that_does_not_answer_is_named_by_ready(subgraphs: Subgraphs, tmp_path: Path) -> None:
    urls = {**subgraphs.urls, "reviews": "http://127.0.0.1:9/graphql"}
    async with router_client(create_app(settings(), write_supergraph(tmp_path, urls))) as client:
        ready = await client.get("/ready")
        health = await client.get("/health")
    assert health.status_code == 200
    assert ready.status_code == 503
    assert ready.json()["subgraphs"] == {"reviews": "unreachable (ConnectError)"}


@pytest.mark.asyncio
async def test_ready_when_every_subgraph_answers(router: httpx.AsyncClient) -> None:
    response = await router.get("/ready")
    assert response.json() == {"status": "ready", "service": "router"}

"""Events reach analytics through its public mutation, and never block or fail the emitting service."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import httpx
import pytest
from prometheus_client import REGISTRY

from kcp.events import EventEmitter
from kcp.settings import Settings
from subgraphs.analytics.app import create_app

if TYPE_CHECKING:
    from pathlib import Path

COUNTS = "query($from: DateTime!, $to: DateTime!) { eventCounts(from: $from, to: $to) { kind count } }"


def dropped(service: str, reason: str) -> float:
    value = REGISTRY.get_sample_value("kcp_events_dropped_total", {"service": service, "reason": reason})
    return value or 0.0


@pytest.mark.asyncio
async def test_emitted_events_are_stored_by_analytics(tmp_path: Path) -> None:
    settings = Settings(kcp_data_dir=tmp_path, analytics_service_url="http://analytics/graphql")
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://analytics") as http,
    ):
        emitter = EventEmitter(settings, service="knowledge", client=http)
        await emitter.start()
        emitter.emit("search", query="anc noise", resultCount=0)
        emitter.emit("search", query="pairing", resultCount=4)
        await emitter.stop()
        now = datetime.now(UTC)
        window = {"from": (now - timedelta(hours=1)).isoformat(), "to": (now + timedelta(hours=1)).isoformat()}
        body = (await http.post("/graphql", json={"query": COUNTS, "variables": window})).json()
    assert {"kind": "SEARCH", "count": 2} in body["data"]["eventCounts"]


@pytest.mark.asyncio
async def test_analytics_down_drops_and_counts_without_raising(tmp_path: Path) -> None:
    settings = Settings(kcp_data_dir=tmp_path, analytics_service_url="http://127.0.0.1:9/graphql")
    emitter = EventEmitter(settings, service="test-down")
    await emitter.start()
    before = dropped("test-down", "unavailable")
    emitter.emit("search", query="anything", resultCount=1)  # returns at once: nothing awaited
    await emitter.stop()
    assert dropped("test-down", "unavailable") == before + 1

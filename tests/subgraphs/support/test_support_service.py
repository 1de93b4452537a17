"""The support service itself: seeding, health, masking of unexpected errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from support_world import AGENT, as_caller, demo_data

import demo
from subgraphs.support.seed import seed
from subgraphs.support.stores import SupportStores
from subgraphs.support.tickets.repository import TicketRepository

if TYPE_CHECKING:
    from kcp.settings import Settings


async def counts(settings: Settings) -> tuple[int, int]:
    stores = SupportStores.open(settings)
    try:
        async with stores.relational.reading() as session:
            tickets = await TicketRepository(session).count_tickets()
        return tickets, await stores.transcripts.count()
    finally:
        await stores.close()


@pytest.mark.asyncio
async def test_seeding_twice_changes_nothing(settings: Settings, new_progress) -> None:
    first, second = new_progress(), new_progress()
    await seed(settings, demo_data(), first)
    await seed(settings, demo_data(), second)
    assert first.steps == second.steps == [("support tickets", 5)]
    assert second.done == 5
    assert await counts(settings) == (5, 3)


@pytest.mark.asyncio
async def test_the_demo_tickets_cover_every_state_and_field(settings: Settings, new_progress, graphql_app) -> None:
    data = demo.generate()
    await seed(settings, data, new_progress())
    from subgraphs.support.app import create_app  # noqa: PLC0415 - after seeding, as the service starts

    query = """query($after: String) { tickets(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        edges { node { status priority channel tags assignee { id } firstResponseSeconds resolutionSeconds
            closedAt satisfaction { score comment } messages(includeInternal: true) { internal } } }
    } }"""
    tickets = []
    async with graphql_app(create_app(settings)) as client:
        after = None
        while True:
            page = (await client.gql(query, {"after": after}, headers=as_caller(AGENT)))["data"]["tickets"]
            tickets += [edge["node"] for edge in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    assert len(tickets) == len(data.tickets)
    assert {t["status"] for t in tickets} == {"OPEN", "PENDING", "SOLVED", "CLOSED"}
    assert {t["priority"] for t in tickets} == {"LOW", "NORMAL", "HIGH", "URGENT"}
    assert {t["channel"] for t in tickets} == {"EMAIL", "CHAT", "PHONE", "WEB"}
    assert any(t["assignee"] is None for t in tickets)
    assert all(t["tags"] for t in tickets)
    assert any(t["firstResponseSeconds"] is not None for t in tickets)
    assert any(t["firstResponseSeconds"] is None for t in tickets)
    assert all(t["resolutionSeconds"] > 0 for t in tickets if t["status"] in ("SOLVED", "CLOSED"))
    assert all(t["resolutionSeconds"] is None for t in tickets if t["status"] in ("OPEN", "PENDING"))
    assert all((t["closedAt"] is not None) == (t["status"] == "CLOSED") for t in tickets)
    scores = {t["satisfaction"]["score"] for t in tickets if t["satisfaction"]}
    assert scores == {1, 2, 3, 4, 5}
    assert any(t["satisfaction"] and t["satisfaction"]["comment"] for t in tickets)
    assert any(m["internal"] for t in tickets for m in t["messages"])


@pytest.mark.asyncio
async def test_health_and_readiness(client) -> None:
    assert (await client.http.get("/health")).json() == {"status": "ok", "service": "support"}
    assert (await client.http.get("/ready")).json() == {"status": "ready", "service": "support"}


@pytest.mark.asyncio
async def test_unexpected_errors_are_masked(client, monkeypatch: pytest.MonkeyPatch, error_codes) -> None:
    async def broken(*_args: object, **_kwargs: object) -> None:
        msg = "connection string postgres://secret"
        raise RuntimeError(msg)

    monkeypatch.setattr(TicketRepository, "tickets_by_ids", broken)
    response = await client.http.post(
        "/graphql", json={"query": '{ ticket(id: "tkt-0001") { id } }'}, headers=as_caller(AGENT)
    )
    assert "secret" not in response.text
    body = response.json()
    assert body["errors"][0]["message"] == "Internal server error."
    assert error_codes(body) == ["INTERNAL_SERVER_ERROR"]

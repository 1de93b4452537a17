"""Who may send which events, whose they are, and idempotency by client event id."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio

from kcp.identity import CallerKind
from subgraphs.analytics.app import create_app

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from kcp.settings import Settings

TRACK_MANY = "mutation($i: [TrackEventInput!]!) { trackEvents(inputs: $i) { id kind clientEventId } }"
COUNTS = """{ _entities(representations: [{__typename: "Product", id: "prd-a"}])
    { ... on Product { analytics { pageViews ticketsCreated ticketsSolved totalEvents } } } }"""
TICKET = {"kind": "TICKET_CREATED", "ticketId": "tkt-1", "productId": "prd-a"}
VIEW = {"kind": "PAGE_VIEW", "productId": "prd-a"}


@pytest_asyncio.fixture
async def client(settings: Settings, graphql_app) -> AsyncIterator[Any]:
    async with graphql_app(create_app(settings), base_url="http://analytics") as api:
        yield api


async def product_counts(client) -> dict[str, int]:
    return (await client.gql(COUNTS))["data"]["_entities"][0]["analytics"]


@pytest.mark.asyncio
async def test_client_kinds_may_be_anonymous_server_kinds_need_analytics_write(
    client, as_caller, service_headers, error_codes
) -> None:
    body = await client.gql(TRACK_MANY, {"i": [VIEW]})
    assert body["data"]["trackEvents"][0]["kind"] == "PAGE_VIEW"

    anonymous = await client.gql(TRACK_MANY, {"i": [VIEW, TICKET]})
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    customer = await client.gql(TRACK_MANY, {"i": [TICKET]}, headers=as_caller("support:own"))
    assert error_codes(customer) == ["FORBIDDEN"]
    assert customer["errors"][0]["message"] == "Missing scope analytics:write for ticket_created events"
    # Refused batches store nothing, the page view sent beside the ticket included.
    assert await product_counts(client) == {"pageViews": 1, "ticketsCreated": 0, "ticketsSolved": 0, "totalEvents": 1}

    solved = {"kind": "TICKET_SOLVED", "ticketId": "tkt-1", "productId": "prd-a", "deflected": True}
    body = await client.gql(TRACK_MANY, {"i": [TICKET, solved]}, headers=service_headers)
    assert [e["kind"] for e in body["data"]["trackEvents"]] == ["TICKET_CREATED", "TICKET_SOLVED"]
    assert await product_counts(client) == {"pageViews": 1, "ticketsCreated": 1, "ticketsSolved": 1, "totalEvents": 3}


@pytest.mark.asyncio
async def test_events_belong_to_the_signed_in_user_and_no_one_else(client, as_caller, error_codes) -> None:
    user = as_caller(subject="usr-7")
    body = await client.gql(TRACK_MANY, {"i": [VIEW]}, headers=user)
    assert "errors" not in body
    spoofed = await client.gql(TRACK_MANY, {"i": [VIEW | {"userId": "usr-8"}]}, headers=user)
    assert error_codes(spoofed) == ["FORBIDDEN"]
    anonymous_spoof = await client.gql(TRACK_MANY, {"i": [VIEW | {"userId": "usr-8"}]})
    assert error_codes(anonymous_spoof) == ["FORBIDDEN"]
    active = await client.gql(
        'query { metrics(from: "2020-01-01T00:00:00Z", to: "2021-12-31T00:00:00Z") { activeUserCount } }',
        headers=as_caller("analytics:read"),
    )
    assert active["data"]["metrics"]["activeUserCount"] == 0  # the view happened now, not in 2020
    now_range = await client.gql(
        "query($f: DateTime!, $t: DateTime!) { metrics(from: $f, to: $t) { activeUserCount } }",
        {"f": "2026-01-01T00:00:00Z", "t": "2027-06-01T00:00:00Z"},
        headers=as_caller("analytics:read"),
    )
    assert now_range["data"]["metrics"]["activeUserCount"] == 1


@pytest.mark.asyncio
async def test_a_client_event_id_is_stored_once_per_sender(client, as_caller) -> None:
    keyed = VIEW | {"clientEventId": "tab-1:42"}
    first = (await client.gql(TRACK_MANY, {"i": [keyed]}))["data"]["trackEvents"]
    # Sent again, and twice within one batch: the stored event answers, nothing new is written.
    again = (await client.gql(TRACK_MANY, {"i": [keyed, keyed, VIEW]}))["data"]["trackEvents"]
    assert again[0] == again[1] == first[0] == {"id": first[0]["id"], "kind": "PAGE_VIEW", "clientEventId": "tab-1:42"}
    assert again[2]["id"] != first[0]["id"]
    assert (await product_counts(client))["pageViews"] == 2
    # The same key from another sender is another event.
    other = (await client.gql(TRACK_MANY, {"i": [keyed]}, headers=as_caller(subject="usr-9")))["data"]["trackEvents"]
    assert other[0]["id"] != first[0]["id"]
    assert (await product_counts(client))["pageViews"] == 3


@pytest.mark.asyncio
async def test_concurrent_retries_of_one_event_store_it_once(client, as_caller) -> None:
    service = as_caller("analytics:write", subject="support", kind=CallerKind.SERVICE)
    keyed = TICKET | {"clientEventId": "ticket_created:tkt-1"}
    bodies = await asyncio.gather(*(client.gql(TRACK_MANY, {"i": [keyed]}, headers=service) for _ in range(6)))
    ids = {body["data"]["trackEvents"][0]["id"] for body in bodies}
    assert len(ids) == 1
    assert (await product_counts(client))["ticketsCreated"] == 1


@pytest.mark.asyncio
async def test_searches_about_a_product_count_for_it(client) -> None:
    search = {"kind": "SEARCH", "query": "anc", "resultCount": 2, "productId": "prd-a"}
    await client.gql(TRACK_MANY, {"i": [search, search | {"productId": "prd-b"}]})
    body = await client.gql(
        '{ _entities(representations: [{__typename: "Product", id: "prd-a"}]) '
        "{ ... on Product { analytics { searches pageViews } } } }"
    )
    assert body["data"]["_entities"] == [{"analytics": {"searches": 1, "pageViews": 0}}]


NOW_RANGE = {"f": "2026-01-01T00:00:00Z", "t": "2027-06-01T00:00:00Z"}
TICKETS_BY_PRODUCT = """query($f: DateTime!, $t: DateTime!) { metrics(from: $f, to: $t) {
    ticketsByProduct { product { id } created solved deflected selfServiceDeflections } } }"""
SELF_SERVICE = """{ _entities(representations: [{__typename: "Product", id: "prd-a"}])
    { ... on Product { analytics { ticketsCreated ticketsDeflected selfServiceDeflections totalEvents } } } }"""


@pytest.mark.asyncio
async def test_a_ticket_avoided_by_a_suggested_solution_is_sent_anonymously_and_counted_apart(
    client, as_caller, service_headers, error_codes
) -> None:
    avoided = {"kind": "TICKET_DEFLECTED", "productId": "prd-a", "solutionId": "sol-7"}
    body = await client.gql(TRACK_MANY, {"i": [avoided, avoided | {"solutionId": "sol-8"}]})
    assert [e["kind"] for e in body["data"]["trackEvents"]] == ["TICKET_DEFLECTED", "TICKET_DEFLECTED"]
    signed_in = await client.gql(TRACK_MANY, {"i": [avoided]}, headers=as_caller(subject="usr-3"))
    assert "errors" not in signed_in

    # What the kind needs is checked on arrival, and a refused batch stores nothing.
    for missing, field in (
        (avoided | {"solutionId": None}, "solutionId"),
        (avoided | {"productId": None}, "productId"),
    ):
        refused = await client.gql(TRACK_MANY, {"i": [avoided, missing]})
        assert error_codes(refused) == ["BAD_USER_INPUT"], field
        assert refused["errors"][0]["message"] == (
            "inputs[1]: ticket_deflected events need a productId and the solutionId that helped"
        )

    # Counted beside the tickets, never as one: created, solved and deflected keep their meaning.
    solved = {"kind": "TICKET_SOLVED", "ticketId": "tkt-1", "productId": "prd-a", "deflected": True}
    await client.gql(TRACK_MANY, {"i": [TICKET, solved]}, headers=service_headers)
    assert (await client.gql(SELF_SERVICE))["data"]["_entities"][0]["analytics"] == {
        "ticketsCreated": 1,
        "ticketsDeflected": 1,
        "selfServiceDeflections": 3,
        "totalEvents": 5,
    }
    only_avoided = {"kind": "TICKET_DEFLECTED", "productId": "prd-b", "solutionId": "sol-1"}
    await client.gql(TRACK_MANY, {"i": [only_avoided]})
    metrics = await client.gql(TICKETS_BY_PRODUCT, NOW_RANGE, headers=as_caller("analytics:read"))
    assert metrics["data"]["metrics"]["ticketsByProduct"] == [
        {"product": {"id": "prd-a"}, "created": 1, "solved": 1, "deflected": 1, "selfServiceDeflections": 3},
        {"product": {"id": "prd-b"}, "created": 0, "solved": 0, "deflected": 0, "selfServiceDeflections": 1},
    ]

"""Reading tickets over HTTP: who sees what, the queue as a connection, entities in batches."""

from __future__ import annotations

from typing import Any

import pytest
from support_world import (
    AGENT,
    AGENT_ID,
    ANALYST,
    CUSTOMER,
    CUSTOMER_ID,
    EDITOR,
    LIBERTY,
    OTHER_AGENT_ID,
    OTHER_CUSTOMER,
    SPACE,
    as_caller,
)

from kcp.identity.signed_headers import IDENTITY_HEADER

TICKET = """query($id: ID!) { ticket(id: $id) {
    id subject description status priority channel tags createdAt updatedAt
    firstResponseAt firstResponseSeconds solvedAt closedAt resolutionSeconds satisfaction { score comment ratedAt }
    product { id } customer { id } assignee { id }
    messages { id body internal author { id } createdAt }
} }"""


def queue_ids(body: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in body["data"]["tickets"]["edges"]]


@pytest.mark.asyncio
async def test_an_agent_reads_a_ticket_with_its_times_and_thread(client) -> None:
    body = await client.gql(TICKET, {"id": "tkt-0001"}, headers=as_caller(AGENT))
    assert "errors" not in body, body
    assert body["data"]["ticket"] == {
        "id": "tkt-0001",
        "subject": "Subject 1",
        "description": "Description 1",
        "status": "OPEN",
        "priority": "HIGH",
        "channel": "EMAIL",
        "tags": ["earbuds", "pairing"],
        "createdAt": "2025-04-01T09:00:00+00:00",
        "updatedAt": "2025-04-01T09:30:00+00:00",
        # The agent's public reply at 09:30 is the first response; the 09:20 note is internal.
        "firstResponseAt": "2025-04-01T09:30:00+00:00",
        "firstResponseSeconds": 30 * 60,
        "solvedAt": None,
        "closedAt": None,
        "resolutionSeconds": None,
        "satisfaction": None,
        "product": {"id": LIBERTY},
        "customer": {"id": CUSTOMER_ID},
        "assignee": {"id": AGENT_ID},
        "messages": [
            {
                "id": "msg-0001",
                "body": "My left earbud will not pair.",
                "internal": False,
                "author": {"id": CUSTOMER_ID},
                "createdAt": "2025-04-01T09:05:00+00:00",
            },
            {
                "id": "msg-0003",
                "body": "Please reset the case.",
                "internal": False,
                "author": {"id": AGENT_ID},
                "createdAt": "2025-04-01T09:30:00+00:00",
            },
        ],
    }
    notes = await client.gql(
        '{ ticket(id: "tkt-0001") { messages(includeInternal: true) { id internal } } }', headers=as_caller(AGENT)
    )
    assert notes["data"]["ticket"]["messages"] == [
        {"id": "msg-0001", "internal": False},
        {"id": "msg-0002", "internal": True},
        {"id": "msg-0003", "internal": False},
    ]


@pytest.mark.asyncio
async def test_a_solved_ticket_shows_its_resolution_time_and_rating(client) -> None:
    query = '{ ticket(id: "tkt-0003") { status solvedAt resolutionSeconds satisfaction { score comment ratedAt } } }'
    body = await client.gql(query, headers=as_caller(ANALYST))
    assert body["data"]["ticket"] == {
        "status": "SOLVED",
        "solvedAt": "2025-04-01T16:00:00+00:00",
        "resolutionSeconds": 5 * 3600,
        "satisfaction": {"score": 4, "comment": "Good help.", "ratedAt": "2025-04-02T08:00:00+00:00"},
    }


@pytest.mark.asyncio
async def test_tickets_are_personal_data(client, error_codes) -> None:
    anonymous = await client.gql('{ ticket(id: "tkt-0001") { id } }')
    assert anonymous["data"] == {"ticket": None}
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    editor = await client.gql('{ ticket(id: "tkt-0001") { id } }', headers=as_caller(EDITOR))
    assert error_codes(editor) == ["FORBIDDEN"]
    assert "support:own" in editor["errors"][0]["message"]
    forged = as_caller(AGENT) | {IDENTITY_HEADER: as_caller(ANALYST)[IDENTITY_HEADER]}
    assert error_codes(await client.gql('{ ticket(id: "tkt-0001") { id } }', headers=forged)) == ["UNAUTHENTICATED"]
    assert error_codes(await client.gql("{ tickets { totalCount } }")) == ["UNAUTHENTICATED"]


@pytest.mark.asyncio
async def test_a_customer_sees_only_their_own_tickets_and_no_internal_notes(client, error_codes) -> None:
    own = await client.gql('{ ticket(id: "tkt-0001") { id messages { id } } }', headers=as_caller(CUSTOMER))
    assert own["data"]["ticket"] == {"id": "tkt-0001", "messages": [{"id": "msg-0001"}, {"id": "msg-0003"}]}
    # Somebody else's ticket reads as absent: ids cannot be probed.
    other = await client.gql('{ ticket(id: "tkt-0004") { id } }', headers=as_caller(CUSTOMER))
    assert other == {"data": {"ticket": None}}
    notes = await client.gql(
        '{ ticket(id: "tkt-0001") { messages(includeInternal: true) { id } } }', headers=as_caller(CUSTOMER)
    )
    assert error_codes(notes) == ["FORBIDDEN"]
    queue = await client.gql("{ tickets { totalCount edges { node { id } } } }", headers=as_caller(CUSTOMER))
    assert queue_ids(queue) == ["tkt-0003", "tkt-0002", "tkt-0001"]
    assert queue["data"]["tickets"]["totalCount"] == 3
    theirs = await client.gql("{ tickets { edges { node { id } } } }", headers=as_caller(OTHER_CUSTOMER))
    assert queue_ids(theirs) == ["tkt-0005", "tkt-0004"]


@pytest.mark.asyncio
async def test_the_queue_filters_by_status_priority_assignee_and_product(client) -> None:
    async def queue(arguments: str) -> list[str]:
        body = await client.gql(f"{{ tickets{arguments} {{ edges {{ node {{ id }} }} }} }}", headers=as_caller(AGENT))
        assert "errors" not in body, body
        return queue_ids(body)

    assert await queue("") == ["tkt-0005", "tkt-0004", "tkt-0003", "tkt-0002", "tkt-0001"]
    assert await queue("(status: [OPEN, PENDING])") == ["tkt-0004", "tkt-0002", "tkt-0001"]
    assert await queue(f'(productId: "{LIBERTY}", status: [OPEN])') == ["tkt-0001"]
    assert await queue(f'(assigneeId: "{AGENT_ID}")') == ["tkt-0002", "tkt-0001"]
    assert await queue("(priority: [URGENT, HIGH])") == ["tkt-0004", "tkt-0001"]
    assert await queue("(unassigned: true)") == ["tkt-0004"]
    assert await queue(f'(assigneeId: "{OTHER_AGENT_ID}", status: [CLOSED])') == ["tkt-0005"]
    assert await queue('(productId: "prd-unknown")') == []


@pytest.mark.asyncio
async def test_the_queue_sorts_newest_oldest_or_by_urgency(client) -> None:
    async def queue(sort: str) -> list[str]:
        query = f"{{ tickets(sort: {sort}) {{ edges {{ node {{ id }} }} }} }}"
        return queue_ids(await client.gql(query, headers=as_caller(AGENT)))

    assert await queue("NEWEST") == ["tkt-0005", "tkt-0004", "tkt-0003", "tkt-0002", "tkt-0001"]
    assert await queue("OLDEST") == ["tkt-0001", "tkt-0002", "tkt-0003", "tkt-0004", "tkt-0005"]
    # urgent, high, then the two normal ones oldest first, then low.
    assert await queue("PRIORITY") == ["tkt-0004", "tkt-0001", "tkt-0002", "tkt-0005", "tkt-0003"]


@pytest.mark.asyncio
async def test_the_queue_pages_with_cursors_and_counts_the_whole_queue(client, error_codes) -> None:
    query = """query($after: String) { tickets(first: 2, after: $after) {
        totalCount edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage endCursor }
    } }"""
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        page = (await client.gql(query, {"after": after}, headers=as_caller(AGENT)))["data"]["tickets"]
        assert page["totalCount"] == 5
        seen += [edge["node"]["id"] for edge in page["edges"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == ["tkt-0005", "tkt-0004", "tkt-0003", "tkt-0002", "tkt-0001"]
    assert pages == 3
    for bad in ({"first": 101}, {"first": 0}, {"after": "not-a-cursor"}):
        arguments = ", ".join(f"{name}: {value!r}".replace("'", '"') for name, value in bad.items())
        body = await client.gql(f"{{ tickets({arguments}) {{ totalCount }} }}", headers=as_caller(AGENT))
        # The root field is nullable: bad arguments null this field only, never the whole response.
        assert body["data"] == {"tickets": None}
        assert error_codes(body) == ["BAD_USER_INPUT"]


@pytest.mark.asyncio
async def test_sdl_has_keys_and_extensions(client) -> None:
    sdl = (await client.gql("{ _service { sdl } }"))["data"]["_service"]["sdl"]
    for key in ('type Ticket @key(fields: "id")', 'type Product @key(fields: "id")', 'type User @key(fields: "id")'):
        assert key in sdl
    assert "tickets(status: TicketStatus = null, first: Int! = 20): [Ticket!]\n" in sdl
    assert "openTicketCount: Int\n" in sdl
    assert "assignedTickets(status: TicketStatus = null, first: Int! = 20): [Ticket!]\n" in sdl
    # Knowledge @requires these two to suggest solutions: they must stay plain fields.
    assert "  subject: String!\n  description: String!\n" in sdl


@pytest.mark.asyncio
async def test_entities_batch_load_product_tickets_in_one_query(client, count_queries) -> None:
    representations = [{"__typename": "Product", "id": p} for p in (LIBERTY, SPACE, "prd-unknown")]
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Product { id openTicketCount tickets(first: 2) { id } }
    } }"""
    with count_queries("tickets") as seen:
        body = await client.gql(query, {"r": representations}, headers=as_caller(AGENT))
    assert "errors" not in body
    assert body["data"]["_entities"] == [
        {"id": LIBERTY, "openTicketCount": 2, "tickets": [{"id": "tkt-0003"}, {"id": "tkt-0002"}]},
        {"id": SPACE, "openTicketCount": 1, "tickets": [{"id": "tkt-0005"}, {"id": "tkt-0004"}]},
        {"id": "prd-unknown", "openTicketCount": 0, "tickets": []},
    ]
    # One windowed query for the ticket lists, one grouped count: never one per product.
    assert len(seen) == 2
    with count_queries("tickets") as seen:
        mine = await client.gql(
            "query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { tickets { id } } } }",
            {"r": representations},
            headers=as_caller(CUSTOMER),
        )
    # A customer's view of a product's tickets holds only their own.
    assert mine["data"]["_entities"] == [
        {"tickets": [{"id": "tkt-0003"}, {"id": "tkt-0002"}, {"id": "tkt-0001"}]},
        {"tickets": []},
        {"tickets": []},
    ]
    assert len(seen) == 1


@pytest.mark.asyncio
async def test_open_ticket_counts_are_public_but_ticket_lists_are_not(client, error_codes) -> None:
    query = '{ _entities(representations: [{__typename: "Product", id: "prd-liberty-4-nc"}])'
    counted = await client.gql(query + " { ... on Product { openTicketCount } } }")
    assert counted == {"data": {"_entities": [{"openTicketCount": 2}]}}
    listed = await client.gql(query + " { ... on Product { tickets { id } } } }")
    assert listed["data"] == {"_entities": [{"tickets": None}]}
    assert error_codes(listed) == ["UNAUTHENTICATED"]


@pytest.mark.asyncio
async def test_entities_resolve_tickets_and_users_in_batches(
    client, count_queries, count_document_reads, error_codes
) -> None:
    representations = [
        {"__typename": "Ticket", "id": "tkt-0002"},
        {"__typename": "Ticket", "id": "tkt-0001"},
        {"__typename": "Ticket", "id": "tkt-nope"},
        {"__typename": "User", "id": AGENT_ID},
        {"__typename": "User", "id": OTHER_AGENT_ID},
    ]
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Ticket { id subject messages { id } }
        ... on User { id assignedTickets { id status } }
    } }"""
    with count_queries("tickets") as tickets, count_document_reads("ticket_messages") as messages:
        body = await client.gql(query, {"r": representations}, headers=as_caller(AGENT))
    assert "errors" not in body
    assert body["data"]["_entities"] == [
        {"id": "tkt-0002", "subject": "Subject 2", "messages": []},
        {"id": "tkt-0001", "subject": "Subject 1", "messages": [{"id": "msg-0001"}, {"id": "msg-0003"}]},
        None,
        {
            "id": AGENT_ID,
            "assignedTickets": [{"id": "tkt-0002", "status": "PENDING"}, {"id": "tkt-0001", "status": "OPEN"}],
        },
        {
            "id": OTHER_AGENT_ID,
            "assignedTickets": [{"id": "tkt-0005", "status": "CLOSED"}, {"id": "tkt-0003", "status": "SOLVED"}],
        },
    ]
    # tickets by id + assigned tickets; the transcripts' messages once for the batch.
    assert (len(tickets), len(messages)) == (2, 1)
    # A customer's assigned-ticket lists of agents are not theirs to read.
    users = await client.gql(
        '{ _entities(representations: [{__typename: "User", id: "usr-0007"}])'
        " { ... on User { assignedTickets { id } } } }",
        headers=as_caller(CUSTOMER),
    )
    assert error_codes(users) == ["FORBIDDEN"]


@pytest.mark.asyncio
async def test_nested_first_is_bounded(client, error_codes) -> None:
    query = (
        '{ _entities(representations: [{__typename: "Product", id: "x"}])'
        " { ... on Product { tickets(first: 500) { id } } } }"
    )
    assert error_codes(await client.gql(query, headers=as_caller(AGENT))) == ["BAD_USER_INPUT"]

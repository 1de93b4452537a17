"""The support subgraph through HTTP: queries, entities, mutations, errors and seeding."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio

from demo.model import DemoData, DemoMessage, DemoTicket
from subgraphs.support.app import create_app
from subgraphs.support.seed import seed
from subgraphs.support.stores import SupportStores
from subgraphs.support.tickets.repository import TicketRepository

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from kcp.settings import Settings

T0 = datetime(2025, 4, 1, 8, 0, tzinfo=UTC)
LIBERTY = "prd-liberty-4-nc"
SPACE = "prd-space-one"


def _ticket(  # noqa: PLR0913 - a test record builder
    number: int,
    product_id: str,
    *,
    status: str = "open",
    priority: str = "normal",
    assignee_id: str | None = None,
    messages: tuple[DemoMessage, ...] = (),
) -> DemoTicket:
    return DemoTicket(
        id=f"tkt-{number:04d}",
        subject=f"Subject {number}",
        description=f"Description {number}",
        status=status,
        priority=priority,
        channel="email",
        product_id=product_id,
        customer_id="usr-0100",
        assignee_id=assignee_id,
        created_at=T0 + timedelta(hours=number),
        messages=messages,
    )


def _message(number: int, author_id: str, body: str, *, minutes: int, internal: bool = False) -> DemoMessage:
    return DemoMessage(
        id=f"msg-{number:04d}",
        author_id=author_id,
        body=body,
        internal=internal,
        created_at=T0 + timedelta(hours=1, minutes=minutes),
    )


def demo_data() -> DemoData:
    thread = (
        _message(1, "usr-0100", "My left earbud will not pair.", minutes=5),
        _message(2, "usr-0007", "Known issue on firmware 1.2.", minutes=20, internal=True),
        _message(3, "usr-0007", "Please reset the case.", minutes=30),
    )
    tickets = (
        _ticket(1, LIBERTY, priority="high", assignee_id="usr-0007", messages=thread),
        _ticket(2, LIBERTY, status="pending", assignee_id="usr-0007"),
        _ticket(3, LIBERTY, status="solved", priority="low", assignee_id="usr-0008"),
        _ticket(4, SPACE, priority="urgent"),
    )
    return DemoData(
        categories=(),
        products=(),
        features=(),
        known_issues=(),
        solutions=(),
        articles=(),
        users=(),
        content_items=(),
        tickets=tickets,
        events=(),
    )


@pytest.fixture
def count_queries(count_statements):
    """``with count_queries(table) as seen``: every SQL SELECT any engine runs that reads from ``table``."""
    return lambda table: count_statements(
        lambda statement, _parameters: f"FROM {table}" in statement, selects_only=True
    )


@pytest_asyncio.fixture
async def client(settings: Settings, new_progress, graphql_app) -> AsyncIterator[Any]:
    await seed(settings, demo_data(), new_progress())
    async with graphql_app(create_app(settings), base_url="http://support") as api:
        yield api


@pytest.mark.asyncio
async def test_ticket_by_id_with_nested_fields(client) -> None:
    body = await client.gql(
        """query($id: ID!) { ticket(id: $id) {
            id subject description status priority channel createdAt updatedAt
            product { id } customer { id } assignee { id }
            messages { id body internal author { id } createdAt }
            all: messages(includeInternal: true) { id }
        } }""",
        {"id": "tkt-0001"},
    )
    assert "errors" not in body
    assert body["data"]["ticket"] == {
        "id": "tkt-0001",
        "subject": "Subject 1",
        "description": "Description 1",
        "status": "OPEN",
        "priority": "HIGH",
        "channel": "EMAIL",
        "createdAt": "2025-04-01T09:00:00+00:00",
        "updatedAt": "2025-04-01T09:30:00+00:00",
        "product": {"id": LIBERTY},
        "customer": {"id": "usr-0100"},
        "assignee": {"id": "usr-0007"},
        "messages": [
            {
                "id": "msg-0001",
                "body": "My left earbud will not pair.",
                "internal": False,
                "author": {"id": "usr-0100"},
                "createdAt": "2025-04-01T09:05:00+00:00",
            },
            {
                "id": "msg-0003",
                "body": "Please reset the case.",
                "internal": False,
                "author": {"id": "usr-0007"},
                "createdAt": "2025-04-01T09:30:00+00:00",
            },
        ],
        "all": [{"id": "msg-0001"}, {"id": "msg-0002"}, {"id": "msg-0003"}],
    }
    assert (await client.gql('{ ticket(id: "tkt-nope") { id } }')) == {"data": {"ticket": None}}
    unassigned = await client.gql('{ ticket(id: "tkt-0004") { assignee { id } messages { id } } }')
    assert unassigned["data"]["ticket"] == {"assignee": None, "messages": []}


@pytest.mark.asyncio
async def test_tickets_filters_and_bounds(client, error_codes) -> None:
    def ids(body: dict[str, Any]) -> list[str]:
        return [t["id"] for t in body["data"]["tickets"]]

    assert ids(await client.gql("{ tickets { id } }")) == ["tkt-0004", "tkt-0003", "tkt-0002", "tkt-0001"]
    assert ids(await client.gql(f'{{ tickets(productId: "{LIBERTY}", status: OPEN) {{ id }} }}')) == ["tkt-0001"]
    assert ids(await client.gql('{ tickets(assigneeId: "usr-0007") { id } }')) == ["tkt-0002", "tkt-0001"]
    assert ids(await client.gql("{ tickets(priority: URGENT) { id } }")) == ["tkt-0004"]
    assert ids(await client.gql("{ tickets(first: 2) { id } }")) == ["tkt-0004", "tkt-0003"]
    for bad in (101, 0):
        body = await client.gql("query($n: Int!) { tickets(first: $n) { id } }", {"n": bad})
        # The root list is nullable: a bad argument nulls this field only, never the whole response.
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


@pytest.mark.asyncio
async def test_entities_batch_loads_product_tickets_in_one_query(client, count_queries) -> None:
    representations = [{"__typename": "Product", "id": p} for p in (LIBERTY, SPACE, "prd-unknown")]
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Product { id openTicketCount tickets(first: 2) { id } }
    } }"""
    with count_queries("tickets") as seen:
        body = await client.gql(query, {"r": representations})
    assert "errors" not in body
    assert body["data"]["_entities"] == [
        {"id": LIBERTY, "openTicketCount": 2, "tickets": [{"id": "tkt-0003"}, {"id": "tkt-0002"}]},
        {"id": SPACE, "openTicketCount": 1, "tickets": [{"id": "tkt-0004"}]},
        {"id": "prd-unknown", "openTicketCount": 0, "tickets": []},
    ]
    # One windowed query for the ticket lists, one grouped count: never one per product.
    assert len(seen) == 2
    with count_queries("tickets") as seen:
        body = await client.gql(
            "query($r: [_Any!]!) { _entities(representations: $r) {"
            " ... on Product { tickets(status: SOLVED) { id } } } }",
            {"r": representations},
        )
    assert body["data"]["_entities"] == [{"tickets": [{"id": "tkt-0003"}]}, {"tickets": []}, {"tickets": []}]
    assert len(seen) == 1


@pytest.mark.asyncio
async def test_entities_resolve_tickets_and_users_in_batches(client, count_queries) -> None:
    representations = [
        {"__typename": "Ticket", "id": "tkt-0002"},
        {"__typename": "Ticket", "id": "tkt-0001"},
        {"__typename": "Ticket", "id": "tkt-nope"},
        {"__typename": "User", "id": "usr-0007"},
        {"__typename": "User", "id": "usr-0008"},
    ]
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Ticket { id subject messages { id } }
        ... on User { id assignedTickets { id status } }
    } }"""
    with count_queries("tickets") as tickets, count_queries("ticket_messages") as messages:
        body = await client.gql(query, {"r": representations})
    assert "errors" not in body
    assert body["data"]["_entities"] == [
        {"id": "tkt-0002", "subject": "Subject 2", "messages": []},
        {"id": "tkt-0001", "subject": "Subject 1", "messages": [{"id": "msg-0001"}, {"id": "msg-0003"}]},
        None,
        {
            "id": "usr-0007",
            "assignedTickets": [{"id": "tkt-0002", "status": "PENDING"}, {"id": "tkt-0001", "status": "OPEN"}],
        },
        {"id": "usr-0008", "assignedTickets": [{"id": "tkt-0003", "status": "SOLVED"}]},
    ]
    # tickets by id + assigned tickets; messages once for the batch.
    assert (len(tickets), len(messages)) == (2, 1)


CREATE = """mutation($input: CreateTicketInput!) { createTicket(input: $input) {
    id subject description status priority channel product { id } customer { id } assignee { id } messages { id }
} }"""
ADD = """mutation($ticketId: ID!, $body: String!, $internal: Boolean!) {
    addTicketMessage(ticketId: $ticketId, authorId: "usr-0007", body: $body, internal: $internal) {
        id body internal author { id }
    }
}"""


def create_input(**overrides: str) -> dict[str, str]:
    values = {
        "subject": "  Case will not charge ",
        "description": "Red light blinks.",
        "productId": SPACE,
        "customerId": "usr-0101",
        "channel": "CHAT",
    }
    return values | overrides


@pytest.mark.asyncio
async def test_create_ticket_then_add_messages(client) -> None:
    created = (await client.gql(CREATE, {"input": create_input()}))["data"]["createTicket"]
    ticket_id = created.pop("id")
    assert ticket_id.startswith("tkt-")
    assert created == {
        "subject": "Case will not charge",
        "description": "Red light blinks.",
        "status": "OPEN",
        "priority": "NORMAL",
        "channel": "CHAT",
        "product": {"id": SPACE},
        "customer": {"id": "usr-0101"},
        "assignee": None,
        "messages": [],
    }
    public = (await client.gql(ADD, {"ticketId": ticket_id, "body": "Try another cable.", "internal": False}))["data"]
    note = (await client.gql(ADD, {"ticketId": ticket_id, "body": "Likely a batch defect.", "internal": True}))["data"]
    assert public["addTicketMessage"]["body"] == "Try another cable."
    assert note["addTicketMessage"]["internal"] is True
    assert note["addTicketMessage"]["author"] == {"id": "usr-0007"}
    query = """query($id: ID!) { ticket(id: $id) {
        createdAt updatedAt messages { body } all: messages(includeInternal: true) { body }
    } }"""
    ticket = (await client.gql(query, {"id": ticket_id}))["data"]["ticket"]
    assert ticket["messages"] == [{"body": "Try another cable."}]
    assert ticket["all"] == [{"body": "Try another cable."}, {"body": "Likely a batch defect."}]
    assert ticket["updatedAt"] > ticket["createdAt"]
    product = await client.gql(f'{{ tickets(productId: "{SPACE}") {{ id }} }}')
    assert product["data"]["tickets"][0] == {"id": ticket_id}


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "overrides",
    [{"subject": ""}, {"subject": "   "}, {"subject": "x" * 201}, {"productId": ""}, {"customerId": " "}],
)
async def test_create_ticket_rejects_bad_input(client, overrides: dict[str, str], error_codes) -> None:
    body = await client.gql(CREATE, {"input": create_input(**overrides)})
    assert body["data"] is None
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert len((await client.gql("{ tickets(first: 100) { id } }"))["data"]["tickets"]) == 4


@pytest.mark.asyncio
async def test_add_message_errors(client, error_codes) -> None:
    unknown = await client.gql(ADD, {"ticketId": "tkt-nope", "body": "Hello", "internal": False})
    assert unknown["data"] is None
    assert error_codes(unknown) == ["NOT_FOUND"]
    empty = await client.gql(ADD, {"ticketId": "tkt-0001", "body": "  ", "internal": False})
    assert error_codes(empty) == ["BAD_USER_INPUT"]
    thread = await client.gql('{ ticket(id: "tkt-0001") { updatedAt all: messages(includeInternal: true) { id } } }')
    assert thread["data"]["ticket"] == {
        "updatedAt": "2025-04-01T09:30:00+00:00",
        "all": [{"id": "msg-0001"}, {"id": "msg-0002"}, {"id": "msg-0003"}],
    }


@pytest.mark.asyncio
async def test_nested_first_is_bounded(client, error_codes) -> None:
    query = (
        '{ _entities(representations: [{__typename: "Product", id: "x"}])'
        " { ... on Product { tickets(first: 500) { id } } } }"
    )
    body = await client.gql(query)
    assert error_codes(body) == ["BAD_USER_INPUT"]


@pytest.mark.asyncio
async def test_health_and_readiness(client) -> None:
    assert (await client.http.get("/health")).json() == {"status": "ok", "service": "support"}
    assert (await client.http.get("/ready")).json() == {"status": "ready", "service": "support"}


@pytest.mark.asyncio
async def test_seeding_twice_changes_nothing(settings: Settings, new_progress) -> None:
    first, second = new_progress(), new_progress()
    await seed(settings, demo_data(), first)
    await seed(settings, demo_data(), second)
    assert first.steps == second.steps == [("support tickets", 4)]
    assert second.done == 4
    stores = SupportStores.open(settings)
    try:
        async with stores.relational.reading() as session:
            repository = TicketRepository(session)
            assert (await repository.count_tickets(), await repository.count_messages()) == (4, 3)
    finally:
        await stores.close()


@pytest.mark.asyncio
async def test_unexpected_errors_are_masked(client, monkeypatch: pytest.MonkeyPatch, error_codes) -> None:
    async def broken(*_args: object, **_kwargs: object) -> None:
        msg = "connection string postgres://secret"
        raise RuntimeError(msg)

    monkeypatch.setattr(TicketRepository, "tickets_by_ids", broken)
    response = await client.http.post("/graphql", json={"query": '{ ticket(id: "tkt-0001") { id } }'})
    assert "secret" not in response.text
    body = response.json()
    assert body["errors"][0]["message"] == "Internal server error."
    assert error_codes(body) == ["INTERNAL_SERVER_ERROR"]

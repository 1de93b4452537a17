"""Working tickets over HTTP: opening (idempotently), assigning, the workflow, replies, CSAT.

Every refusal is checked twice: the coded error, and that nothing was written.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import pytest
from support_world import (
    AGENT,
    AGENT_ID,
    ANALYST,
    CUSTOMER,
    CUSTOMER_ID,
    EDITOR,
    OTHER_CUSTOMER,
    OTHER_CUSTOMER_ID,
    PARTNER,
    SPACE,
    as_caller,
)

if TYPE_CHECKING:
    from kcp.identity import Caller

CREATE = """mutation($input: CreateTicketInput!, $key: String) { createTicket(input: $input, idempotencyKey: $key) {
    id subject description status priority channel tags product { id } customer { id } assignee { id } messages { id }
} }"""
MOVE = """mutation($id: ID!, $status: TicketStatus!) { transitionTicket(ticketId: $id, status: $status) {
    id status solvedAt closedAt resolutionSeconds
} }"""
REPLY = """mutation($id: ID!, $body: String!, $internal: Boolean!) {
    addTicketMessage(ticketId: $id, body: $body, internal: $internal) { id body internal author { id } }
}"""
ASSIGN = """mutation($id: ID!, $to: ID) { assignTicket(ticketId: $id, assigneeId: $to) { id assignee { id } } }"""
RATE = """mutation($id: ID!, $score: Int!, $comment: String) {
    rateTicket(ticketId: $id, score: $score, comment: $comment) { id satisfaction { score comment } }
}"""
STATE = """query($id: ID!) { ticket(id: $id) {
    status priority tags assignee { id } updatedAt firstResponseAt solvedAt closedAt
    satisfaction { score } messages(includeInternal: true) { body }
} }"""


def ticket_input(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "subject": "  Case will not charge ",
        "description": "Red light blinks.",
        "productId": SPACE,
        "channel": "CHAT",
        "tags": ["Battery", "battery", " case "],
    }
    return values | overrides


async def total(client) -> int:
    body = await client.gql("{ tickets { totalCount } }", headers=as_caller(AGENT))
    count: int = body["data"]["tickets"]["totalCount"]
    return count


async def state(client, ticket_id: str) -> dict[str, Any]:
    body = await client.gql(STATE, {"id": ticket_id}, headers=as_caller(AGENT))
    result: dict[str, Any] = body["data"]["ticket"]
    return result


async def call(client, caller: Caller | None, query: str, **variables: Any) -> dict[str, Any]:
    body: dict[str, Any] = await client.gql(query, variables, headers=None if caller is None else as_caller(caller))
    return body


# ---- opening tickets ----------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_customer_opens_a_ticket_for_themselves(client, events) -> None:
    body = await call(client, CUSTOMER, CREATE, input=ticket_input())
    assert "errors" not in body, body
    created = body["data"]["createTicket"]
    ticket_id = created.pop("id")
    assert ticket_id.startswith("tkt-")
    assert created == {
        "subject": "Case will not charge",
        "description": "Red light blinks.",
        "status": "OPEN",
        "priority": "NORMAL",
        "channel": "CHAT",
        "tags": ["battery", "case"],
        "product": {"id": SPACE},
        "customer": {"id": CUSTOMER_ID},
        "assignee": None,
        "messages": [],
    }
    assert events.sent == [("ticket_created", {"ticketId": ticket_id, "productId": SPACE, "userId": CUSTOMER_ID})]


@pytest.mark.asyncio
async def test_an_agent_opens_a_ticket_for_a_named_customer(client, error_codes) -> None:
    body = await call(client, AGENT, CREATE, input=ticket_input(customerId=OTHER_CUSTOMER_ID, priority="HIGH"))
    assert body["data"]["createTicket"]["customer"] == {"id": OTHER_CUSTOMER_ID}
    assert body["data"]["createTicket"]["priority"] == "HIGH"
    nameless = await call(client, AGENT, CREATE, input=ticket_input())
    assert error_codes(nameless) == ["BAD_USER_INPUT"]
    assert "customerId" in nameless["errors"][0]["message"]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("caller", "overrides", "code"),
    [
        (None, {}, "UNAUTHENTICATED"),
        (EDITOR, {}, "FORBIDDEN"),
        (ANALYST, {}, "FORBIDDEN"),  # reads every ticket, opens none
        (CUSTOMER, {"customerId": OTHER_CUSTOMER_ID}, "FORBIDDEN"),
        (CUSTOMER, {"subject": "   "}, "BAD_USER_INPUT"),
        (CUSTOMER, {"subject": "x" * 201}, "BAD_USER_INPUT"),
        (CUSTOMER, {"productId": ""}, "BAD_USER_INPUT"),
        (CUSTOMER, {"tags": [f"tag-{n}" for n in range(11)]}, "BAD_USER_INPUT"),
        (CUSTOMER, {"tags": ["x" * 33]}, "BAD_USER_INPUT"),
    ],
)
async def test_opening_a_ticket_is_refused_with_a_code_and_writes_nothing(  # noqa: PLR0913, PLR0917 - parametrised
    client, events, error_codes, caller: Caller | None, overrides: dict[str, Any], code: str
) -> None:
    body = await call(client, caller, CREATE, input=ticket_input(**overrides))
    assert body["data"] is None
    assert error_codes(body) == [code]
    assert await total(client) == 5
    assert events.sent == []


# ---- idempotency ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_the_same_idempotency_key_returns_the_first_ticket_without_a_second_write(client, events) -> None:
    key = "a3f1c0de-0000-4000-8000-000000000001"
    first = await call(client, CUSTOMER, CREATE, input=ticket_input(), key=key)
    again = await call(client, CUSTOMER, CREATE, input=ticket_input(), key=key)
    assert again == first
    assert await total(client) == 6
    assert [kind for kind, _ in events.sent] == ["ticket_created"]
    # The key is the caller's: another customer with the same key opens a ticket of their own.
    theirs = await call(client, OTHER_CUSTOMER, CREATE, input=ticket_input(), key=key)
    assert theirs["data"]["createTicket"]["id"] != first["data"]["createTicket"]["id"]
    assert await total(client) == 7


@pytest.mark.asyncio
async def test_a_key_reused_for_a_different_ticket_is_refused(client, error_codes) -> None:
    key = "a3f1c0de-0000-4000-8000-000000000002"
    await call(client, CUSTOMER, CREATE, input=ticket_input(), key=key)
    other = await call(client, CUSTOMER, CREATE, input=ticket_input(subject="Another problem"), key=key)
    assert error_codes(other) == ["IDEMPOTENCY_KEY_REUSED"]
    short = await call(client, CUSTOMER, CREATE, input=ticket_input(), key="abc")
    assert error_codes(short) == ["BAD_USER_INPUT"]
    assert await total(client) == 6


@pytest.mark.asyncio
async def test_a_partner_retrying_with_its_key_opens_one_ticket_for_the_customer(client, events) -> None:
    key = "retailer-order-4711-return"
    request = ticket_input(customerId=OTHER_CUSTOMER_ID, channel="WEB")
    first = await call(client, PARTNER, CREATE, input=request, key=key)
    assert first["data"]["createTicket"]["customer"] == {"id": OTHER_CUSTOMER_ID}
    assert await call(client, PARTNER, CREATE, input=request, key=key) == first
    assert await total(client) == 6
    assert len(events.sent) == 1


@pytest.mark.asyncio
async def test_concurrent_calls_with_one_key_open_one_ticket(client, events) -> None:
    key = "a3f1c0de-0000-4000-8000-000000000003"
    answers = await asyncio.gather(*(call(client, CUSTOMER, CREATE, input=ticket_input(), key=key) for _ in range(4)))
    assert all("errors" not in answer for answer in answers), answers
    assert len({answer["data"]["createTicket"]["id"] for answer in answers}) == 1
    assert await total(client) == 6
    assert len(events.sent) == 1


# ---- assignment and the workflow ------------------------------------------------------------------


@pytest.mark.asyncio
async def test_an_agent_assigns_and_unassigns(client, error_codes) -> None:
    assigned = await call(client, AGENT, ASSIGN, id="tkt-0004", to=AGENT_ID)
    assert assigned["data"]["assignTicket"] == {"id": "tkt-0004", "assignee": {"id": AGENT_ID}}
    unassigned = await call(client, AGENT, ASSIGN, id="tkt-0004", to=None)
    assert unassigned["data"]["assignTicket"]["assignee"] is None
    assert error_codes(await call(client, CUSTOMER, ASSIGN, id="tkt-0001", to=CUSTOMER_ID)) == ["FORBIDDEN"]
    assert error_codes(await call(client, AGENT, ASSIGN, id="tkt-nope", to=AGENT_ID)) == ["NOT_FOUND"]
    closed = await call(client, AGENT, ASSIGN, id="tkt-0005", to=AGENT_ID)
    assert error_codes(closed) == ["ILLEGAL_TRANSITION"]
    assert (await state(client, "tkt-0005"))["assignee"] == {"id": "usr-0008"}


@pytest.mark.asyncio
async def test_a_ticket_walks_the_workflow_and_stamps_its_times(client, events) -> None:
    pending = (await call(client, AGENT, MOVE, id="tkt-0004", status="PENDING"))["data"]["transitionTicket"]
    assert pending["status"] == "PENDING"
    solved = (await call(client, AGENT, MOVE, id="tkt-0004", status="SOLVED"))["data"]["transitionTicket"]
    assert solved["solvedAt"] is not None
    assert solved["resolutionSeconds"] > 0
    # Nobody answered it publicly before it was solved: analytics counts it as deflected.
    solved_event = {"ticketId": "tkt-0004", "productId": SPACE, "userId": OTHER_CUSTOMER_ID, "deflected": True}
    assert events.sent == [("ticket_solved", solved_event)]
    reopened = (await call(client, AGENT, MOVE, id="tkt-0004", status="OPEN"))["data"]["transitionTicket"]
    assert (reopened["status"], reopened["solvedAt"], reopened["resolutionSeconds"]) == ("OPEN", None, None)
    await call(client, AGENT, MOVE, id="tkt-0001", status="SOLVED")
    assert events.sent[-1] == (
        "ticket_solved",
        {"ticketId": "tkt-0001", "productId": "prd-liberty-4-nc", "userId": CUSTOMER_ID, "deflected": False},
    )
    closed = (await call(client, AGENT, MOVE, id="tkt-0001", status="CLOSED"))["data"]["transitionTicket"]
    assert closed["status"] == "CLOSED"
    assert closed["closedAt"] is not None


@pytest.mark.asyncio
async def test_agents_solving_one_ticket_at_once_solve_it_once(client, events, error_codes) -> None:
    answers = await asyncio.gather(*(call(client, AGENT, MOVE, id="tkt-0004", status="SOLVED") for _ in range(4)))
    outcomes = sorted("errors" not in answer for answer in answers)
    assert outcomes == [False, False, False, True]
    for answer in answers:
        assert error_codes(answer) in ([], ["ILLEGAL_TRANSITION"])
    assert [kind for kind, _ in events.sent] == ["ticket_solved"]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("ticket_id", "target", "current", "allowed"),
    [
        ("tkt-0001", "CLOSED", "OPEN", ["PENDING", "SOLVED"]),
        ("tkt-0001", "OPEN", "OPEN", ["PENDING", "SOLVED"]),
        ("tkt-0003", "PENDING", "SOLVED", ["CLOSED", "OPEN"]),
        ("tkt-0005", "OPEN", "CLOSED", []),
    ],
)
async def test_illegal_moves_name_from_and_to_and_change_nothing(  # noqa: PLR0913, PLR0917 - parametrised
    client, events, ticket_id: str, target: str, current: str, allowed: list[str]
) -> None:
    before = await state(client, ticket_id)
    body = await call(client, AGENT, MOVE, id=ticket_id, status=target)
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"] == {"code": "ILLEGAL_TRANSITION", "from": current, "to": target, "allowed": allowed}
    assert current in error["message"]
    assert await state(client, ticket_id) == before
    assert events.sent == []


@pytest.mark.asyncio
async def test_a_customer_may_only_solve_or_reopen_their_own_ticket(client, error_codes) -> None:
    assert error_codes(await call(client, CUSTOMER, MOVE, id="tkt-0001", status="PENDING")) == ["FORBIDDEN"]
    # Somebody else's ticket does not exist for them.
    assert error_codes(await call(client, CUSTOMER, MOVE, id="tkt-0004", status="SOLVED")) == ["NOT_FOUND"]
    assert (await state(client, "tkt-0004"))["status"] == "OPEN"
    solved = await call(client, CUSTOMER, MOVE, id="tkt-0002", status="SOLVED")
    assert solved["data"]["transitionTicket"]["status"] == "SOLVED"
    reopened = await call(client, CUSTOMER, MOVE, id="tkt-0002", status="OPEN")
    assert reopened["data"]["transitionTicket"]["status"] == "OPEN"
    assert error_codes(await call(client, None, MOVE, id="tkt-0002", status="SOLVED")) == ["UNAUTHENTICATED"]


# ---- the thread ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_replies_and_notes_stamp_the_first_response(client) -> None:
    note = await call(client, AGENT, REPLY, id="tkt-0004", body="Batch 7 defect?", internal=True)
    assert note["data"]["addTicketMessage"]["internal"] is True
    assert (await state(client, "tkt-0004"))["firstResponseAt"] is None  # a note is no response
    reply = await call(client, AGENT, REPLY, id="tkt-0004", body="Please try another cable.", internal=False)
    assert reply["data"]["addTicketMessage"]["author"] == {"id": AGENT_ID}
    after = await state(client, "tkt-0004")
    assert after["firstResponseAt"] is not None
    assert [m["body"] for m in after["messages"]] == ["Batch 7 defect?", "Please try another cable."]
    customer_view = await client.gql(
        '{ ticket(id: "tkt-0004") { messages { body } } }', headers=as_caller(OTHER_CUSTOMER)
    )
    assert customer_view["data"]["ticket"]["messages"] == [{"body": "Please try another cable."}]


@pytest.mark.asyncio
async def test_a_customer_answer_reopens_a_pending_ticket(client) -> None:
    body = await call(client, CUSTOMER, REPLY, id="tkt-0002", body="Still broken after the reset.", internal=False)
    assert body["data"]["addTicketMessage"]["author"] == {"id": CUSTOMER_ID}
    after = await state(client, "tkt-0002")
    assert after["status"] == "OPEN"
    assert after["firstResponseAt"] is None  # the customer's own message is no response


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("caller", "ticket_id", "text", "internal", "code"),
    [
        (None, "tkt-0001", "Hello", False, "UNAUTHENTICATED"),
        (ANALYST, "tkt-0001", "Hello", False, "FORBIDDEN"),
        (CUSTOMER, "tkt-0001", "Just a note", True, "FORBIDDEN"),
        (CUSTOMER, "tkt-0004", "Not my ticket", False, "NOT_FOUND"),
        (AGENT, "tkt-nope", "Hello", False, "NOT_FOUND"),
        (AGENT, "tkt-0001", "   ", False, "BAD_USER_INPUT"),
        (AGENT, "tkt-0005", "Anyone?", False, "ILLEGAL_TRANSITION"),
    ],
)
async def test_refused_messages_leave_the_thread_as_it_was(  # noqa: PLR0913, PLR0917 - parametrised
    client,
    error_codes,
    caller: Caller | None,
    ticket_id: str,
    text: str,
    internal: bool,  # noqa: FBT001 - a parametrised value
    code: str,
) -> None:
    before = await state(client, "tkt-0001")
    body = await call(client, caller, REPLY, id=ticket_id, body=text, internal=internal)
    assert body["data"] is None
    assert error_codes(body) == [code]
    assert await state(client, "tkt-0001") == before


# ---- triage and satisfaction ---------------------------------------------------------------------


@pytest.mark.asyncio
async def test_an_agent_changes_priority_and_tags(client, error_codes) -> None:
    update = """mutation($input: UpdateTicketInput!) {
        updateTicket(ticketId: "tkt-0001", input: $input) { priority tags }
    }"""
    body = await call(client, AGENT, update, input={"priority": "URGENT"})
    assert body["data"]["updateTicket"] == {"priority": "URGENT", "tags": ["earbuds", "pairing"]}
    body = await call(client, AGENT, update, input={"tags": ["Firmware"]})
    assert body["data"]["updateTicket"] == {"priority": "URGENT", "tags": ["firmware"]}
    assert error_codes(await call(client, CUSTOMER, update, input={"priority": "URGENT"})) == ["FORBIDDEN"]
    assert error_codes(await call(client, AGENT, update, input={"tags": [""]})) == ["BAD_USER_INPUT"]
    assert (await state(client, "tkt-0001"))["tags"] == ["firmware"]


@pytest.mark.asyncio
async def test_the_customer_rates_a_solved_ticket(client, error_codes) -> None:
    body = await call(client, CUSTOMER, RATE, id="tkt-0003", score=5, comment="Fixed in minutes.")
    rated = {"id": "tkt-0003", "satisfaction": {"score": 5, "comment": "Fixed in minutes."}}
    assert body["data"]["rateTicket"] == rated
    refusals = [
        (CUSTOMER, "tkt-0001", 5, "BAD_USER_INPUT"),  # still open
        (CUSTOMER, "tkt-0003", 6, "BAD_USER_INPUT"),
        (CUSTOMER, "tkt-0003", 0, "BAD_USER_INPUT"),
        (CUSTOMER, "tkt-0005", 5, "NOT_FOUND"),  # somebody else's
        (AGENT, "tkt-0003", 1, "FORBIDDEN"),  # only customers rate
    ]
    for caller, ticket_id, score, code in refusals:
        assert error_codes(await call(client, caller, RATE, id=ticket_id, score=score)) == [code], (ticket_id, score)
    assert (await state(client, "tkt-0003"))["satisfaction"] == {"score": 5}

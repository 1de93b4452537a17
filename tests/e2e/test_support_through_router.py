"""The support desk through the router, as its users meet it: demo logins, bearer tokens, the
seeded demo data, every subgraph running. The router forwards the token; support verifies it
against auth's JWKS and applies the scopes of the user's role.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

import demo

if TYPE_CHECKING:
    from commands.launcher import Platform

pytestmark = pytest.mark.e2e

DATA = demo.generate()
USERS = {u.email: u for u in DATA.users}
CUSTOMER = USERS["customer@soundcore.example"]
AGENT = USERS["agent@soundcore.example"]
# Tickets opened here go to this product; the shared platform test counts the tickets of another.
PRODUCT = next(p for p in DATA.products if p.slug == "liberty-4-nc")


class Session:
    """One logged-in demo user talking to the router."""

    def __init__(self, platform: Platform, email: str | None) -> None:
        self._url = platform.router_url
        self._headers: dict[str, str] = {}
        if email is not None:
            login = self.gql(
                "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }",
                e=email,
                p=DATA.demo_password,
            )
            self._headers = {"Authorization": f"Bearer {login['data']['login']['accessToken']}"}

    def gql(self, query: str, **variables: Any) -> dict[str, Any]:
        response = httpx.post(
            self._url, json={"query": query, "variables": variables}, headers=self._headers, timeout=30
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


@pytest.fixture(scope="module")
def agent(platform: Platform) -> Session:
    return Session(platform, AGENT.email)


@pytest.fixture(scope="module")
def customer(platform: Platform) -> Session:
    return Session(platform, CUSTOMER.email)


def test_an_agent_walks_from_a_product_to_its_tickets_and_their_threads(agent: Session) -> None:
    body = agent.gql(
        """query($slug: String!) { productBySlug(slug: $slug) {
            name openTicketCount
            tickets(first: 5) { id subject status tags customer { email } messages(includeInternal: true) { internal } }
        } }""",
        slug=PRODUCT.slug,
    )
    assert "errors" not in body, body["errors"]
    product = body["data"]["productBySlug"]
    demo_tickets = sorted(
        (t for t in DATA.tickets if t.product_id == PRODUCT.id), key=lambda t: t.created_at, reverse=True
    )
    assert product["openTicketCount"] == sum(t.status in ("open", "pending") for t in demo_tickets)
    assert [t["id"] for t in product["tickets"]] == [t.id for t in demo_tickets[:5]]
    emails = {u.id: u.email for u in DATA.users}
    for shown, expected in zip(product["tickets"], demo_tickets, strict=False):
        assert shown["customer"]["email"] == emails[expected.customer_id]
        assert shown["tags"] == list(expected.tags)
        assert [m["internal"] for m in shown["messages"]] == [m.internal for m in expected.messages]


def test_the_agent_queue_is_a_connection_with_filters(agent: Session) -> None:
    body = agent.gql(
        """query($product: ID!) { tickets(status: [OPEN, PENDING], productId: $product, first: 3) {
            totalCount pageInfo { hasNextPage endCursor } edges { node { id status } }
        } }""",
        product=PRODUCT.id,
    )
    assert "errors" not in body, body["errors"]
    queue = body["data"]["tickets"]
    unsolved = [t for t in DATA.tickets if t.product_id == PRODUCT.id and t.status in ("open", "pending")]
    assert queue["totalCount"] == len(unsolved)
    assert all(edge["node"]["status"] in ("OPEN", "PENDING") for edge in queue["edges"])
    assert queue["pageInfo"]["hasNextPage"] == (len(unsolved) > 3)


def test_a_customer_sees_only_their_own_tickets(customer: Session) -> None:
    body = customer.gql("{ tickets(first: 100) { totalCount edges { node { id customer { id } } } } }")
    assert "errors" not in body, body["errors"]
    own = {t.id for t in DATA.tickets if t.customer_id == CUSTOMER.id}
    shown = {edge["node"]["id"] for edge in body["data"]["tickets"]["edges"]}
    assert own <= shown
    assert {edge["node"]["customer"]["id"] for edge in body["data"]["tickets"]["edges"]} == {CUSTOMER.id}
    somebody_else = next(t for t in DATA.tickets if t.customer_id != CUSTOMER.id)
    assert customer.gql("query($id: ID!) { ticket(id: $id) { id } }", id=somebody_else.id) == {"data": {"ticket": None}}
    own_ticket = next(iter(sorted(own)))
    notes = customer.gql(
        "query($id: ID!) { ticket(id: $id) { messages(includeInternal: true) { id } } }", id=own_ticket
    )
    assert codes(notes) == ["FORBIDDEN"]


def test_tickets_need_a_login_and_a_support_scope(platform: Platform) -> None:
    anonymous = Session(platform, None).gql("{ tickets { totalCount } }")
    assert anonymous["data"] == {"tickets": None}
    assert codes(anonymous) == ["UNAUTHENTICATED"]
    assert anonymous["errors"][0]["extensions"]["serviceName"] == "support"
    editor = Session(platform, "editor@soundcore.example").gql("{ tickets { totalCount } }")
    assert codes(editor) == ["FORBIDDEN"]
    opened = Session(platform, "editor@soundcore.example").gql(
        'mutation { createTicket(input: {subject: "Hi", description: "", productId: "prd-x", channel: WEB}) { id } }'
    )
    assert codes(opened) == ["FORBIDDEN"]


CREATE = """mutation($input: CreateTicketInput!, $key: String) {
    createTicket(input: $input, idempotencyKey: $key) { id status customer { id } }
}"""
MOVE = """mutation($id: ID!, $status: TicketStatus!) { transitionTicket(ticketId: $id, status: $status) { status } }"""
REPLY = """mutation($id: ID!, $body: String!, $internal: Boolean!) {
    addTicketMessage(ticketId: $id, body: $body, internal: $internal) { id }
}"""


def test_the_desk_works_a_ticket_from_opening_to_rating(agent: Session, customer: Session) -> None:
    key = str(uuid.uuid4())
    ticket_input = {
        "subject": "Right earbud drops out on calls",
        "description": "Since the last update the right earbud disconnects during calls.",
        "productId": PRODUCT.id,
        "channel": "WEB",
        "tags": ["pairing"],
    }
    opened = customer.gql(CREATE, input=ticket_input, key=key)
    assert "errors" not in opened, opened["errors"]
    ticket_id = opened["data"]["createTicket"]["id"]
    assert opened["data"]["createTicket"] == {"id": ticket_id, "status": "OPEN", "customer": {"id": CUSTOMER.id}}
    # A retry of the same request (same key, same customer) is the same ticket, not a second one.
    assert customer.gql(CREATE, input=ticket_input, key=key) == opened
    reused = customer.gql(CREATE, input=ticket_input | {"subject": "Something else"}, key=key)
    assert codes(reused) == ["IDEMPOTENCY_KEY_REUSED"]

    unassigned = agent.gql(
        "query($p: ID!) { tickets(unassigned: true, status: [OPEN], productId: $p, first: 1)"
        " { edges { node { id } } } }",
        p=PRODUCT.id,
    )
    assert unassigned["data"]["tickets"]["edges"] == [{"node": {"id": ticket_id}}]
    agent.gql(
        "mutation($id: ID!, $to: ID) { assignTicket(ticketId: $id, assigneeId: $to) { id } }", id=ticket_id, to=AGENT.id
    )
    # Auth owns the User; support adds what is assigned to them: one query, two subgraphs.
    mine = agent.gql("{ me { email assignedTickets(status: OPEN, first: 1) { id } } }")
    assert mine["data"]["me"] == {"email": AGENT.email, "assignedTickets": [{"id": ticket_id}]}

    agent.gql(REPLY, id=ticket_id, body="Same firmware as ticket batch 12.", internal=True)
    agent.gql(REPLY, id=ticket_id, body="Please update to the latest firmware.", internal=False)
    assert agent.gql(MOVE, id=ticket_id, status="PENDING")["data"]["transitionTicket"] == {"status": "PENDING"}
    customer.gql(REPLY, id=ticket_id, body="Updated, still drops.", internal=False)

    illegal = agent.gql(MOVE, id=ticket_id, status="CLOSED")
    assert codes(illegal) == ["ILLEGAL_TRANSITION"]
    assert {k: illegal["errors"][0]["extensions"][k] for k in ("from", "to")} == {"from": "OPEN", "to": "CLOSED"}

    assert customer.gql(MOVE, id=ticket_id, status="SOLVED")["data"]["transitionTicket"] == {"status": "SOLVED"}
    rated = customer.gql(
        'mutation($id: ID!) { rateTicket(ticketId: $id, score: 5, comment: "Fixed.") { satisfaction { score } } }',
        id=ticket_id,
    )
    assert rated["data"]["rateTicket"] == {"satisfaction": {"score": 5}}
    assert agent.gql(MOVE, id=ticket_id, status="CLOSED")["data"]["transitionTicket"] == {"status": "CLOSED"}
    assert codes(customer.gql(REPLY, id=ticket_id, body="One more thing", internal=False)) == ["ILLEGAL_TRANSITION"]

    seen_by_customer = customer.gql(
        """query($id: ID!) { ticket(id: $id) {
            status firstResponseSeconds resolutionSeconds closedAt messages { body author { email } }
        } }""",
        id=ticket_id,
    )["data"]["ticket"]
    assert seen_by_customer["status"] == "CLOSED"
    assert seen_by_customer["firstResponseSeconds"] is not None
    assert seen_by_customer["resolutionSeconds"] >= seen_by_customer["firstResponseSeconds"]
    assert seen_by_customer["closedAt"] is not None
    # The internal note never reaches the customer.
    assert [m["body"] for m in seen_by_customer["messages"]] == [
        "Please update to the latest firmware.",
        "Updated, still drops.",
    ]


def test_the_graphiql_walkthrough_in_the_support_readme_runs_cleanly(agent: Session, customer: Session) -> None:
    readme = Path(__file__).resolve().parents[2] / "subgraphs" / "support" / "README.md"
    [query] = re.findall(r"```graphql\n(.*?)```", readme.read_text(), flags=re.DOTALL)
    body = agent.gql(query)
    assert "errors" not in body, body["errors"]
    assert len(body["data"]["productBySlug"]["tickets"]) == 3
    assert body["data"]["tickets"]["totalCount"] > 0
    # As the README says: a customer's view refuses internal notes.
    assert "FORBIDDEN" in codes(customer.gql(query))


def test_a_new_ticket_purges_the_cached_public_ticket_count_of_its_product(
    platform: Platform, customer: Session
) -> None:
    anonymous = Session(platform, None)
    count = "query($slug: String!) { productBySlug(slug: $slug) { id openTicketCount } }"
    before = anonymous.gql(count, slug=PRODUCT.slug)["data"]["productBySlug"]["openTicketCount"]
    assert anonymous.gql(count, slug=PRODUCT.slug)["data"]["productBySlug"]["openTicketCount"] == before  # cached now

    # The mutation's answer names a Ticket, not the Product: the purge comes from support having
    # changed, and support computes openTicketCount.
    opened = customer.gql(
        "mutation($input: CreateTicketInput!) { createTicket(input: $input) { id } }",
        input={
            "subject": "Cache check",
            "description": "Left earbud silent",
            "productId": PRODUCT.id,
            "channel": "WEB",
        },
    )
    assert "errors" not in opened, opened["errors"]

    after = anonymous.gql(count, slug=PRODUCT.slug)["data"]["productBySlug"]["openTicketCount"]
    assert after == before + 1

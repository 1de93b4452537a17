"""References to missing entities and a missing subgraph null one field, never a whole list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
import pytest

import demo

if TYPE_CHECKING:
    from commands.launcher import Platform

pytestmark = pytest.mark.e2e


def _post(
    platform: Platform, query: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> dict[str, Any]:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    response = httpx.post(
        platform.router_url, json={"query": query, "variables": variables or {}}, headers=headers, timeout=30
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _agent_token(platform: Platform) -> str:
    """Opening and reading tickets needs a support agent's login."""
    login = _post(
        platform,
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }",
        {"e": "agent@soundcore.example", "p": demo.generate().demo_password},
    )
    token: str = login["data"]["login"]["accessToken"]
    return token


def test_a_ticket_of_an_unknown_customer_and_product_nulls_those_references_only(platform: Platform) -> None:
    token = _agent_token(platform)
    created = _post(
        platform,
        "mutation($input: CreateTicketInput!) { createTicket(input: $input) { id } }",
        {
            "input": {
                "subject": "Dangling",
                "description": "Neither the customer nor the product exists.",
                "productId": "prd-9999",
                "customerId": "usr-9999",
                "channel": "WEB",
            }
        },
        token,
    )
    assert "errors" not in created, created
    ticket_id = created["data"]["createTicket"]["id"]

    body = _post(
        platform, "{ tickets(first: 4) { edges { node { id customer { email } product { name } } } } }", token=token
    )

    tickets = [edge["node"] for edge in body["data"]["tickets"]["edges"]]
    assert len(tickets) == 4
    assert tickets[0] == {"id": ticket_id, "customer": None, "product": None}
    for ticket in tickets[1:]:
        assert ticket["customer"]["email"]
        assert ticket["product"]["name"]
    assert {tuple(error["path"][:4]) for error in body["errors"]} == {("tickets", "edges", 0, "node")}
    # Each dangling reference is one NOT_FOUND error where it is referenced.
    assert sorted((e["path"], e["extensions"]["code"]) for e in body["errors"]) == [
        (["tickets", "edges", 0, "node", "customer"], "NOT_FOUND"),
        (["tickets", "edges", 0, "node", "product"], "NOT_FOUND"),
    ]


def test_with_support_down_other_subgraphs_root_fields_still_answer(platform: Platform) -> None:
    platform.processes["support"].kill()

    body = _post(platform, "{ tickets(first: 2) { totalCount } categories { slug } }")

    assert body["data"]["tickets"] is None
    assert sorted(c["slug"] for c in body["data"]["categories"]) == sorted(c.slug for c in demo.generate().categories)
    assert {error["extensions"].get("serviceName") for error in body["errors"]} == {"support"}

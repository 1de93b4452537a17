"""References to missing entities and a missing subgraph null one field, never a whole list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
import pytest

import demo

if TYPE_CHECKING:
    from kcp.launcher import Platform

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


def test_a_ticket_of_an_unknown_customer_and_product_nulls_those_references_only(platform: Platform) -> None:
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
    )
    assert "errors" not in created, created
    ticket_id = created["data"]["createTicket"]["id"]

    # Customers' e-mails are personal data: a support agent (users:read) reads them.
    login = 'mutation { login(email: "agent@soundcore.example", password: "soundcore-demo") { accessToken } }'
    agent = _post(platform, login)["data"]["login"]["accessToken"]
    body = _post(platform, "{ tickets(first: 4) { id customer { email } product { name } } }", token=agent)

    tickets = body["data"]["tickets"]
    assert len(tickets) == 4
    assert tickets[0] == {"id": ticket_id, "customer": None, "product": None}
    for ticket in tickets[1:]:
        assert ticket["customer"]["email"]
        assert ticket["product"]["name"]
    assert {tuple(error["path"][:2]) for error in body["errors"]} == {("tickets", 0)}
    # Each dangling reference is one NOT_FOUND error where it is referenced.
    assert sorted((e["path"], e["extensions"]["code"]) for e in body["errors"]) == [
        (["tickets", 0, "customer"], "NOT_FOUND"),
        (["tickets", 0, "product"], "NOT_FOUND"),
    ]


def test_with_support_down_other_subgraphs_root_fields_still_answer(platform: Platform) -> None:
    platform.processes["support"].kill()

    body = _post(platform, "{ tickets(first: 2) { id } categories { slug } }")

    assert body["data"]["tickets"] is None
    assert sorted(c["slug"] for c in body["data"]["categories"]) == sorted(c.slug for c in demo.generate().categories)
    assert {error["extensions"].get("serviceName") for error in body["errors"]} == {"support"}

"""An error for a field one path asked for stays on that path, on the real platform.

Two operations the differential test against Apollo Gateway found answered wrongly: in both, the
same demo user sits at two paths of one plan step, and the auth subgraph refuses a field (a
user's ``email``) that only one path asked for. Apollo Gateway's answers are the reference;
tests/router/test_batched_entity_errors.py states the rule on fixture subgraphs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
import pytest

import demo

if TYPE_CHECKING:
    from commands.launcher import Platform

pytestmark = pytest.mark.e2e

DATA = demo.generate()


def ask(platform: Platform, query: str, email: str | None = None) -> dict[str, Any]:
    headers: dict[str, str] = {}
    if email is not None:
        login = httpx.post(
            platform.router_url,
            json={
                "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }",
                "variables": {"e": email, "p": DATA.demo_password},
            },
            timeout=30,
        ).json()
        headers["authorization"] = f"Bearer {login['data']['login']['accessToken']}"
    response = httpx.post(platform.router_url, json={"query": query}, headers=headers, timeout=30)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_refused_email_on_one_user_path_leaves_the_author_path_whole(platform: Platform) -> None:
    body = ask(
        platform,
        """query Q { r1: contentItem(id: "cnt-0037") { title
            statusChangedBy { email assignedTickets(first: 1) { priority } }
            currentRevision { id a3_author: author { a1_scopes: scopes createdAt partner { id } } } } }""",
    )
    item = body["data"]["r1"]
    assert item is not None, body
    assert item["statusChangedBy"] is None
    author = item["currentRevision"]["a3_author"]
    assert author["a1_scopes"]
    assert author["createdAt"]
    for error in body["errors"]:
        assert error["path"][:2] == ["r1", "statusChangedBy"], error
        assert error["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_path_under_a_refused_list_adds_no_error_to_the_assignee(platform: Platform) -> None:
    body = ask(
        platform,
        """query Q { r1: ticket(id: "tkt-00521") { priority a4_assignee: assignee { role createdAt
            assignedTickets(first: 2) { priority assignee { email id } } } } }""",
        "customer@soundcore.example",
    )
    assignee = body["data"]["r1"]["a4_assignee"]
    assert assignee is not None, body
    assert assignee["role"]
    assert assignee["createdAt"]
    assert assignee["assignedTickets"] is None
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["r1", "a4_assignee", "assignedTickets"], "FORBIDDEN")
    ]

"""Auth through the router: logins and sessions, throttling, user and partner administration,
API keys, signing keys and the audit log, on the seeded demo platform."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
import pytest

import demo
from demo import people

if TYPE_CHECKING:
    from commands.launcher import Platform

pytestmark = pytest.mark.e2e

LOGIN = """
mutation($e: String!, $p: String!) {
  login(email: $e, password: $p) { accessToken refreshToken user { id email role } }
}
"""
REFRESH = "mutation($t: String!) { refresh(refreshToken: $t) { accessToken refreshToken } }"


def gql(platform: Platform, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    response = httpx.post(
        platform.router_url, json={"query": query, "variables": variables or {}}, headers=headers, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.json()


def code(body: dict[str, Any]) -> str:
    value: str = body["errors"][0]["extensions"]["code"]
    return value


def login(platform: Platform, email: str, password: str = "soundcore-demo") -> dict[str, Any]:  # noqa: S107 - the demo password
    body = gql(platform, LOGIN, {"e": email, "p": password})
    assert "errors" not in body, body
    session: dict[str, Any] = body["data"]["login"]
    return session


def test_login_me_refresh_and_reuse_detection(platform: Platform) -> None:
    session = login(platform, "agent@soundcore.example")
    assert session["user"]["role"] == "SUPPORT_AGENT"
    me = gql(platform, "{ me { email role scopes } }", token=session["accessToken"])
    assert me["data"]["me"]["email"] == "agent@soundcore.example"
    assert "support:write" in me["data"]["me"]["scopes"]

    rotated = gql(platform, REFRESH, {"t": session["refreshToken"]})["data"]["refresh"]
    assert gql(platform, "{ me { email } }", token=rotated["accessToken"])["data"]["me"]["email"] == (
        "agent@soundcore.example"
    )
    replay = gql(platform, REFRESH, {"t": session["refreshToken"]})
    assert code(replay) == "UNAUTHENTICATED"
    assert code(gql(platform, REFRESH, {"t": rotated["refreshToken"]})) == "UNAUTHENTICATED"  # the family is gone


def test_failed_logins_are_throttled_with_a_retry_after(platform: Platform) -> None:
    data = demo.generate()
    fixed = {email for email, _, _ in people.FIXED_USERS}
    # A generated customer no other test logs in as (the data folder is shared by the e2e modules).
    victim = next(
        u.email
        for u in reversed(data.users)
        if u.role == "customer" and u.email not in fixed and u.id not in data.deactivated_user_ids
    )
    for _ in range(5):
        assert code(gql(platform, LOGIN, {"e": victim, "p": "not the password"})) == "UNAUTHENTICATED"
    locked = gql(platform, LOGIN, {"e": victim, "p": data.demo_password})
    assert code(locked) == "RATE_LIMITED"
    assert 0 < locked["errors"][0]["extensions"]["retryAfterSeconds"] <= 15 * 60
    login(platform, "customer@soundcore.example")  # other accounts still log in


def test_deactivated_demo_accounts_cannot_log_in(platform: Platform) -> None:
    data = demo.generate()
    gone = next(u for u in data.users if u.id == data.deactivated_user_ids[0])
    assert code(gql(platform, LOGIN, {"e": gone.email, "p": data.demo_password})) == "UNAUTHENTICATED"
    admin = login(platform, "admin@soundcore.example")["accessToken"]
    body = gql(
        platform, "{ users(active: false) { totalCount edges { node { id active deactivatedAt } } } }", token=admin
    )
    assert body["data"]["users"]["totalCount"] == len(data.deactivated_user_ids)
    assert {edge["node"]["id"] for edge in body["data"]["users"]["edges"]} == set(data.deactivated_user_ids)


def test_admin_creates_a_user_and_others_may_not(platform: Platform) -> None:
    admin = login(platform, "admin@soundcore.example")["accessToken"]
    editor = login(platform, "editor@soundcore.example")["accessToken"]
    create = """
    mutation($i: CreateUserInput!) { createUser(input: $i) { id email role active } }
    """
    new = {
        "email": "e2e.editor@soundcore.example",
        "name": "E2E Editor",
        "role": "EDITOR",
        "password": "e2e long password",
    }
    assert code(gql(platform, create, {"i": new}, token=editor)) == "FORBIDDEN"
    assert code(gql(platform, create, {"i": new})) == "UNAUTHENTICATED"
    assert code(gql(platform, create, {"i": {**new, "password": "short"}}, token=admin)) == "BAD_USER_INPUT"
    created = gql(platform, create, {"i": new}, token=admin)["data"]["createUser"]
    assert (created["email"], created["role"], created["active"]) == ("e2e.editor@soundcore.example", "EDITOR", True)
    assert login(platform, new["email"], new["password"])["user"]["id"] == created["id"]

    deactivated = gql(
        platform, "mutation($u: ID!) { deactivateUser(userId: $u) { active } }", {"u": created["id"]}, token=admin
    )
    assert deactivated == {"data": {"deactivateUser": {"active": False}}}
    assert code(gql(platform, LOGIN, {"e": new["email"], "p": new["password"]})) == "UNAUTHENTICATED"
    log = gql(
        platform,
        "query($t: ID!) { auditLog(targetId: $t) { edges { node { kind actor { email } } } } }",
        {"t": created["id"]},
        token=admin,
    )
    kinds = [edge["node"]["kind"] for edge in log["data"]["auditLog"]["edges"]]
    assert kinds == ["LOGIN_FAILED", "USER_DEACTIVATED", "LOGIN_SUCCEEDED", "USER_CREATED"]
    assert log["data"]["auditLog"]["edges"][-1]["node"]["actor"] == {"email": "admin@soundcore.example"}


def test_a_partner_manages_its_own_api_keys(platform: Platform) -> None:
    partner = login(platform, "partner@soundcore.example")
    me = gql(platform, "{ me { partner { id name } } }", token=partner["accessToken"])
    assert me["data"]["me"]["partner"] == {"id": "ptn-audiohaus", "name": "AudioHaus Retail"}
    token = partner["accessToken"]

    keys = gql(platform, '{ partner(id: "ptn-audiohaus") { apiKeys { id active } } }', token=token)
    states = {key["id"]: key["active"] for key in keys["data"]["partner"]["apiKeys"]}
    assert states["demo0001"] is True
    assert False in states.values()  # the demo data has a revoked key too
    assert code(gql(platform, '{ partner(id: "ptn-megamart") { name } }', token=token)) == "FORBIDDEN"

    created = gql(
        platform,
        'mutation { createApiKey(partnerId: "ptn-audiohaus", name: "e2e", scopes: ["content:read"]) '
        "{ key apiKey { id active } } }",
        token=token,
    )["data"]["createApiKey"]
    assert created["key"].startswith(f"kcp_{created['apiKey']['id']}_")
    refused = gql(
        platform,
        'mutation { createApiKey(partnerId: "ptn-audiohaus", name: "x", scopes: ["users:admin"]) { key } }',
        token=token,
    )
    assert code(refused) == "BAD_USER_INPUT"
    revoked = gql(
        platform,
        "mutation($id: ID!) { revokeApiKey(id: $id) { active } }",
        {"id": created["apiKey"]["id"]},
        token=token,
    )
    assert revoked == {"data": {"revokeApiKey": {"active": False}}}


def test_verify_api_key_is_not_for_clients(platform: Platform) -> None:
    admin = login(platform, "admin@soundcore.example")["accessToken"]
    query = "query($k: String!) { verifyApiKey(key: $k) { keyId } }"
    # @inaccessible: not in the router's API schema, whoever asks.
    assert code(gql(platform, query, {"k": people.DEMO_API_KEY})) == "GRAPHQL_VALIDATION_FAILED"
    assert code(gql(platform, query, {"k": people.DEMO_API_KEY}, token=admin)) == "GRAPHQL_VALIDATION_FAILED"
    introspection = gql(platform, '{ __type(name: "Query") { fields { name } } }', token=admin)
    assert "verifyApiKey" not in {field["name"] for field in introspection["data"]["__type"]["fields"]}
    # Straight to the auth subgraph, without the router's signed identity: refused there too.
    direct = httpx.post(
        platform.url("auth") + "/graphql", json={"query": query, "variables": {"k": people.DEMO_API_KEY}}, timeout=10
    ).json()
    assert code(direct) == "FORBIDDEN"


def test_audit_log_and_signing_keys_are_for_admins(platform: Platform) -> None:
    admin = login(platform, "admin@soundcore.example")["accessToken"]
    analyst = login(platform, "analyst@soundcore.example")["accessToken"]
    # auditLog is @requiresScopes(users:admin): the router removes it before asking auth.
    assert code(gql(platform, "{ auditLog { totalCount } }", token=analyst)) == "UNAUTHORIZED_FIELD_OR_TYPE"
    history = gql(platform, "{ auditLog(kind: API_KEY_REVOKED) { totalCount } }", token=admin)
    assert history["data"]["auditLog"]["totalCount"] >= 1  # from the demo data
    keys = gql(platform, "{ signingKeys { kid signing } }", token=admin)["data"]["signingKeys"]
    jwks = httpx.get(platform.url("auth") + "/.well-known/jwks.json", timeout=10).json()
    assert [key["kid"] for key in jwks["keys"]] == [key["kid"] for key in keys]
    assert keys[0]["signing"] is True

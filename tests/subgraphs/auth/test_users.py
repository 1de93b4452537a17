"""Users: scoped reads, personal data, the `User` entity, and administration by admins only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from auth_support import AuthClient, code
from sqlalchemy import text

if TYPE_CHECKING:
    from collections.abc import Callable

CREATE = """
mutation($input: CreateUserInput!) {
  createUser(input: $input) { id email name role active partner { id name } }
}
"""
ROLE = """
mutation($u: ID!, $r: Role!, $p: ID) { changeUserRole(userId: $u, role: $r, partnerId: $p) { id role partner { id } } }
"""
DEACTIVATE = "mutation($u: ID!) { deactivateUser(userId: $u) { id active deactivatedAt } }"
REACTIVATE = "mutation($u: ID!) { reactivateUser(userId: $u) { id active deactivatedAt } }"


def _new(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "email": "New.Person@Example.com", "name": "  New   Person ", "role": "EDITOR",
        "password": "a long enough secret",
    }  # fmt: skip
    fields.update(overrides)
    return {"input": fields}


async def _counts(auth: AuthClient) -> tuple[int, int]:
    async with auth.app.state.stores.relational.reading() as db:
        users = (await db.execute(text("SELECT count(*) FROM users"))).scalar_one()
        audit = (await db.execute(text("SELECT count(*) FROM audit_events"))).scalar_one()
    return int(users), int(audit)


@pytest.mark.asyncio
async def test_users_connection_needs_users_read_and_pages(auth: AuthClient) -> None:
    query = (
        "query($a: String) { users(first: 2, after: $a) "
        "{ totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }"
    )
    assert code(await auth.gql(query)) == "UNAUTHENTICATED"
    assert code(await auth.gql(query, token=await auth.token("eve@example.com"))) == "FORBIDDEN"
    agent = await auth.token("sam@example.com")  # support agents read users
    first = (await auth.gql(query, token=agent))["data"]["users"]
    assert first["totalCount"] == 7
    assert [edge["node"]["id"] for edge in first["edges"]] == ["usr-0001", "usr-0002"]
    assert first["pageInfo"]["hasNextPage"] is True
    second = (await auth.gql(query, {"a": first["pageInfo"]["endCursor"]}, token=agent))["data"]["users"]
    assert [edge["node"]["id"] for edge in second["edges"]] == ["usr-0003", "usr-0004"]

    filtered = await auth.gql(
        "{ users(role: CUSTOMER, active: false) { edges { node { id active deactivatedAt } } } }", token=agent
    )
    assert filtered["data"]["users"]["edges"] == [
        {"node": {"id": "usr-0006", "active": False, "deactivatedAt": "2025-05-02T03:04:05+00:00"}}
    ]
    assert code(await auth.gql("{ users(first: 500) { totalCount } }", token=agent)) == "BAD_USER_INPUT"
    assert code(await auth.gql('{ users(after: "nonsense") { totalCount } }', token=agent)) == "BAD_USER_INPUT"


@pytest.mark.asyncio
async def test_emails_are_personal_data(auth: AuthClient) -> None:
    entities = (
        'query { _entities(representations: [{__typename: "User", id: "usr-0004"}]) { ... on User { name email } } }'
    )
    anonymous = await auth.gql(entities)
    assert anonymous["data"] == {"_entities": [None]}  # email is non-null: the error nulls the user
    assert code(anonymous) == "UNAUTHENTICATED"
    assert code(await auth.gql(entities, token=await auth.token("eve@example.com"))) == "FORBIDDEN"
    own = await auth.gql(entities, token=await auth.token("cy@example.com"))
    assert own == {"data": {"_entities": [{"name": "Cy Customer", "email": "cy@example.com"}]}}
    agent = await auth.gql(entities, token=await auth.token("sam@example.com"))
    assert agent == own


@pytest.mark.asyncio
async def test_entities_batch_costs_one_query(auth: AuthClient, count_statements: Callable[..., Any]) -> None:
    token = await auth.token()
    engine = auth.app.state.stores.relational.engine.sync_engine
    with count_statements(engine=engine, selects_only=True) as statements:
        body = await auth.gql(
            "query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id name role partner { name } } } }",
            {"r": [{"__typename": "User", "id": i} for i in ("usr-0003", "usr-0005", "usr-9999", "usr-0007")]},
            token=token,
        )
    assert body == {
        "data": {
            "_entities": [
                {"id": "usr-0003", "name": "Sam Support", "role": "SUPPORT_AGENT", "partner": None},
                {"id": "usr-0005", "name": "Pat Partner", "role": "PARTNER", "partner": {"name": "Acme Audio"}},
                None,
                {"id": "usr-0007", "name": "Ola Other", "role": "PARTNER", "partner": {"name": "Other Retail"}},
            ]
        }
    }
    assert len([s for s in statements if "FROM users" in s]) == 1
    assert len([s for s in statements if "FROM partners" in s]) == 1


@pytest.mark.asyncio
async def test_sdl_declares_the_user_key(auth: AuthClient) -> None:
    sdl = (await auth.gql("{ _service { sdl } }"))["data"]["_service"]["sdl"]
    assert 'type User @key(fields: "id")' in sdl


@pytest.mark.asyncio
async def test_admin_creates_a_user_who_can_log_in(auth: AuthClient) -> None:
    admin = await auth.token()
    created = (await auth.gql(CREATE, _new(), token=admin))["data"]["createUser"]
    assert created["email"] == "new.person@example.com"
    assert (created["name"], created["role"], created["active"], created["partner"]) == (
        "New Person", "EDITOR", True, None,
    )  # fmt: skip
    login = await auth.login("new.person@example.com", "a long enough secret")
    assert login["data"]["login"]["user"]["id"] == created["id"]
    partner_user = await auth.gql(
        CREATE, _new(email="p2@acme.example", role="PARTNER", partnerId="ptn-acme"), token=admin
    )
    assert partner_user["data"]["createUser"]["partner"] == {"id": "ptn-acme", "name": "Acme Audio"}
    log = await auth.gql(
        "{ auditLog(kind: USER_CREATED) { totalCount edges { node { actorId actor { name } targetId detail } } } }",
        token=admin,
    )
    assert log["data"]["auditLog"]["totalCount"] == 2
    assert log["data"]["auditLog"]["edges"][1]["node"] == {
        "actorId": "usr-0001", "actor": {"name": "Ada Admin"}, "targetId": created["id"], "detail": "role editor",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"email": "not-an-email"}, "BAD_USER_INPUT"),
        ({"email": "EVE@example.com"}, "BAD_USER_INPUT"),  # taken, whatever the case
        ({"name": "   "}, "BAD_USER_INPUT"),
        ({"password": "short"}, "BAD_USER_INPUT"),
        ({"role": "PARTNER"}, "BAD_USER_INPUT"),  # a partner user needs a partner
        ({"role": "PARTNER", "partnerId": "ptn-nope"}, "NOT_FOUND"),
        ({"partnerId": "ptn-acme"}, "BAD_USER_INPUT"),  # only partner users belong to one
    ],
)
@pytest.mark.asyncio
async def test_bad_user_input_is_refused_and_writes_nothing(
    auth: AuthClient, overrides: dict[str, Any], expected: str
) -> None:
    admin = await auth.token()
    before = await _counts(auth)
    body = await auth.gql(CREATE, _new(**overrides), token=admin)
    assert body["data"] is None
    assert code(body) == expected
    assert await _counts(auth) == before


@pytest.mark.asyncio
async def test_user_administration_needs_users_admin(auth: AuthClient) -> None:
    agent = await auth.token("sam@example.com")  # users:read, not users:admin
    for query, variables in (
        (CREATE, _new()),
        (ROLE, {"u": "usr-0004", "r": "EDITOR"}),
        (DEACTIVATE, {"u": "usr-0004"}),
        (REACTIVATE, {"u": "usr-0006"}),
        ('mutation { endUserSessions(userId: "usr-0004") }', None),
    ):
        assert code(await auth.gql(query, variables, token=agent)) == "FORBIDDEN"
        assert code(await auth.gql(query, variables)) == "UNAUTHENTICATED"


@pytest.mark.asyncio
async def test_change_role_takes_effect_at_the_next_login(auth: AuthClient) -> None:
    admin = await auth.token()
    session = await auth.session("cy@example.com")
    changed = await auth.gql(ROLE, {"u": "usr-0004", "r": "PARTNER", "p": "ptn-other"}, token=admin)
    assert changed == {
        "data": {"changeUserRole": {"id": "usr-0004", "role": "PARTNER", "partner": {"id": "ptn-other"}}}
    }
    refreshed = await auth.gql(
        "mutation($t: String!) { refresh(refreshToken: $t) { user { role scopes } } }", {"t": session["refreshToken"]}
    )
    assert refreshed["data"]["refresh"]["user"] == {
        "role": "PARTNER", "scopes": ["content:read", "partner:keys"],
    }  # fmt: skip
    assert code(await auth.gql(ROLE, {"u": "usr-0001", "r": "EDITOR"}, token=admin)) == "BAD_USER_INPUT"  # self
    assert code(await auth.gql(ROLE, {"u": "usr-9999", "r": "EDITOR"}, token=admin)) == "NOT_FOUND"
    assert (
        code(await auth.gql(ROLE, {"u": "usr-0004", "r": "EDITOR", "p": "ptn-other"}, token=admin)) == "BAD_USER_INPUT"
    )


@pytest.mark.asyncio
async def test_deactivation_ends_logins_and_reactivation_restores_them(auth: AuthClient) -> None:
    admin = await auth.token()
    session = await auth.session("cy@example.com")
    body = await auth.gql(DEACTIVATE, {"u": "usr-0004"}, token=admin)
    assert body["data"]["deactivateUser"]["active"] is False
    assert body["data"]["deactivateUser"]["deactivatedAt"] == "2026-11-27T12:00:00+00:00"
    # The refresh token is dead, the still-valid access token no longer finds its user, login fails.
    assert (
        code(
            await auth.gql(
                "mutation($t: String!) { refresh(refreshToken: $t) { accessToken } }", {"t": session["refreshToken"]}
            )
        )
        == "UNAUTHENTICATED"
    )
    assert code(await auth.gql("{ me { id } }", token=session["accessToken"])) == "UNAUTHENTICATED"
    assert code(await auth.login("cy@example.com")) == "UNAUTHENTICATED"
    again = await auth.gql(DEACTIVATE, {"u": "usr-0004"}, token=admin)  # idempotent
    assert again["data"] == body["data"]
    assert code(await auth.gql(DEACTIVATE, {"u": "usr-0001"}, token=admin)) == "BAD_USER_INPUT"  # self
    assert code(await auth.gql(DEACTIVATE, {"u": "usr-9999"}, token=admin)) == "NOT_FOUND"

    back = await auth.gql(REACTIVATE, {"u": "usr-0004"}, token=admin)
    assert back == {"data": {"reactivateUser": {"id": "usr-0004", "active": True, "deactivatedAt": None}}}
    assert "errors" not in await auth.login("cy@example.com")
    kinds = await auth.gql('{ auditLog(targetId: "usr-0004", first: 10) { edges { node { kind } } } }', token=admin)
    assert [edge["node"]["kind"] for edge in kinds["data"]["auditLog"]["edges"]] == [
        "LOGIN_SUCCEEDED", "USER_REACTIVATED", "LOGIN_FAILED", "USER_DEACTIVATED", "LOGIN_SUCCEEDED",
    ]  # fmt: skip


@pytest.mark.asyncio
async def test_end_user_sessions_revokes_every_refresh_token(auth: AuthClient) -> None:
    admin = await auth.token()
    sessions = [await auth.session("sam@example.com") for _ in range(2)]
    assert await auth.gql('mutation { endUserSessions(userId: "usr-0003") }', token=admin) == {
        "data": {"endUserSessions": 2}
    }
    for session in sessions:
        body = await auth.gql(
            "mutation($t: String!) { refresh(refreshToken: $t) { accessToken } }", {"t": session["refreshToken"]}
        )
        assert code(body) == "UNAUTHENTICATED"

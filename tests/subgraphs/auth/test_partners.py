"""Partners and their API keys: shown once, stored hashed, scoped, revocable, verified for the router."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from auth_support import PARTNER_KEY, REVOKED_KEY, AuthClient, MovableClock, code, service_caller
from sqlalchemy import text

from kcp.identity import Caller, CallerKind

CREATE_KEY = """
mutation($p: ID!, $n: String!, $s: [String!]!) {
  createApiKey(partnerId: $p, name: $n, scopes: $s) {
    key
    apiKey { id name scopes prefix active createdById lastUsedAt }
  }
}
"""
REVOKE_KEY = "mutation($id: ID!) { revokeApiKey(id: $id) { id active revokedAt } }"
VERIFY = "query($k: String!) { verifyApiKey(key: $k) { keyId scopes partner { id name } } }"
PARTNER = '{ partner(id: "ptn-acme") { name apiKeys { id active lastUsedAt } } }'


@pytest.mark.asyncio
async def test_partners_with_their_keys_and_people(auth: AuthClient) -> None:
    admin = await auth.token()
    body = await auth.gql(
        "{ partners { totalCount edges { node { id name members { id } "
        "apiKeys { id name active prefix scopes revokedAt } } } } }",
        token=admin,
    )
    partners = body["data"]["partners"]
    assert partners["totalCount"] == 2
    acme = partners["edges"][0]["node"]
    assert (acme["id"], acme["name"], acme["members"]) == ("ptn-acme", "Acme Audio", [{"id": "usr-0005"}])
    assert acme["apiKeys"] == [
        {"id": "testkey0001", "name": "Integration", "active": True, "prefix": "kcp_testkey0001_",
         "scopes": ["knowledge:read", "support:write"], "revokedAt": None},
        {"id": "testkey0002", "name": "Old", "active": False, "prefix": "kcp_testkey0002_",
         "scopes": ["knowledge:read"], "revokedAt": "2025-01-05T03:04:05+00:00"},
    ]  # fmt: skip
    assert (
        code(await auth.gql("{ partners { totalCount } }", token=await auth.token("pat@partner.example")))
        == "FORBIDDEN"
    )


@pytest.mark.asyncio
async def test_partner_people_see_their_own_partner_only(auth: AuthClient) -> None:
    pat = await auth.token("pat@partner.example")
    own = await auth.gql(PARTNER, token=pat)
    assert own["data"]["partner"]["name"] == "Acme Audio"
    assert len(own["data"]["partner"]["apiKeys"]) == 2
    ola = await auth.token("ola@other.example")
    assert code(await auth.gql(PARTNER, token=ola)) == "FORBIDDEN"
    assert code(await auth.gql(PARTNER, token=await auth.token("cy@example.com"))) == "FORBIDDEN"
    assert code(await auth.gql(PARTNER)) == "UNAUTHENTICATED"
    assert code(await auth.gql('{ partner(id: "ptn-nope") { name } }', token=await auth.token())) == "NOT_FOUND"


@pytest.mark.asyncio
async def test_a_new_key_is_shown_once_stored_hashed_and_verifies(auth: AuthClient) -> None:
    pat = await auth.token("pat@partner.example")  # self-service: partner:keys on their own partner
    body = await auth.gql(
        CREATE_KEY, {"p": "ptn-acme", "n": "Web shop", "s": ["support:write", "content:read"]}, token=pat
    )
    created = body["data"]["createApiKey"]
    key, api_key = created["key"], created["apiKey"]
    assert key.startswith(api_key["prefix"])
    assert api_key["scopes"] == ["content:read", "support:write"]
    assert (api_key["active"], api_key["createdById"], api_key["lastUsedAt"]) == (True, "usr-0005", None)

    async with auth.app.state.stores.relational.reading() as db:
        stored = (
            await db.execute(text("SELECT key_hash FROM api_keys WHERE id = :id"), {"id": api_key["id"]})
        ).scalar_one()
    assert stored == hashlib.sha256(key.encode()).hexdigest()
    listed = await auth.gql(PARTNER, token=pat)
    assert key not in str(listed)

    verified = await auth.gql(VERIFY, {"k": key}, caller=service_caller())
    assert verified == {
        "data": {"verifyApiKey": {"keyId": api_key["id"], "scopes": ["content:read", "support:write"],
                                  "partner": {"id": "ptn-acme", "name": "Acme Audio"}}}
    }  # fmt: skip


@pytest.mark.asyncio
async def test_verification_refuses_bad_keys_and_answers_services_only(auth: AuthClient) -> None:
    service = service_caller()
    for bad in (REVOKED_KEY, PARTNER_KEY + "x", "kcp_unknown_secret", "not a key", "x" * 500):
        assert await auth.gql(VERIFY, {"k": bad}, caller=service) == {"data": {"verifyApiKey": None}}, bad
    admin_user = Caller(kind=CallerKind.USER, subject="usr-0001", role="admin", scopes=frozenset({"users:admin"}))
    assert code(await auth.gql(VERIFY, {"k": PARTNER_KEY}, caller=admin_user)) == "FORBIDDEN"
    assert code(await auth.gql(VERIFY, {"k": PARTNER_KEY}, token=await auth.token())) == "FORBIDDEN"
    assert code(await auth.gql(VERIFY, {"k": PARTNER_KEY})) == "FORBIDDEN"
    forged = {"x-kcp-identity": "eyJraW5kIjoic2VydmljZSJ9", "x-kcp-identity-signature": "v1=00"}
    assert code(await auth.gql(VERIFY, {"k": PARTNER_KEY}, headers=forged)) == "UNAUTHENTICATED"


@pytest.mark.asyncio
async def test_last_used_time_is_recorded_at_most_once_a_minute(auth: AuthClient, clock: MovableClock) -> None:
    admin = await auth.token()
    service = service_caller()

    async def last_used() -> str | None:
        keys = (await auth.gql(PARTNER, token=admin))["data"]["partner"]["apiKeys"]
        value: str | None = next(k["lastUsedAt"] for k in keys if k["id"] == "testkey0001")
        return value

    assert await last_used() is None
    await auth.gql(VERIFY, {"k": PARTNER_KEY}, caller=service)
    assert await last_used() == "2026-11-27T12:00:00+00:00"
    clock.advance(seconds=30)
    await auth.gql(VERIFY, {"k": PARTNER_KEY}, caller=service)
    assert await last_used() == "2026-11-27T12:00:00+00:00"
    clock.advance(seconds=30)
    await auth.gql(VERIFY, {"k": PARTNER_KEY}, caller=service)
    assert await last_used() == "2026-11-27T12:01:00+00:00"


@pytest.mark.asyncio
async def test_revoking_a_key_stops_it_at_once(auth: AuthClient) -> None:
    admin = await auth.token()
    revoked = await auth.gql(REVOKE_KEY, {"id": "testkey0001"}, token=admin)
    assert revoked == {
        "data": {"revokeApiKey": {"id": "testkey0001", "active": False, "revokedAt": "2026-11-27T12:00:00+00:00"}}
    }
    assert await auth.gql(VERIFY, {"k": PARTNER_KEY}, caller=service_caller()) == {"data": {"verifyApiKey": None}}
    assert await auth.gql(REVOKE_KEY, {"id": "testkey0001"}, token=admin) == revoked  # idempotent
    assert code(await auth.gql(REVOKE_KEY, {"id": "nokey"}, token=admin)) == "NOT_FOUND"
    kinds = await auth.gql(
        '{ auditLog(targetId: "testkey0001") { totalCount edges { node { kind actorId } } } }', token=admin
    )
    assert kinds["data"]["auditLog"] == {  # the revocation now, the creation from the seeded history
        "totalCount": 2,
        "edges": [
            {"node": {"kind": "API_KEY_REVOKED", "actorId": "usr-0001"}},
            {"node": {"kind": "API_KEY_CREATED", "actorId": "usr-0001"}},
        ],
    }


@pytest.mark.asyncio
async def test_key_management_is_refused_to_outsiders_and_bad_input_writes_nothing(auth: AuthClient) -> None:
    ola = await auth.token("ola@other.example")  # a partner person, of another partner
    agent = await auth.token("sam@example.com")
    admin = await auth.token()

    async def key_count() -> int:
        async with auth.app.state.stores.relational.reading() as db:
            return int((await db.execute(text("SELECT count(*) FROM api_keys"))).scalar_one())

    before = await key_count()
    good = {"p": "ptn-acme", "n": "Key", "s": ["content:read"]}
    assert code(await auth.gql(CREATE_KEY, good, token=ola)) == "FORBIDDEN"
    assert code(await auth.gql(CREATE_KEY, good, token=agent)) == "FORBIDDEN"
    assert code(await auth.gql(CREATE_KEY, good)) == "UNAUTHENTICATED"
    assert code(await auth.gql(REVOKE_KEY, {"id": "testkey0001"}, token=ola)) == "FORBIDDEN"
    assert code(await auth.gql(CREATE_KEY, {**good, "p": "ptn-nope"}, token=admin)) == "NOT_FOUND"
    assert code(await auth.gql(CREATE_KEY, {**good, "s": []}, token=admin)) == "BAD_USER_INPUT"
    assert code(await auth.gql(CREATE_KEY, {**good, "n": " "}, token=admin)) == "BAD_USER_INPUT"
    refused = await auth.gql(CREATE_KEY, {**good, "s": ["content:read", "users:admin"]}, token=admin)
    assert code(refused) == "BAD_USER_INPUT"
    assert "users:admin" in refused["errors"][0]["message"]
    # Published knowledge is public; knowledge:read would open drafts to a partner's integration.
    drafts = await auth.gql(CREATE_KEY, {**good, "s": ["knowledge:read"]}, token=admin)
    assert code(drafts) == "BAD_USER_INPUT"
    assert "knowledge:read" in drafts["errors"][0]["message"]
    assert await key_count() == before


@pytest.mark.asyncio
async def test_admin_registers_a_partner(auth: AuthClient) -> None:
    admin = await auth.token()
    body = await auth.gql('mutation { createPartner(name: "Nordic Sound AB") { id name apiKeys { id } } }', token=admin)
    partner = body["data"]["createPartner"]
    assert partner["id"].startswith("ptn-nordic-sound-ab-")
    assert (partner["name"], partner["apiKeys"]) == ("Nordic Sound AB", [])
    assert (
        code(await auth.gql('mutation { createPartner(name: "acme audio") { id } }', token=admin)) == "BAD_USER_INPUT"
    )
    assert (
        code(
            await auth.gql(
                'mutation { createPartner(name: "X") { id } }', token=await auth.token("pat@partner.example")
            )
        )
        == "FORBIDDEN"
    )


@pytest.mark.asyncio
async def test_a_page_of_partners_costs_one_query_per_level(auth: AuthClient, count_statements: Any) -> None:
    admin = await auth.token()
    for n in range(6):
        await auth.gql(f'mutation {{ createPartner(name: "Batch {n}") {{ id }} }}', token=admin)
    engine = auth.app.state.stores.relational.engine.sync_engine
    with count_statements(engine=engine, selects_only=True) as statements:
        body = await auth.gql(
            "{ partners(first: 8) { edges { node { name members { id partner { id } } apiKeys { id } } } } }",
            token=admin,
        )
    assert len(body["data"]["partners"]["edges"]) == 8
    # count + page, then one query each for members, API keys and the members' partners.
    assert len(statements) == 5, statements

"""Key rotation: several keys in the JWKS, the newest signs, older tokens verify until retired."""

from __future__ import annotations

import asyncio

import jwt
import pytest
from auth_support import AuthClient, code

from subgraphs.auth.tokens.keys import KeyRing

ROTATE = "mutation { rotateSigningKey { kid signing } }"
KEYS = "{ signingKeys { kid signing } }"


@pytest.mark.asyncio
async def test_rotation_publishes_both_keys_and_signs_with_the_new_one(auth: AuthClient) -> None:
    admin = await auth.token()
    old_kid = jwt.get_unverified_header(admin)["kid"]
    rotated = (await auth.gql(ROTATE, token=admin))["data"]["rotateSigningKey"]
    assert rotated["signing"] is True
    assert rotated["kid"] != old_kid
    jwks = (await auth.http.get("/.well-known/jwks.json")).json()
    assert [key["kid"] for key in jwks["keys"]] == [rotated["kid"], old_kid]
    assert (await auth.gql(KEYS, token=admin))["data"]["signingKeys"] == [
        {"kid": rotated["kid"], "signing": True}, {"kid": old_kid, "signing": False},
    ]  # fmt: skip

    fresh = await auth.token("sam@example.com")
    assert jwt.get_unverified_header(fresh)["kid"] == rotated["kid"]
    # The token signed before the rotation still works.
    assert (await auth.gql("{ me { id } }", token=admin))["data"] == {"me": {"id": "usr-0001"}}


@pytest.mark.asyncio
async def test_retiring_a_key_invalidates_its_tokens(auth: AuthClient) -> None:
    admin = await auth.token()
    old_kid = jwt.get_unverified_header(admin)["kid"]
    new_kid = (await auth.gql(ROTATE, token=admin))["data"]["rotateSigningKey"]["kid"]
    # The signing key cannot be retired; an unknown kid is not found.
    assert (
        code(await auth.gql("mutation($k: String!) { retireSigningKey(kid: $k) { kid } }", {"k": new_kid}, token=admin))
        == "BAD_USER_INPUT"
    )
    assert code(await auth.gql('mutation { retireSigningKey(kid: "nope") { kid } }', token=admin)) == "NOT_FOUND"
    fresh_admin = await auth.token()
    retired = await auth.gql(
        "mutation($k: String!) { retireSigningKey(kid: $k) { kid signing } }", {"k": old_kid}, token=fresh_admin
    )
    assert retired == {"data": {"retireSigningKey": {"kid": old_kid, "signing": False}}}
    jwks = (await auth.http.get("/.well-known/jwks.json")).json()
    assert [key["kid"] for key in jwks["keys"]] == [new_kid]
    assert code(await auth.gql("{ me { id } }", token=admin)) == "UNAUTHENTICATED"
    log = await auth.gql("{ auditLog(first: 2) { edges { node { kind targetId } } } }", token=fresh_admin)
    assert [edge["node"] for edge in log["data"]["auditLog"]["edges"]] == [
        {"kind": "SIGNING_KEY_RETIRED", "targetId": old_kid},
        {"kind": "LOGIN_SUCCEEDED", "targetId": "usr-0001"},
    ]


@pytest.mark.asyncio
async def test_key_administration_needs_users_admin(auth: AuthClient) -> None:
    editor = await auth.token("eve@example.com")
    assert code(await auth.gql(ROTATE, token=editor)) == "FORBIDDEN"
    assert code(await auth.gql(KEYS)) == "UNAUTHENTICATED"
    assert len((await auth.http.get("/.well-known/jwks.json")).json()["keys"]) == 1


@pytest.mark.asyncio
async def test_a_rotation_by_another_auth_process_is_picked_up(auth: AuthClient) -> None:
    admin = await auth.token()
    other_process = KeyRing(auth.settings.service_data_dir("auth"))
    other_process.load()
    new_key = await asyncio.to_thread(other_process.rotate)
    jwks = (await auth.http.get("/.well-known/jwks.json")).json()
    assert jwks["keys"][0]["kid"] == new_key.kid
    assert jwt.get_unverified_header(await auth.token("sam@example.com"))["kid"] == new_key.kid
    assert (await auth.gql("{ me { id } }", token=admin))["data"] == {"me": {"id": "usr-0001"}}

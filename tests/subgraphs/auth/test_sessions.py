"""Logging in, access tokens verified against the JWKS, `me`, throttling, refresh and logout."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import stat
import time
from typing import TYPE_CHECKING, Any

import jwt
import pytest
from auth_support import PASSWORD, AuthClient, MovableClock, code
from sqlalchemy import text

from subgraphs.auth.tokens.keys import KEY_FOLDER, KeyRing

if TYPE_CHECKING:
    from kcp.settings import Settings

REFRESH = "mutation($t: String!) { refresh(refreshToken: $t) { accessToken refreshToken user { id email } } }"
LOGOUT = "mutation($t: String!) { logout(refreshToken: $t) }"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(settings: Settings, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": "usr-0004", "role": "admin", "scopes": ["users:read"], "iss": settings.kcp_jwt_issuer,
        "aud": settings.kcp_jwt_audience, "iat": now, "exp": now + 600,
    }  # fmt: skip
    claims.update(overrides)
    return claims


async def _count(auth: AuthClient, table: str) -> int:
    async with auth.app.state.stores.relational.reading() as db:
        return int((await db.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())  # noqa: S608 - test-fixed names


@pytest.mark.asyncio
async def test_login_returns_tokens_verifiable_with_the_jwks(auth: AuthClient, settings: Settings) -> None:
    login = (await auth.login("  ADA@example.com "))["data"]["login"]
    assert login["tokenType"] == "Bearer"
    assert login["expiresIn"] == settings.kcp_jwt_ttl_seconds
    assert login["refreshToken"].startswith("rt_")
    assert login["refreshExpiresIn"] == 14 * 24 * 3600
    assert login["user"] == {
        "id": "usr-0001", "email": "ada@example.com", "role": "ADMIN", "scopes": login["user"]["scopes"],
    }  # fmt: skip
    assert "users:admin" in login["user"]["scopes"]

    jwks = (await auth.http.get("/.well-known/jwks.json")).json()
    assert len(jwks["keys"]) == 1
    header = jwt.get_unverified_header(login["accessToken"])
    assert header == {"alg": "EdDSA", "typ": "JWT", "kid": jwks["keys"][0]["kid"]}
    claims = jwt.decode(
        login["accessToken"], jwt.PyJWK(jwks["keys"][0]), algorithms=["EdDSA"],
        audience=settings.kcp_jwt_audience, issuer=settings.kcp_jwt_issuer,
    )  # fmt: skip
    assert (claims["sub"], claims["role"]) == ("usr-0001", "admin")
    assert claims["scopes"] == login["user"]["scopes"]
    assert claims["exp"] - claims["iat"] == settings.kcp_jwt_ttl_seconds

    key_files = list((settings.service_data_dir("auth") / KEY_FOLDER).glob("*.pem"))
    assert [path.name for path in key_files] == ["000001.pem"]
    assert stat.S_IMODE(key_files[0].stat().st_mode) == 0o600


@pytest.mark.asyncio
async def test_the_signing_keys_survive_a_restart(settings: Settings) -> None:
    first, second = KeyRing(settings.service_data_dir("auth")), KeyRing(settings.service_data_dir("auth"))
    first.load()
    second.load()
    assert first.signing.kid == second.signing.kid


@pytest.mark.asyncio
async def test_wrong_password_unknown_email_and_deactivated_account_fail_the_same_way(auth: AuthClient) -> None:
    for body in (
        await auth.login("ada@example.com", "not the password"),
        await auth.login("nobody@example.com"),
        await auth.login("gone@example.com"),  # deactivated, right password
    ):
        assert body["data"] is None
        assert code(body) == "UNAUTHENTICATED"
        assert body["errors"][0]["message"] == "Invalid email or password"


@pytest.mark.asyncio
async def test_me_reads_the_bearer_token(auth: AuthClient) -> None:
    token = await auth.token("sam@example.com")
    body = await auth.gql("{ me { id name role email active lastLoginAt } }", token=token)
    assert body == {
        "data": {
            "me": {
                "id": "usr-0003", "name": "Sam Support", "role": "SUPPORT_AGENT", "email": "sam@example.com",
                "active": True, "lastLoginAt": "2026-11-27T12:00:00+00:00",
            }
        }
    }  # fmt: skip
    assert await auth.gql("{ me { id } }") == {"data": {"me": None}}


@pytest.mark.asyncio
async def test_me_rejects_tampered_none_hmac_expired_and_foreign_tokens(auth: AuthClient, settings: Settings) -> None:
    token = await auth.token("cy@example.com")
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "admin"
    tampered = f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"

    ring = KeyRing(settings.service_data_dir("auth"))
    ring.load()
    key = ring.signing
    body_part = _b64(json.dumps(_claims(settings)).encode())
    none_token = f"{_b64(json.dumps({'alg': 'none', 'typ': 'JWT', 'kid': key.kid}).encode())}.{body_part}."
    # HS256 "signed" with the public key as the HMAC secret (the classic key-confusion attack).
    signing_input = f"{_b64(json.dumps({'alg': 'HS256', 'typ': 'JWT', 'kid': key.kid}).encode())}.{body_part}"
    secret = json.dumps(key.public_jwk).encode()
    hs256 = f"{signing_input}.{_b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())}"
    expired = jwt.encode(
        _claims(settings, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600),
        key.private_key, algorithm="EdDSA", headers={"kid": key.kid},
    )  # fmt: skip
    wrong_audience = jwt.encode(
        _claims(settings, aud="someone-else"), key.private_key, algorithm="EdDSA", headers={"kid": key.kid}
    )

    for bad in (tampered, none_token, hs256, expired, wrong_audience, "not-a-jwt"):
        body = await auth.gql("{ me { id role } }", token=bad)
        assert body["data"] == {"me": None}, bad
        assert code(body) == "UNAUTHENTICATED", bad
    assert "expired" in (await auth.gql("{ me { id } }", token=expired))["errors"][0]["message"]
    assert code(await auth.gql("{ me { id } }", headers={"Authorization": "Basic abc"})) == "UNAUTHENTICATED"


@pytest.mark.asyncio
async def test_repeated_failures_lock_the_account_with_a_retry_after(auth: AuthClient, clock: MovableClock) -> None:
    for _ in range(5):
        assert code(await auth.login("eve@example.com", "wrong password")) == "UNAUTHENTICATED"
        clock.advance(seconds=60)
    # Locked now, even with the right password; the lock ends 15 min after the first failure.
    locked = await auth.login("eve@example.com")
    assert code(locked) == "RATE_LIMITED"
    assert locked["errors"][0]["extensions"]["retryAfterSeconds"] == 15 * 60 - 5 * 60
    # Other accounts are not affected.
    assert "errors" not in await auth.login("sam@example.com")
    clock.advance(seconds=10 * 60 - 1)
    assert locked["errors"][0]["extensions"]["retryAfterSeconds"] > 0
    assert (await auth.login("eve@example.com"))["errors"][0]["extensions"]["retryAfterSeconds"] == 1
    clock.advance(seconds=1)
    assert "errors" not in await auth.login("eve@example.com")


@pytest.mark.asyncio
async def test_a_success_clears_the_account_count(auth: AuthClient) -> None:
    for _ in range(4):
        await auth.login("eve@example.com", "wrong password")
    assert "errors" not in await auth.login("eve@example.com")
    for _ in range(4):
        await auth.login("eve@example.com", "wrong password")
    assert "errors" not in await auth.login("eve@example.com")


@pytest.mark.asyncio
async def test_many_failures_from_one_address_lock_that_address(auth: AuthClient) -> None:
    # The router (a loopback peer) passes the client's address in X-Forwarded-For.
    attacker = {"x-forwarded-for": "203.0.113.9"}
    for n in range(30):
        body = await auth.login(f"guess{n}@example.com", "wrong password", **attacker)
        assert code(body) == "UNAUTHENTICATED"
    locked = await auth.login("eve@example.com", PASSWORD, **attacker)
    assert code(locked) == "RATE_LIMITED"
    assert locked["errors"][0]["extensions"]["retryAfterSeconds"] == 15 * 60
    assert "errors" not in await auth.login("eve@example.com", PASSWORD, **{"x-forwarded-for": "198.51.100.7"})


@pytest.mark.asyncio
async def test_refresh_rotates_and_the_old_token_stops_working(auth: AuthClient) -> None:
    first = await auth.session("sam@example.com")
    body = await auth.gql(REFRESH, {"t": first["refreshToken"]})
    second = body["data"]["refresh"]
    assert second["refreshToken"] != first["refreshToken"]
    assert second["user"] == {"id": "usr-0003", "email": "sam@example.com"}
    me = await auth.gql("{ me { id } }", token=second["accessToken"])
    assert me == {"data": {"me": {"id": "usr-0003"}}}
    third = (await auth.gql(REFRESH, {"t": second["refreshToken"]}))["data"]["refresh"]
    assert third["refreshToken"] not in {first["refreshToken"], second["refreshToken"]}


@pytest.mark.asyncio
async def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(auth: AuthClient) -> None:
    first = await auth.session("sam@example.com")
    other_login = await auth.session("sam@example.com")
    second = (await auth.gql(REFRESH, {"t": first["refreshToken"]}))["data"]["refresh"]
    # An attacker replays the first token: refused, and the legitimate holder's newer token dies too.
    replay = await auth.gql(REFRESH, {"t": first["refreshToken"]})
    assert code(replay) == "UNAUTHENTICATED"
    assert "already used" in replay["errors"][0]["message"]
    assert code(await auth.gql(REFRESH, {"t": second["refreshToken"]})) == "UNAUTHENTICATED"
    # A separate login of the same user is another family and lives on.
    assert "errors" not in await auth.gql(REFRESH, {"t": other_login["refreshToken"]})
    audit = await auth.gql(
        "{ auditLog(kind: REFRESH_TOKEN_REUSED) { totalCount edges { node { targetId } } } }",
        token=await auth.token(),
    )
    assert audit["data"]["auditLog"] == {"totalCount": 1, "edges": [{"node": {"targetId": "usr-0003"}}]}


@pytest.mark.asyncio
async def test_logout_revokes_and_bad_refresh_tokens_are_refused(auth: AuthClient, clock: MovableClock) -> None:
    session = await auth.session("cy@example.com")
    assert await auth.gql(LOGOUT, {"t": session["refreshToken"]}) == {"data": {"logout": True}}
    assert await auth.gql(LOGOUT, {"t": session["refreshToken"]}) == {"data": {"logout": False}}
    assert code(await auth.gql(REFRESH, {"t": session["refreshToken"]})) == "UNAUTHENTICATED"
    assert code(await auth.gql(REFRESH, {"t": "rt_made-up"})) == "UNAUTHENTICATED"
    assert code(await auth.gql(LOGOUT, {"t": "rt_made-up"})) == "UNAUTHENTICATED"

    stale = await auth.session("cy@example.com")
    clock.advance(days=15)
    expired = await auth.gql(REFRESH, {"t": stale["refreshToken"]})
    assert code(expired) == "UNAUTHENTICATED"
    assert "expired" in expired["errors"][0]["message"]


@pytest.mark.asyncio
async def test_a_failed_refresh_writes_nothing(auth: AuthClient) -> None:
    await auth.session("cy@example.com")
    before = (await _count(auth, "refresh_tokens"), await _count(auth, "audit_events"))
    assert code(await auth.gql(REFRESH, {"t": "rt_made-up"})) == "UNAUTHENTICATED"
    assert (await _count(auth, "refresh_tokens"), await _count(auth, "audit_events")) == before

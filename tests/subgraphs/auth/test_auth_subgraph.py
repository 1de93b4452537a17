"""The auth subgraph through HTTP: login, tokens, JWKS, `me`, entities and seeding."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import stat
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import jwt
import pytest
import pytest_asyncio

from demo.model import DemoData, DemoUser
from subgraphs.auth.app import create_app
from subgraphs.auth.seed import seed
from subgraphs.auth.stores import AuthStores
from subgraphs.auth.tokens.keys import KEY_FILE, load_or_create_signing_key
from subgraphs.auth.users.repository import UserRepository

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from kcp.settings import Settings

PASSWORD = "correct horse battery staple"  # noqa: S105 - test data


def _data() -> DemoData:
    created = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    users = (
        DemoUser(id="usr-0001", email="Ada@Example.com", name="Ada Admin", role="admin", created_at=created),
        DemoUser(id="usr-0002", email="eve@example.com", name="Eve Editor", role="editor", created_at=created),
        DemoUser(id="usr-0003", email="sam@example.com", name="Sam Support", role="support_agent", created_at=created),
        DemoUser(id="usr-0004", email="cy@example.com", name="Cy Customer", role="customer", created_at=created),
    )
    return DemoData(
        categories=(), products=(), features=(), known_issues=(), solutions=(), articles=(),
        users=users, content_items=(), tickets=(), events=(), demo_password=PASSWORD,
    )  # fmt: skip


class Client:
    """The shared GraphQL client (``graphql_app``), plus Bearer tokens and logging in."""

    def __init__(self, api) -> None:
        self.api = api
        self.app = api.app
        self.http = api.http

    async def gql(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        headers = None if token is None else {"Authorization": f"Bearer {token}"}
        body: dict[str, Any] = await self.api.gql(query, variables, headers=headers)
        return body

    async def login(self, email: str, password: str = PASSWORD) -> dict[str, Any]:
        return await self.gql(
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) "
            "{ accessToken tokenType expiresIn user { id email role scopes } } }",
            {"e": email, "p": password},
        )

    async def token(self, email: str = "ada@example.com") -> str:
        token: str = (await self.login(email))["data"]["login"]["accessToken"]
        return token


@pytest_asyncio.fixture
async def client(settings: Settings, new_progress, graphql_app) -> AsyncIterator[Client]:
    await seed(settings, _data(), new_progress())
    async with graphql_app(create_app(settings), base_url="http://auth") as api:
        yield Client(api)


def _code(body: dict[str, Any]) -> str:
    code: str = body["errors"][0]["extensions"]["code"]
    return code


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


@pytest.mark.asyncio
async def test_login_returns_a_token_verifiable_with_the_jwks(client: Client, settings: Settings) -> None:
    body = await client.login("  ADA@example.com ")
    login = body["data"]["login"]
    assert login["tokenType"] == "Bearer"
    assert login["expiresIn"] == settings.kcp_jwt_ttl_seconds
    assert login["user"]["id"] == "usr-0001"
    assert login["user"]["email"] == "ada@example.com"
    assert login["user"]["role"] == "ADMIN"
    assert "users:admin" in login["user"]["scopes"]

    jwks = (await client.http.get("/.well-known/jwks.json")).json()
    assert len(jwks["keys"]) == 1
    key = jwt.PyJWK(jwks["keys"][0])
    header = jwt.get_unverified_header(login["accessToken"])
    assert header["alg"] == "EdDSA"
    assert header["kid"] == jwks["keys"][0]["kid"]
    claims = jwt.decode(
        login["accessToken"],
        key,
        algorithms=["EdDSA"],
        audience=settings.kcp_jwt_audience,
        issuer=settings.kcp_jwt_issuer,
    )
    assert claims["sub"] == "usr-0001"
    assert claims["role"] == "admin"
    assert claims["scopes"] == login["user"]["scopes"]
    assert claims["exp"] - claims["iat"] == settings.kcp_jwt_ttl_seconds

    key_file = settings.service_data_dir("auth") / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


@pytest.mark.asyncio
async def test_the_signing_key_survives_a_restart(settings: Settings) -> None:
    first = load_or_create_signing_key(settings.service_data_dir("auth"))
    second = load_or_create_signing_key(settings.service_data_dir("auth"))
    assert first.kid == second.kid


@pytest.mark.asyncio
async def test_wrong_password_and_unknown_email_fail_the_same_way(client: Client) -> None:
    wrong = await client.login("ada@example.com", "not the password")
    unknown = await client.login("nobody@example.com")
    for body in (wrong, unknown):
        assert body["data"] is None
        assert _code(body) == "UNAUTHENTICATED"
        assert body["errors"][0]["message"] == "Invalid email or password"


@pytest.mark.asyncio
async def test_me_reads_the_bearer_token(client: Client) -> None:
    token = await client.token("sam@example.com")
    body = await client.gql("{ me { id name role } }", token=token)
    assert body == {"data": {"me": {"id": "usr-0003", "name": "Sam Support", "role": "SUPPORT_AGENT"}}}
    assert await client.gql("{ me { id } }") == {"data": {"me": None}}


@pytest.mark.asyncio
async def test_me_rejects_tampered_none_hmac_and_expired_tokens(client: Client, settings: Settings) -> None:
    token = await client.token("cy@example.com")
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "admin"
    tampered = f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"

    kid = jwt.get_unverified_header(token)["kid"]
    body_part = _b64(json.dumps(_claims(settings)).encode())
    none_token = f"{_b64(json.dumps({'alg': 'none', 'typ': 'JWT', 'kid': kid}).encode())}.{body_part}."

    # HS256 "signed" with the public key as the HMAC secret (the classic key-confusion attack).
    key = load_or_create_signing_key(settings.service_data_dir("auth"))
    signing_input = f"{_b64(json.dumps({'alg': 'HS256', 'typ': 'JWT', 'kid': kid}).encode())}.{body_part}"
    secret = json.dumps(key.public_jwk).encode()
    hs256 = f"{signing_input}.{_b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())}"

    expired = jwt.encode(
        _claims(settings, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600),
        key.private_key, algorithm="EdDSA", headers={"kid": kid},
    )  # fmt: skip
    wrong_audience = jwt.encode(
        _claims(settings, aud="someone-else"), key.private_key, algorithm="EdDSA", headers={"kid": kid}
    )

    for bad in (tampered, none_token, hs256, expired, wrong_audience, "not-a-jwt"):
        body = await client.gql("{ me { id role } }", token=bad)
        assert body["data"] == {"me": None}, bad
        assert _code(body) == "UNAUTHENTICATED", bad
    assert "expired" in (await client.gql("{ me { id } }", token=expired))["errors"][0]["message"]


@pytest.mark.asyncio
async def test_users_queries_need_the_users_read_scope(client: Client) -> None:
    query = "{ users(role: EDITOR, first: 10) { id email } }"
    assert _code(await client.gql(query)) == "UNAUTHENTICATED"
    assert _code(await client.gql(query, token=await client.token("eve@example.com"))) == "FORBIDDEN"
    admin = await client.token()
    assert await client.gql(query, token=admin) == {"data": {"users": [{"id": "usr-0002", "email": "eve@example.com"}]}}
    assert _code(await client.gql("{ users(first: 500) { id } }", token=admin)) == "BAD_USER_INPUT"
    body = await client.gql('{ user(id: "usr-0004") { name createdAt } }', token=admin)
    assert body == {"data": {"user": {"name": "Cy Customer", "createdAt": "2025-01-02T03:04:05+00:00"}}}


@pytest.mark.asyncio
async def test_entities_batch_costs_one_query(client: Client, count_statements) -> None:
    engine = client.app.state.stores.relational.engine.sync_engine
    with count_statements(engine=engine) as statements:
        body = await client.gql(
            "query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id name role } } }",
            {"r": [{"__typename": "User", "id": i} for i in ("usr-0003", "usr-0001", "usr-9999", "usr-0002")]},
        )
    assert body == {
        "data": {
            "_entities": [
                {"id": "usr-0003", "name": "Sam Support", "role": "SUPPORT_AGENT"},
                {"id": "usr-0001", "name": "Ada Admin", "role": "ADMIN"},
                None,
                {"id": "usr-0002", "name": "Eve Editor", "role": "EDITOR"},
            ]
        }
    }
    assert len([s for s in statements if "FROM users" in s]) == 1


@pytest.mark.asyncio
async def test_sdl_declares_the_user_key(client: Client) -> None:
    sdl = (await client.gql("{ _service { sdl } }"))["data"]["_service"]["sdl"]
    assert 'type User @key(fields: "id")' in sdl


@pytest.mark.asyncio
async def test_seeding_twice_changes_nothing(settings: Settings, progress) -> None:
    await seed(settings, _data(), progress)
    stores = AuthStores.open(settings)
    try:
        repository = UserRepository(stores.relational)
        first = {row.id: (row.email, row.password_hash) for row in await repository.list(role=None, limit=100)}
        await seed(settings, _data(), progress)
        second = {row.id: (row.email, row.password_hash) for row in await repository.list(role=None, limit=100)}
    finally:
        await stores.close()
    assert len(first) == 4
    assert first == second
    assert progress.steps == [("users", 4), ("users", 4)]
    assert progress.done == 8


@pytest.mark.asyncio
async def test_health_and_ready(client: Client) -> None:
    assert (await client.http.get("/health")).json()["status"] == "ok"
    assert (await client.http.get("/ready")).status_code == 200

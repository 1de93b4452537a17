"""The auth subgraph on a real PostgreSQL (skipped without KCP_TEST_DATABASE_URL): the same models,
migrations and queries as on SQLite, through the flows that write the most."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import pytest_asyncio
from auth_support import (
    IDENTITY_SECRET,
    PARTNER_KEY,
    AuthClient,
    MovableClock,
    code,
    fast_passwords,
    service_caller,
    small_data,
)

from kcp.settings import Settings
from subgraphs.auth.app import create_app
from subgraphs.auth.seed import seed

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

REFRESH = "mutation($t: String!) { refresh(refreshToken: $t) { refreshToken } }"


@pytest_asyncio.fixture
async def pg_auth(postgres_url: str, tmp_path: Path, new_progress, graphql_app) -> AsyncIterator[AuthClient]:
    settings = Settings(kcp_data_dir=tmp_path, database_url=postgres_url, kcp_identity_secret=IDENTITY_SECRET)
    await seed(settings, small_data(), new_progress(), passwords=fast_passwords())
    await seed(settings, small_data(), new_progress(), passwords=fast_passwords())  # idempotent there too
    app = create_app(settings, clock=MovableClock(), passwords=fast_passwords())
    async with graphql_app(app, base_url="http://auth") as api:
        yield AuthClient(api, settings)


@pytest.mark.asyncio
async def test_sessions_admin_keys_and_audit_on_postgres(pg_auth: AuthClient) -> None:
    auth = pg_auth
    session = await auth.session("sam@example.com")
    rotated = (await auth.gql(REFRESH, {"t": session["refreshToken"]}))["data"]["refresh"]
    assert code(await auth.gql(REFRESH, {"t": session["refreshToken"]})) == "UNAUTHENTICATED"
    assert code(await auth.gql(REFRESH, {"t": rotated["refreshToken"]})) == "UNAUTHENTICATED"

    admin = await auth.token()
    created = await auth.gql(
        'mutation { createUser(input: {email: "pg@example.com", name: "P G", role: ANALYST, '
        'password: "a long enough secret"}) { id } }',
        token=admin,
    )
    assert "errors" not in created, created
    duplicate = await auth.gql(
        'mutation { createUser(input: {email: "PG@example.com", name: "P G", role: ANALYST, '
        'password: "a long enough secret"}) { id } }',
        token=admin,
    )
    assert code(duplicate) == "BAD_USER_INPUT"
    verified = await auth.gql(
        "query($k: String!) { verifyApiKey(key: $k) { keyId } }", {"k": PARTNER_KEY}, caller=service_caller()
    )
    assert verified == {"data": {"verifyApiKey": {"keyId": "testkey0001"}}}
    log = await auth.gql("{ auditLog(first: 100) { totalCount edges { node { kind } } } }", token=admin)
    kinds = [edge["node"]["kind"] for edge in log["data"]["auditLog"]["edges"]]
    assert kinds[:4] == ["USER_CREATED", "LOGIN_SUCCEEDED", "REFRESH_TOKEN_REUSED", "TOKEN_REFRESHED"]
    assert kinds[-4:] == ["USER_DEACTIVATED", "API_KEY_REVOKED", "API_KEY_CREATED", "API_KEY_CREATED"]

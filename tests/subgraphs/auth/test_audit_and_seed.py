"""The audit log (admins only, paged, filtered) and seeding (idempotent, demo history included)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from auth_support import AuthClient, code, small_data
from sqlalchemy import text

from subgraphs.auth.seed import seed
from subgraphs.auth.stores import AuthStores

if TYPE_CHECKING:
    from kcp.settings import Settings


@pytest.mark.asyncio
async def test_the_audit_log_records_logins_and_is_for_admins(auth: AuthClient) -> None:
    await auth.login("eve@example.com", "wrong password", **{"x-forwarded-for": "203.0.113.5"})
    admin = await auth.token()
    assert code(await auth.gql("{ auditLog { totalCount } }", token=await auth.token("sam@example.com"))) == "FORBIDDEN"
    assert code(await auth.gql("{ auditLog { totalCount } }")) == "UNAUTHENTICATED"
    failed = await auth.gql(
        "{ auditLog(kind: LOGIN_FAILED) { edges { node { email clientAddress targetId actorId } } } }", token=admin
    )
    assert failed["data"]["auditLog"]["edges"] == [
        {"node": {"email": "eve@example.com", "clientAddress": "203.0.113.5", "targetId": "usr-0002", "actorId": None}}
    ]
    # The seeded history (a key created and revoked, a deactivation), oldest last, then paging.
    page = await auth.gql(
        "{ auditLog(first: 4) { totalCount pageInfo { hasNextPage endCursor } edges { node { kind } } } }", token=admin
    )
    log = page["data"]["auditLog"]
    assert log["totalCount"] == 3 + 4  # three logins now, four seeded events
    assert [edge["node"]["kind"] for edge in log["edges"]] == [
        "LOGIN_SUCCEEDED", "LOGIN_SUCCEEDED", "LOGIN_FAILED", "USER_DEACTIVATED",
    ]  # fmt: skip
    rest = await auth.gql(
        "query($a: String) { auditLog(first: 3, after: $a) { pageInfo { hasNextPage } edges { node { kind } } } }",
        {"a": log["pageInfo"]["endCursor"]},
        token=admin,
    )
    assert [edge["node"]["kind"] for edge in rest["data"]["auditLog"]["edges"]] == [
        "API_KEY_REVOKED", "API_KEY_CREATED", "API_KEY_CREATED",
    ]  # fmt: skip
    assert rest["data"]["auditLog"]["pageInfo"]["hasNextPage"] is False


@pytest.mark.asyncio
async def test_seeding_twice_changes_nothing(settings: Settings, progress) -> None:
    tables = ("users", "partners", "api_keys", "audit_events")

    async def snapshot() -> dict[str, list[tuple[object, ...]]]:
        stores = AuthStores.open(settings)
        try:
            async with stores.relational.reading() as db:
                return {
                    table: [tuple(row) for row in (await db.execute(text(f"SELECT * FROM {table} ORDER BY 1"))).all()]  # noqa: S608 - fixed names
                    for table in tables
                }
        finally:
            await stores.close()

    await seed(settings, small_data(), progress)
    first = await snapshot()
    await seed(settings, small_data(), progress)
    assert await snapshot() == first
    assert {table: len(rows) for table, rows in first.items()} == {
        "users": 7, "partners": 2, "api_keys": 2, "audit_events": 4,
    }  # fmt: skip
    assert progress.steps == [("partners", 2), ("users", 7), ("audit history", 4)] * 2


@pytest.mark.asyncio
async def test_health_and_ready(auth: AuthClient) -> None:
    assert (await auth.http.get("/health")).json()["status"] == "ok"
    assert (await auth.http.get("/ready")).status_code == 200

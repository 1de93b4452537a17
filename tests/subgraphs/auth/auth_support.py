"""What the auth tests share: a small dataset, a clock the test moves, and a client that logs in
and sends tokens or signed identity headers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher

from demo.model import DemoApiKey, DemoData, DemoPartner, DemoUser
from kcp.identity import Caller, CallerKind
from kcp.identity.signed_headers import identity_headers
from subgraphs.auth.users.passwords import PasswordService

if TYPE_CHECKING:
    from kcp.settings import Settings

PASSWORD = "correct horse battery staple"  # noqa: S105 - test data
IDENTITY_SECRET = "auth-tests-identity-secret"  # noqa: S105 - test data
PARTNER_KEY = "kcp_testkey0001_the-seeded-partner-key-secret"
REVOKED_KEY = "kcp_testkey0002_a-revoked-partner-key-secret"
CREATED = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def small_data() -> DemoData:
    users = (
        DemoUser(id="usr-0001", email="Ada@Example.com", name="Ada Admin", role="admin", created_at=CREATED),
        DemoUser(id="usr-0002", email="eve@example.com", name="Eve Editor", role="editor", created_at=CREATED),
        DemoUser(id="usr-0003", email="sam@example.com", name="Sam Support", role="support_agent", created_at=CREATED),
        DemoUser(id="usr-0004", email="cy@example.com", name="Cy Customer", role="customer", created_at=CREATED),
        DemoUser(id="usr-0005", email="pat@partner.example", name="Pat Partner", role="partner", created_at=CREATED),
        DemoUser(id="usr-0006", email="gone@example.com", name="Gone Customer", role="customer", created_at=CREATED),
        DemoUser(id="usr-0007", email="ola@other.example", name="Ola Other", role="partner", created_at=CREATED),
    )
    key = DemoApiKey(
        id="testkey0001", name="Integration", key=PARTNER_KEY, scopes=("knowledge:read", "support:write"),
        created_at=CREATED, created_by="usr-0001", revoked_at=None, last_used_at=None,
    )  # fmt: skip
    revoked = DemoApiKey(
        id="testkey0002", name="Old", key=REVOKED_KEY, scopes=("knowledge:read",), created_at=CREATED,
        created_by="usr-0001", revoked_at=CREATED + timedelta(days=3), last_used_at=CREATED + timedelta(days=1),
    )  # fmt: skip
    partners = (
        DemoPartner("ptn-acme", "Acme Audio", "partner.example", CREATED, ("usr-0005",), (key, revoked)),
        DemoPartner("ptn-other", "Other Retail", "other.example", CREATED, ("usr-0007",), ()),
    )
    return DemoData(
        categories=(), products=(), features=(), known_issues=(), solutions=(), articles=(),
        users=users, content_items=(), tickets=(), events=(), demo_password=PASSWORD,
        partners=partners, deactivated_user_ids=("usr-0006",),
    )  # fmt: skip


class MovableClock:
    """Now is whatever the test says; it only moves when told to."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class AuthClient:
    """GraphQL against the auth app, as anonymous, with a Bearer token, or as a signed caller."""

    def __init__(self, api: Any, settings: Settings) -> None:
        self.api = api
        self.app = api.app
        self.http = api.http
        self.settings = settings

    async def gql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        caller: Caller | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        sent = dict(headers or {})
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        if caller is not None:
            sent.update(identity_headers(caller, IDENTITY_SECRET))
        body: dict[str, Any] = await self.api.gql(query, variables, headers=sent)
        return body

    async def login(self, email: str, password: str = PASSWORD, **headers: str) -> dict[str, Any]:
        return await self.gql(
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) "
            "{ accessToken tokenType expiresIn refreshToken refreshExpiresIn user { id email role scopes } } }",
            {"e": email, "p": password},
            headers=headers,
        )

    async def session(self, email: str = "ada@example.com") -> dict[str, Any]:
        body = await self.login(email)
        assert "errors" not in body, body
        login: dict[str, Any] = body["data"]["login"]
        return login

    async def token(self, email: str = "ada@example.com") -> str:
        token: str = (await self.session(email))["accessToken"]
        return token


def service_caller() -> Caller:
    return Caller(kind=CallerKind.SERVICE, subject="router", scopes=frozenset())


def code(body: dict[str, Any]) -> str:
    value: str = body["errors"][0]["extensions"]["code"]
    return value


def fast_passwords() -> PasswordService:
    """Still argon2id, the service's own code path, with the cheapest parameters: the defaults
    (64 MiB, 3 passes) cost ~0.5 s a login on a busy two-core machine, and these tests log in a lot."""
    return PasswordService(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))

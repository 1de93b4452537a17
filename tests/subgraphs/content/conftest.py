"""Content suites: a small seeded dataset and signed callers (the router's identity headers)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio

from demo.model import DemoContentItem, DemoContentTemplate, DemoData, DemoReview, DemoRevision
from kcp.identity import Caller, CallerKind
from kcp.identity.signed_headers import identity_headers
from kcp.settings import Settings
from subgraphs.content.app import create_app
from subgraphs.content.seed import seed

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable
    from pathlib import Path

SECRET = "content-test-secret"  # noqa: S105 - a test fixture's signing secret
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
EDITOR_SCOPES = ("content:read", "content:write", "content:review")


def _revision(item: str, number: int, body: str, day: int) -> DemoRevision:
    return DemoRevision(
        id=f"{item}-r{number}", number=number, body=body, author_id="usr-0002", created_at=T0.replace(day=day)
    )


def small_content() -> DemoData:
    items = (
        DemoContentItem(
            id="cnt-0001",
            product_id="prd-liberty-4-nc",
            kind="product_description",
            title="Liberty 4 NC description",
            locale="en-US",
            status="published",
            revisions=(
                _revision("cnt-0001", 1, "First draft.", 1),
                _revision("cnt-0001", 2, "Adaptive noise cancelling, 50 h battery.", 3),
            ),
            reviews=(
                DemoReview("draft", "in_review", "usr-0002", T0.replace(day=3, hour=10), 2),
                DemoReview("in_review", "approved", "usr-0003", T0.replace(day=3, hour=11), 2, "Good."),
                DemoReview("approved", "published", "usr-0003", T0.replace(day=3, hour=12), 2),
            ),
        ),
        DemoContentItem(
            id="cnt-0002",
            product_id="prd-liberty-4-nc",
            kind="social_post",
            title="Launch post",
            locale="en-US",
            status="draft",
            revisions=(_revision("cnt-0002", 1, "Silence, upgraded.", 2),),
        ),
        DemoContentItem(
            id="cnt-0003",
            product_id="prd-space-one",
            kind="marketing_email",
            title="Space One launch e-mail",
            locale="de-DE",
            status="in_review",
            revisions=(_revision("cnt-0003", 1, "Ruhe, neu gedacht.", 4),),
            reviews=(DemoReview("draft", "in_review", "usr-0002", T0.replace(day=4, hour=10), 1),),
        ),
        DemoContentItem(
            id="cnt-0004",
            product_id="prd-liberty-4-nc",
            kind="product_description",
            title="Liberty 4 NC Beschreibung",
            locale="de-DE",
            status="published",
            revisions=(_revision("cnt-0004", 1, "Adaptive Geräuschunterdrückung.", 5),),
            reviews=(DemoReview("approved", "published", "usr-0003", T0.replace(day=5, hour=12), 1),),
            translation_of="cnt-0001",
        ),
    )
    templates = (
        DemoContentTemplate(
            id="tpl-0001",
            name="Launch tweet",
            kind="social_post",
            locale="en-US",
            description="A launch post.",
            body="{{product_name}} is here: {{tagline}} #{{product_tag}}",
            created_by="usr-0002",
            created_at=T0,
        ),
    )
    return DemoData(
        categories=(), products=(), features=(), known_issues=(), solutions=(), articles=(),
        users=(), content_items=items, tickets=(), events=(), content_templates=templates,
    )  # fmt: skip


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(kcp_data_dir=tmp_path, kcp_identity_secret=SECRET)


def _headers(*scopes: str, subject: str = "usr-0002", role: str = "editor") -> dict[str, str]:
    return identity_headers(Caller(kind=CallerKind.USER, subject=subject, role=role, scopes=frozenset(scopes)), SECRET)


@pytest.fixture
def as_caller() -> Callable[..., dict[str, str]]:
    """``as_caller("content:read", subject=...)``: headers that make a request that user's."""
    return _headers


@pytest.fixture
def editor() -> dict[str, str]:
    return _headers(*EDITOR_SCOPES)


@pytest.fixture
def reviewer() -> dict[str, str]:
    return _headers(*EDITOR_SCOPES, subject="usr-0003")


@pytest.fixture
def writer() -> dict[str, str]:
    """May write and submit, not approve."""
    return _headers("content:read", "content:write", subject="usr-0004")


@pytest_asyncio.fixture
async def client(settings: Settings, new_progress, graphql_app) -> AsyncIterator[Any]:
    await seed(settings, small_content(), new_progress())
    async with graphql_app(create_app(settings), base_url="http://content") as api:
        yield api


@pytest.fixture
def count_queries(count_statements):
    """``with count_queries(collection) as seen``: every SQL SELECT the document store runs against one collection."""
    return lambda collection: count_statements(
        lambda _statement, parameters: collection in str(parameters), selects_only=True
    )

"""Metrics over a time range, in hour/day/week buckets, read with analytics:read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio

from demo.model import DemoData, DemoEvent
from subgraphs.analytics.app import create_app
from subgraphs.analytics.seed import seed

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from kcp.settings import Settings

MONDAY = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)


def _event(n: int, kind: str, hours: float, **fields: Any) -> DemoEvent:
    values: dict[str, Any] = {
        "user_id": None, "product_id": None, "article_id": None, "query": None, "result_count": None, "helpful": None,
    }  # fmt: skip
    values.update(fields)
    return DemoEvent(id=f"evt-{n:05d}", kind=kind, occurred_at=MONDAY + timedelta(hours=hours), **values)


EVENTS = (
    _event(1, "search", 0, query="battery life", result_count=0),
    _event(2, "search", 1, query="Battery Life", result_count=0),
    _event(3, "search", 0.5, query="anc", result_count=4),
    _event(4, "search", 24, query="anc", result_count=6),
    _event(5, "search", 25, query="eq", result_count=3),
    _event(6, "ticket_created", 0, product_id="prd-a", ticket_id="t1"),
    _event(7, "ticket_created", 1, product_id="prd-a", ticket_id="t2"),
    _event(8, "ticket_created", 24, product_id="prd-a", ticket_id="t3"),
    _event(9, "ticket_created", 2, product_id="prd-b", ticket_id="t4"),
    _event(10, "ticket_solved", 3, product_id="prd-a", ticket_id="t1", deflected=True),
    _event(11, "ticket_solved", 26, product_id="prd-a", ticket_id="t2", deflected=False),
    _event(12, "ticket_solved", 4, product_id="prd-b", ticket_id="t4", deflected=True),
    _event(13, "content_generated", 0, product_id="prd-a", provider="template"),
    _event(14, "content_generated", 30, product_id="prd-a", provider="template"),
    _event(15, "content_generated", 31, product_id="prd-a", provider="openai"),
    _event(16, "article_view", 0, article_id="art-1"),
    _event(17, "article_view", 1, article_id="art-1"),
    _event(18, "article_view", 2, article_id="art-1"),
    _event(19, "article_view", 3, article_id="art-2"),
    _event(20, "article_feedback", 1, article_id="art-1", helpful=True),
    _event(21, "article_feedback", 2, article_id="art-1", helpful=False),
    _event(22, "page_view", 0, product_id="prd-a", user_id="usr-1"),
    _event(23, "page_view", 0, product_id="prd-a", user_id="usr-2"),
    _event(24, "page_view", 24, product_id="prd-a", user_id="usr-1"),
    # Outside every range below: never counted.
    _event(25, "search", -24 * 30, query="anc", result_count=1),
)

RANGE = {"from": "2025-03-03T00:00:00+00:00", "to": "2025-03-05T00:00:00+00:00"}
DAY3, DAY4 = "2025-03-03T00:00:00+00:00", "2025-03-04T00:00:00+00:00"


@pytest_asyncio.fixture
async def client(settings: Settings, new_progress, graphql_app) -> AsyncIterator[Any]:
    data = DemoData(
        categories=(), products=(), features=(), known_issues=(), solutions=(), articles=(),
        users=(), content_items=(), tickets=(), events=EVENTS,
    )  # fmt: skip
    await seed(settings, data, new_progress())
    async with graphql_app(create_app(settings), base_url="http://analytics") as api:
        yield api


@pytest.fixture
def analyst(as_caller) -> dict[str, str]:
    return as_caller("analytics:read")


async def metrics(client, selection: str, headers: dict[str, str], **variables: Any) -> dict[str, Any]:
    query = f"query($from: DateTime!, $to: DateTime!) {{ metrics(from: $from, to: $to) {{ {selection} }} }}"
    return await client.gql(query, {**RANGE, **variables}, headers=headers)


@pytest.mark.asyncio
async def test_search_volume_in_day_hour_and_week_buckets(client, analyst) -> None:
    body = await metrics(client, "from to searchVolume { start count }", analyst)
    assert body["data"]["metrics"] == {
        "from": RANGE["from"],
        "to": RANGE["to"],
        "searchVolume": [{"start": DAY3, "count": 3}, {"start": DAY4, "count": 2}],
    }
    hourly = await client.gql(
        'query { metrics(from: "2025-03-03T11:30:00Z", to: "2025-03-03T14:00:00Z") '
        "{ searchVolume(bucket: HOUR) { start count } } }",
        headers=analyst,
    )
    assert hourly["data"]["metrics"]["searchVolume"] == [
        {"start": "2025-03-03T11:00:00+00:00", "count": 0},
        {"start": "2025-03-03T12:00:00+00:00", "count": 2},
        {"start": "2025-03-03T13:00:00+00:00", "count": 1},
    ]
    weekly = await client.gql(
        'query { metrics(from: "2025-03-01T00:00:00Z", to: "2025-03-10T00:00:00Z") '
        "{ searchVolume(bucket: WEEK) { start count } } }",
        headers=analyst,
    )
    assert weekly["data"]["metrics"]["searchVolume"] == [
        {"start": "2025-02-24T00:00:00+00:00", "count": 0},
        {"start": "2025-03-03T00:00:00+00:00", "count": 5},
    ]


@pytest.mark.asyncio
async def test_top_and_zero_result_queries(client, analyst) -> None:
    body = await metrics(
        client,
        "topQueries(first: 2) { query count averageResults } zeroResultQueries { query count averageResults }",
        analyst,
    )
    assert body["data"]["metrics"] == {
        "topQueries": [
            {"query": "anc", "count": 2, "averageResults": 5.0},
            {"query": "battery life", "count": 2, "averageResults": 0.0},
        ],
        "zeroResultQueries": [{"query": "battery life", "count": 2, "averageResults": 0.0}],
    }


@pytest.mark.asyncio
async def test_articles_tickets_generation_and_active_users(client, analyst) -> None:
    body = await metrics(
        client,
        """topArticles { article { id } views helpfulVotes unhelpfulVotes helpfulness }
           ticketsByProduct { product { id } created solved deflected deflectionRate }
           ticketVolume(productId: "prd-a") { start count }
           generationVolume { start count }
           generationsByProvider { provider count }
           activeUsers { start count }
           activeUserCount""",
        analyst,
    )
    assert body["data"]["metrics"] == {
        "topArticles": [
            {"article": {"id": "art-1"}, "views": 3, "helpfulVotes": 1, "unhelpfulVotes": 1, "helpfulness": 0.5},
            {"article": {"id": "art-2"}, "views": 1, "helpfulVotes": 0, "unhelpfulVotes": 0, "helpfulness": None},
        ],
        "ticketsByProduct": [
            {"product": {"id": "prd-a"}, "created": 3, "solved": 2, "deflected": 1, "deflectionRate": 0.5},
            {"product": {"id": "prd-b"}, "created": 1, "solved": 1, "deflected": 1, "deflectionRate": 1.0},
        ],
        "ticketVolume": [{"start": DAY3, "count": 2}, {"start": DAY4, "count": 1}],
        "generationVolume": [{"start": DAY3, "count": 1}, {"start": DAY4, "count": 2}],
        "generationsByProvider": [{"provider": "openai", "count": 1}, {"provider": "template", "count": 2}],
        "activeUsers": [{"start": DAY3, "count": 2}, {"start": DAY4, "count": 1}],
        "activeUserCount": 2,
    }


@pytest.mark.asyncio
async def test_product_analytics_counts_deflection(client) -> None:
    body = await client.gql(
        '{ _entities(representations: [{__typename: "Product", id: "prd-a"}]) { ... on Product { analytics '
        "{ ticketsCreated ticketsSolved ticketsDeflected deflectionRate contentGenerated pageViews } } } }"
    )
    assert body["data"]["_entities"] == [
        {"analytics": {"ticketsCreated": 3, "ticketsSolved": 2, "ticketsDeflected": 1, "deflectionRate": 0.5,
                       "contentGenerated": 3, "pageViews": 3}}
    ]  # fmt: skip


@pytest.mark.asyncio
async def test_metrics_need_analytics_read(client, as_caller, error_codes) -> None:
    anonymous = await metrics(client, "activeUserCount", {})
    assert anonymous["data"] == {"metrics": None}
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    customer = await metrics(client, "activeUserCount", as_caller("support:own"))
    assert customer["data"] == {"metrics": None}
    assert error_codes(customer) == ["FORBIDDEN"]
    assert "analytics:read" in customer["errors"][0]["message"]


@pytest.mark.parametrize(
    "case",
    [
        ("activeUserCount", {"to": RANGE["from"]}, "'to' must be later than 'from'"),
        ("activeUserCount", {"to": "2028-01-01T00:00:00Z"}, "a time range spans at most 732 days"),
        (
            "searchVolume(bucket: HOUR) { count }",
            {"to": "2025-06-01T00:00:00Z"},
            "2160 hour buckets asked for; at most 1000: pick a larger bucket or a shorter range",
        ),
        ("topQueries(first: 101) { query }", {}, "`first` must be between 1 and 100, got 101."),
    ],
)
@pytest.mark.asyncio
async def test_bad_ranges_and_bounds_are_coded_errors(
    client, analyst, error_codes, case: tuple[str, dict[str, Any], str]
) -> None:
    selection, variables, message = case
    body = await metrics(client, selection, analyst, **variables)
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["message"] == message

"""The analytics subgraph through HTTP: ingestion, validation, entity metrics and seeding."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio

from demo.model import DemoData, DemoEvent
from subgraphs.analytics.app import create_app
from subgraphs.analytics.events.repository import EventRepository
from subgraphs.analytics.seed import seed
from subgraphs.analytics.stores import AnalyticsStores

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from kcp.settings import Settings

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

TRACK = "mutation($i: TrackEventInput!) { trackEvent(input: $i) { id kind occurredAt } }"


def _event(n: int, kind: str, minutes: int, **fields: Any) -> DemoEvent:
    values: dict[str, Any] = {
        "user_id": None, "product_id": None, "article_id": None, "query": None, "result_count": None, "helpful": None,
    }  # fmt: skip
    values.update(fields)
    return DemoEvent(id=f"evt-{n:05d}", kind=kind, occurred_at=T0 + timedelta(minutes=minutes), **values)


def _data() -> DemoData:
    events = (
        _event(1, "page_view", 0, product_id="prd-a"),
        _event(2, "page_view", 1, product_id="prd-a"),
        _event(3, "page_view", 2, product_id="prd-a"),
        _event(4, "search_click", 3, product_id="prd-a", query="anc"),
        _event(5, "ticket_created", 50, product_id="prd-a"),
        _event(6, "page_view", 5, product_id="prd-b"),
        _event(7, "content_generated", 6, product_id="prd-b"),
        _event(8, "search", 7, query="battery life", result_count=0),
        _event(9, "article_view", 8, article_id="art-1"),
        _event(10, "article_view", 9, article_id="art-1"),
        _event(11, "article_feedback", 10, article_id="art-1", helpful=True),
        _event(12, "article_feedback", 11, article_id="art-1", helpful=True),
        _event(13, "article_feedback", 12, article_id="art-1", helpful=False),
        _event(14, "article_view", 13, article_id="art-2"),
    )
    return DemoData(
        categories=(), products=(), features=(), known_issues=(), solutions=(), articles=(),
        users=(), content_items=(), tickets=(), events=events,
    )  # fmt: skip


@pytest_asyncio.fixture
async def client(settings: Settings, new_progress, graphql_app) -> AsyncIterator[Any]:
    await seed(settings, _data(), new_progress())
    async with graphql_app(create_app(settings), base_url="http://analytics") as api:
        yield api


def _engine(client) -> Any:
    return client.app.state.stores.relational.engine.sync_engine


def _error(body: dict[str, Any]) -> tuple[str, str]:
    error = body["errors"][0]
    return error["extensions"]["code"], error["message"]


@pytest.mark.asyncio
async def test_track_event_stores_it_and_it_counts(client) -> None:
    body = await client.gql(TRACK, {"i": {"kind": "SEARCH", "query": "eq presets", "resultCount": 3}})
    tracked = body["data"]["trackEvent"]
    assert tracked["id"].startswith("evt-")
    assert tracked["kind"] == "SEARCH"
    assert datetime.fromisoformat(tracked["occurredAt"]) > datetime.now(UTC) - timedelta(minutes=1)

    at = (T0 + timedelta(minutes=30)).isoformat()
    body = await client.gql(
        TRACK, {"i": {"kind": "PAGE_VIEW", "productId": "prd-unknown-to-analytics", "occurredAt": at}}
    )
    assert body["data"]["trackEvent"]["occurredAt"] == at

    counts = await client.gql(
        "query($f: DateTime!, $t: DateTime!) { eventCounts(from: $f, to: $t) { kind count } }",
        {"f": T0.isoformat(), "t": (T0 + timedelta(hours=1)).isoformat()},
    )
    assert counts == {
        "data": {
            "eventCounts": [
                {"kind": "PAGE_VIEW", "count": 5},
                {"kind": "SEARCH", "count": 1},
                {"kind": "SEARCH_CLICK", "count": 1},
                {"kind": "ARTICLE_VIEW", "count": 3},
                {"kind": "ARTICLE_FEEDBACK", "count": 3},
                {"kind": "TICKET_CREATED", "count": 1},
                {"kind": "TICKET_SOLVED", "count": 0},
                {"kind": "TICKET_DEFLECTED", "count": 0},
                {"kind": "CONTENT_GENERATED", "count": 1},
            ]
        }
    }
    one_kind = await client.gql(
        "query($f: DateTime!, $t: DateTime!) { eventCounts(from: $f, to: $t, kind: PAGE_VIEW) { kind count } }",
        {"f": T0.isoformat(), "t": (T0 + timedelta(minutes=2)).isoformat()},
    )
    assert one_kind == {"data": {"eventCounts": [{"kind": "PAGE_VIEW", "count": 2}]}}


@pytest.mark.parametrize(
    ("event_input", "message"),
    [
        ({"kind": "SEARCH"}, "search events need a non-empty query"),
        ({"kind": "SEARCH", "query": "   "}, "search events need a non-empty query"),
        ({"kind": "SEARCH", "query": "x", "resultCount": -1}, "resultCount cannot be negative"),
        ({"kind": "SEARCH", "query": "x" * 501}, "query must be at most 500 characters"),
        ({"kind": "SEARCH_CLICK", "query": "x"}, "search_click events need the clicked productId or articleId"),
        ({"kind": "ARTICLE_VIEW"}, "article_view events need an articleId"),
        ({"kind": "ARTICLE_FEEDBACK", "articleId": "art-1"}, "article_feedback events need an articleId and helpful"),
        ({"kind": "ARTICLE_FEEDBACK", "helpful": True}, "article_feedback events need an articleId and helpful"),
        ({"kind": "CONTENT_GENERATED"}, "content_generated events need a productId"),
        (
            {"kind": "CONTENT_GENERATED", "productId": "p", "provider": "gpt"},
            "provider must be one of anthropic, openai, template",
        ),
        ({"kind": "TICKET_CREATED", "productId": "p"}, "ticket_created events need a ticketId and a productId"),
        ({"kind": "TICKET_SOLVED", "ticketId": "t"}, "ticket_solved events need a ticketId and a productId"),
        ({"kind": "PAGE_VIEW", "clientEventId": ""}, "clientEventId must be 1 to 64 characters"),
        ({"kind": "PAGE_VIEW", "productId": "p" * 65}, "productId must be 1 to 64 characters"),
        ({"kind": "PAGE_VIEW", "occurredAt": "2999-01-01T00:00:00+00:00"}, "occurredAt cannot be in the future"),
    ],
)
@pytest.mark.asyncio
async def test_track_event_rejects_what_its_kind_lacks(
    client, service_headers, event_input: dict[str, Any], message: str
) -> None:
    # Sent by a service, which may send every kind: what is refused is the event itself.
    body = await client.gql(TRACK, {"i": event_input}, headers=service_headers)
    assert body["data"] is None
    assert _error(body) == ("BAD_USER_INPUT", message)


@pytest.mark.asyncio
async def test_track_events_stores_all_or_none(client) -> None:
    mutation = "mutation($i: [TrackEventInput!]!) { trackEvents(inputs: $i) { id kind } }"
    good = {"kind": "ARTICLE_VIEW", "articleId": "art-9"}
    body = await client.gql(mutation, {"i": [good, good]})
    assert [e["kind"] for e in body["data"]["trackEvents"]] == ["ARTICLE_VIEW", "ARTICLE_VIEW"]

    body = await client.gql(mutation, {"i": [good, {"kind": "ARTICLE_VIEW"}]})
    assert _error(body) == ("BAD_USER_INPUT", "inputs[1]: article_view events need an articleId")
    body = await client.gql(mutation, {"i": [good] * 501})
    assert _error(body) == ("BAD_USER_INPUT", "trackEvents takes at most 500 events per call; got 501")

    analytics = await client.gql('{ _entities(representations: [{__typename: "Article", id: "art-9"}]) '
                                 "{ ... on Article { analytics { views } } } }")  # fmt: skip
    assert analytics == {"data": {"_entities": [{"analytics": {"views": 2}}]}}


@pytest.mark.asyncio
async def test_event_counts_rejects_an_empty_range(client) -> None:
    body = await client.gql("query($f: DateTime!) { eventCounts(from: $f, to: $f) { count } }", {"f": T0.isoformat()})
    assert _error(body) == ("BAD_USER_INPUT", "'to' must be later than 'from'")


@pytest.mark.asyncio
async def test_product_analytics_for_a_batch_is_one_group_by(client, count_statements) -> None:
    query = (
        "query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id analytics "
        "{ pageViews searchClicks ticketsCreated contentGenerated totalEvents lastEventAt } } } }"
    )
    representations = [{"__typename": "Product", "id": i} for i in ("prd-b", "prd-a", "prd-none")]
    with count_statements(engine=_engine(client)) as statements:
        body = await client.gql(query, {"r": representations})
    assert body == {
        "data": {
            "_entities": [
                {"id": "prd-b", "analytics": {"pageViews": 1, "searchClicks": 0, "ticketsCreated": 0,
                 "contentGenerated": 1, "totalEvents": 2, "lastEventAt": "2025-03-01T12:06:00+00:00"}},
                {"id": "prd-a", "analytics": {"pageViews": 3, "searchClicks": 1, "ticketsCreated": 1,
                 "contentGenerated": 0, "totalEvents": 5, "lastEventAt": "2025-03-01T12:50:00+00:00"}},
                {"id": "prd-none", "analytics": {"pageViews": 0, "searchClicks": 0, "ticketsCreated": 0,
                 "contentGenerated": 0, "totalEvents": 0, "lastEventAt": None}},
            ]
        }
    }  # fmt: skip
    event_queries = [s for s in statements if "FROM events" in s]
    assert len(event_queries) == 1
    assert "GROUP BY" in event_queries[0]


@pytest.mark.asyncio
async def test_article_analytics_for_a_batch_is_one_group_by(client, count_statements) -> None:
    query = (
        "query($r: [_Any!]!) { _entities(representations: $r) { ... on Article { id analytics "
        "{ views helpfulVotes unhelpfulVotes helpfulness } } } }"
    )
    representations = [{"__typename": "Article", "id": i} for i in ("art-1", "art-2")]
    with count_statements(engine=_engine(client)) as statements:
        body = await client.gql(query, {"r": representations})
    assert body == {
        "data": {
            "_entities": [
                {
                    "id": "art-1",
                    "analytics": {"views": 2, "helpfulVotes": 2, "unhelpfulVotes": 1, "helpfulness": 2 / 3},
                },
                {"id": "art-2", "analytics": {"views": 1, "helpfulVotes": 0, "unhelpfulVotes": 0, "helpfulness": None}},
            ]
        }
    }
    assert len([s for s in statements if "FROM events" in s]) == 1


@pytest.mark.asyncio
async def test_sdl_extends_product_and_article_by_key(client) -> None:
    sdl = (await client.gql("{ _service { sdl } }"))["data"]["_service"]["sdl"]
    assert 'type Product @key(fields: "id")' in sdl
    assert 'type Article @key(fields: "id")' in sdl


@pytest.mark.asyncio
async def test_health_and_ready(client) -> None:
    assert (await client.http.get("/health")).json()["status"] == "ok"
    assert (await client.http.get("/ready")).status_code == 200


def _many(count: int) -> Iterator[DemoEvent]:
    kinds = ("page_view", "search", "article_view", "ticket_created")
    for n in range(count):
        yield _event(n, kinds[n % 4], n % 600, product_id=f"prd-{n % 7}", query="q" if n % 4 == 1 else None)


@pytest.mark.asyncio
async def test_seeding_twice_changes_nothing(settings: Settings, progress) -> None:
    data = DemoData(
        categories=(), products=(), features=(), known_issues=(), solutions=(), articles=(),
        users=(), content_items=(), tickets=(), events=tuple(_many(4_500)),
    )  # fmt: skip
    await seed(settings, data, progress)
    stores = AnalyticsStores.open(settings)
    try:
        first = await EventRepository(stores.relational).count()
        await seed(settings, data, progress)
        second = await EventRepository(stores.relational).count()
    finally:
        await stores.close()
    assert first == second == 4_500
    assert progress.steps == [("events", 4_500), ("events", 4_500)]
    assert progress.done == 9_000

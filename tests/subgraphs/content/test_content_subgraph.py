"""The content subgraph through HTTP: queries, entities, mutations, errors and seeding."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio

from demo.model import DemoContentItem, DemoData, DemoRevision
from subgraphs.content.app import create_app
from subgraphs.content.items.repository import ContentRepository
from subgraphs.content.seed import seed
from subgraphs.content.stores import ContentStores

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from kcp.settings import Settings

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def _revision(item: str, number: int, body: str, day: int) -> DemoRevision:
    return DemoRevision(
        id=f"{item}-r{number}", number=number, body=body, author_id="usr-0002", created_at=T0.replace(day=day)
    )


def demo_data() -> DemoData:
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
        ),
    )
    return DemoData(
        categories=(),
        products=(),
        features=(),
        known_issues=(),
        solutions=(),
        articles=(),
        users=(),
        content_items=items,
        tickets=(),
        events=(),
    )


@pytest.fixture
def count_queries(count_statements):
    """``with count_queries(collection) as seen``: every SQL SELECT the document store runs against one collection."""
    return lambda collection: count_statements(
        lambda _statement, parameters: collection in str(parameters), selects_only=True
    )


@pytest_asyncio.fixture
async def client(settings: Settings, new_progress, graphql_app) -> AsyncIterator[Any]:
    await seed(settings, demo_data(), new_progress())
    async with graphql_app(create_app(settings), base_url="http://content") as api:
        yield api


@pytest.mark.asyncio
async def test_content_item_by_id_with_nested_fields(client) -> None:
    body = await client.gql(
        """query($id: ID!) { contentItem(id: $id) {
            id kind title locale status createdAt updatedAt product { id }
            currentRevision { number body authorId }
            revisions { id number body createdAt }
        } }""",
        {"id": "cnt-0001"},
    )
    assert "errors" not in body
    assert body["data"]["contentItem"] == {
        "id": "cnt-0001",
        "kind": "PRODUCT_DESCRIPTION",
        "title": "Liberty 4 NC description",
        "locale": "en-US",
        "status": "PUBLISHED",
        "createdAt": "2025-03-01T09:00:00+00:00",
        "updatedAt": "2025-03-03T09:00:00+00:00",
        "product": {"id": "prd-liberty-4-nc"},
        "currentRevision": {"number": 2, "body": "Adaptive noise cancelling, 50 h battery.", "authorId": "usr-0002"},
        "revisions": [
            {"id": "cnt-0001-r1", "number": 1, "body": "First draft.", "createdAt": "2025-03-01T09:00:00+00:00"},
            {
                "id": "cnt-0001-r2",
                "number": 2,
                "body": "Adaptive noise cancelling, 50 h battery.",
                "createdAt": "2025-03-03T09:00:00+00:00",
            },
        ],
    }
    missing = await client.gql('{ contentItem(id: "cnt-nope") { id } }')
    assert missing == {"data": {"contentItem": None}}


@pytest.mark.asyncio
async def test_content_items_filters_and_bounds(client, error_codes) -> None:
    body = await client.gql("{ contentItems { id } }")
    assert [i["id"] for i in body["data"]["contentItems"]] == ["cnt-0003", "cnt-0002", "cnt-0001"]
    body = await client.gql('{ contentItems(productId: "prd-liberty-4-nc", status: DRAFT) { id } }')
    assert body["data"]["contentItems"] == [{"id": "cnt-0002"}]
    body = await client.gql("{ contentItems(first: 1) { id } }")
    assert body["data"]["contentItems"] == [{"id": "cnt-0003"}]
    for bad in (101, 0, -1):
        body = await client.gql("query($n: Int!) { contentItems(first: $n) { id } }", {"n": bad})
        # The root list is nullable: a bad argument nulls this field only, never the whole response.
        assert body["data"] == {"contentItems": None}
        assert error_codes(body) == ["BAD_USER_INPUT"]


@pytest.mark.asyncio
async def test_sdl_has_keys_and_product_extension(client) -> None:
    sdl = (await client.gql("{ _service { sdl } }"))["data"]["_service"]["sdl"]
    assert 'type Product @key(fields: "id")' in sdl
    assert 'type ContentItem @key(fields: "id")' in sdl
    assert "content(kind: ContentKind = null): [ContentItem!]\n" in sdl
    assert "federation/v2" in sdl


@pytest.mark.asyncio
async def test_entities_batch_loads_content_in_one_query(client, count_queries) -> None:
    representations = [
        {"__typename": "Product", "id": "prd-liberty-4-nc"},
        {"__typename": "Product", "id": "prd-space-one"},
        {"__typename": "Product", "id": "prd-unknown"},
    ]
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Product { id content { id kind } social: content(kind: SOCIAL_POST) { id } }
    } }"""
    with count_queries("content_items") as seen:
        body = await client.gql(query, {"r": representations})
    assert "errors" not in body
    assert body["data"]["_entities"] == [
        {
            "id": "prd-liberty-4-nc",
            "content": [{"id": "cnt-0001", "kind": "PRODUCT_DESCRIPTION"}, {"id": "cnt-0002", "kind": "SOCIAL_POST"}],
            "social": [{"id": "cnt-0002"}],
        },
        {"id": "prd-space-one", "content": [{"id": "cnt-0003", "kind": "MARKETING_EMAIL"}], "social": []},
        {"id": "prd-unknown", "content": [], "social": []},
    ]
    assert len(seen) == 1


@pytest.mark.asyncio
async def test_entities_resolve_content_items_in_one_query(client, count_queries) -> None:
    representations = [{"__typename": "ContentItem", "id": i} for i in ("cnt-0003", "cnt-0001", "cnt-nope")]
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
        ... on ContentItem { id title currentRevision { number } }
    } }"""
    with count_queries("content_items") as items, count_queries("content_revisions") as revisions:
        body = await client.gql(query, {"r": representations})
    assert body["data"]["_entities"] == [
        {"id": "cnt-0003", "title": "Space One launch e-mail", "currentRevision": {"number": 1}},
        {"id": "cnt-0001", "title": "Liberty 4 NC description", "currentRevision": {"number": 2}},
        None,
    ]
    assert (len(items), len(revisions)) == (1, 1)


CREATE = """mutation($input: CreateContentItemInput!) { createContentItem(input: $input) {
    id kind title locale status product { id } currentRevision { number body authorId } revisions { number }
} }"""
REVISE = """mutation($id: ID!, $body: String!) { reviseContentItem(id: $id, body: $body, authorId: "usr-0003") {
    id updatedAt currentRevision { number body authorId } revisions { number body }
} }"""


def create_input(**overrides: str) -> dict[str, str]:
    values = {
        "productId": "prd-space-one",
        "kind": "SUPPORT_MACRO",
        "title": "Pairing macro",
        "locale": "en-US",
        "body": "Hold the button for 3 s.",
        "authorId": "usr-0002",
    }
    return values | overrides


@pytest.mark.asyncio
async def test_create_then_revise(client) -> None:
    body = await client.gql(CREATE, {"input": create_input(title="  Pairing macro  ")})
    created = body["data"]["createContentItem"]
    item_id = created.pop("id")
    assert item_id.startswith("cnt-")
    assert created == {
        "kind": "SUPPORT_MACRO",
        "title": "Pairing macro",
        "locale": "en-US",
        "status": "DRAFT",
        "product": {"id": "prd-space-one"},
        "currentRevision": {"number": 1, "body": "Hold the button for 3 s.", "authorId": "usr-0002"},
        "revisions": [{"number": 1}],
    }
    body = await client.gql(REVISE, {"id": item_id, "body": "Hold the button for 5 s."})
    revised = body["data"]["reviseContentItem"]
    assert revised["currentRevision"] == {"number": 2, "body": "Hold the button for 5 s.", "authorId": "usr-0003"}
    assert revised["revisions"] == [
        {"number": 1, "body": "Hold the button for 3 s."},
        {"number": 2, "body": "Hold the button for 5 s."},
    ]
    # Revising a seeded item appends n+1 and leaves earlier revisions untouched.
    seeded = (await client.gql(REVISE, {"id": "cnt-0001", "body": "Third take."}))["data"]["reviseContentItem"]
    assert [r["number"] for r in seeded["revisions"]] == [1, 2, 3]
    assert seeded["revisions"][1]["body"] == "Adaptive noise cancelling, 50 h battery."
    listed = await client.gql('{ contentItems(productId: "prd-space-one") { id } }')
    assert {"id": item_id} in listed["data"]["contentItems"]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "overrides",
    [{"title": ""}, {"title": "   "}, {"body": ""}, {"productId": ""}, {"locale": "english"}, {"title": "x" * 201}],
)
async def test_create_rejects_bad_input(client, overrides: dict[str, str], error_codes) -> None:
    body = await client.gql(CREATE, {"input": create_input(**overrides)})
    assert body["data"] is None
    assert error_codes(body) == ["BAD_USER_INPUT"]
    after = await client.gql("{ contentItems(first: 100) { id } }")
    assert len(after["data"]["contentItems"]) == 3


@pytest.mark.asyncio
async def test_revise_errors(client, error_codes) -> None:
    unknown = await client.gql(REVISE, {"id": "cnt-nope", "body": "text"})
    assert error_codes(unknown) == ["NOT_FOUND"]
    empty = await client.gql(REVISE, {"id": "cnt-0001", "body": "  "})
    assert error_codes(empty) == ["BAD_USER_INPUT"]
    item = await client.gql('{ contentItem(id: "cnt-0001") { revisions { number } } }')
    assert item["data"]["contentItem"]["revisions"] == [{"number": 1}, {"number": 2}]


@pytest.mark.asyncio
async def test_health_and_readiness(client) -> None:
    assert (await client.http.get("/health")).json() == {"status": "ok", "service": "content"}
    assert (await client.http.get("/ready")).json() == {"status": "ready", "service": "content"}


@pytest.mark.asyncio
async def test_seeding_twice_changes_nothing(settings: Settings, new_progress) -> None:
    first, second = new_progress(), new_progress()
    await seed(settings, demo_data(), first)
    await seed(settings, demo_data(), second)
    assert first.steps == second.steps == [("content revisions", 4), ("content items", 3)]
    assert second.done == 7
    stores = ContentStores.open(settings)
    try:
        repository = ContentRepository(stores.documents)
        assert (await repository.count_items(), await repository.count_revisions()) == (3, 4)
    finally:
        await stores.close()


@pytest.mark.asyncio
async def test_unexpected_errors_are_masked(client, monkeypatch: pytest.MonkeyPatch, error_codes) -> None:
    async def broken(*_args: object, **_kwargs: object) -> None:
        msg = "mongodb://secret"
        raise RuntimeError(msg)

    monkeypatch.setattr(ContentRepository, "items_by_ids", broken)
    response = await client.http.post("/graphql", json={"query": '{ contentItem(id: "cnt-0001") { id } }'})
    assert "secret" not in response.text
    body = response.json()
    assert body["errors"][0]["message"] == "Internal server error."
    assert error_codes(body) == ["INTERNAL_SERVER_ERROR"]

"""The content subgraph through HTTP: visibility, connections, entities, create/revise, errors, seeding."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from conftest import small_content

from subgraphs.content.items.repository import ContentRepository
from subgraphs.content.seed import seed
from subgraphs.content.stores import ContentStores

if TYPE_CHECKING:
    from kcp.settings import Settings

ITEMS = """query($first: Int!, $after: String, $status: ContentStatus, $productId: ID, $locale: String) {
  contentItems(first: $first, after: $after, status: $status, productId: $productId, locale: $locale) {
    totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor }
  } }"""


def ids(body: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in body["data"]["contentItems"]["edges"]]


@pytest.mark.asyncio
async def test_content_item_by_id_with_nested_fields(client, editor) -> None:
    body = await client.gql(
        """query($id: ID!) { contentItem(id: $id) {
            id kind title locale status createdAt updatedAt product { id } createdBy { id }
            statusChangedAt statusChangedBy { id }
            currentRevision { number body authorId author { id } }
            publishedRevision { number }
            revisions { id number body createdAt }
            translations { id locale } translationOf { id }
        } }""",
        {"id": "cnt-0001"},
        headers=editor,
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
        "createdBy": {"id": "usr-0002"},
        "statusChangedAt": "2025-03-03T12:00:00+00:00",
        "statusChangedBy": {"id": "usr-0003"},
        "currentRevision": {
            "number": 2, "body": "Adaptive noise cancelling, 50 h battery.", "authorId": "usr-0002",
            "author": {"id": "usr-0002"},
        },
        "publishedRevision": {"number": 2},
        "revisions": [
            {"id": "cnt-0001-r1", "number": 1, "body": "First draft.", "createdAt": "2025-03-01T09:00:00+00:00"},
            {"id": "cnt-0001-r2", "number": 2, "body": "Adaptive noise cancelling, 50 h battery.",
             "createdAt": "2025-03-03T09:00:00+00:00"},
        ],
        "translations": [{"id": "cnt-0004", "locale": "de-DE"}],
        "translationOf": None,
    }  # fmt: skip
    translation = await client.gql('{ contentItem(id: "cnt-0004") { translationOf { id } translations { id } } }')
    assert translation["data"]["contentItem"] == {
        "translationOf": {"id": "cnt-0001"},
        "translations": [{"id": "cnt-0001"}],
    }
    missing = await client.gql('{ contentItem(id: "cnt-nope") { id } }')
    assert missing == {"data": {"contentItem": None}}


@pytest.mark.asyncio
async def test_unpublished_content_and_history_need_content_read(client, editor, as_caller, error_codes) -> None:
    # Anonymous readers and customers see published items only, without their revision history.
    for headers in ({}, as_caller("support:own", role="customer")):
        assert ids(await client.gql(ITEMS, {"first": 10}, headers=headers)) == ["cnt-0004", "cnt-0001"]
        draft = await client.gql('{ contentItem(id: "cnt-0002") { id } }', headers=headers)
        assert draft == {"data": {"contentItem": None}}
        history = await client.gql(
            '{ contentItem(id: "cnt-0001") { id currentRevision { number } revisions { number } } }', headers=headers
        )
        assert history["data"]["contentItem"] == {"id": "cnt-0001", "currentRevision": {"number": 2}, "revisions": None}
        assert error_codes(history) == ["UNAUTHENTICATED" if not headers else "FORBIDDEN"]
    assert ids(await client.gql(ITEMS, {"first": 10}, headers=editor)) == [
        "cnt-0004",
        "cnt-0003",
        "cnt-0002",
        "cnt-0001",
    ]
    products = await client.gql(
        '{ _entities(representations: [{__typename: "Product", id: "prd-liberty-4-nc"}]) '
        "{ ... on Product { content { id } } } }"
    )
    assert products["data"]["_entities"] == [{"content": [{"id": "cnt-0001"}, {"id": "cnt-0004"}]}]


@pytest.mark.asyncio
async def test_content_items_connection_pages_and_filters(client, editor, error_codes) -> None:
    first = await client.gql(ITEMS, {"first": 3}, headers=editor)
    page = first["data"]["contentItems"]
    assert page["totalCount"] == 4
    assert page["pageInfo"]["hasNextPage"] is True
    assert ids(first) == ["cnt-0004", "cnt-0003", "cnt-0002"]
    rest = await client.gql(ITEMS, {"first": 3, "after": page["pageInfo"]["endCursor"]}, headers=editor)
    assert ids(rest) == ["cnt-0001"]
    assert rest["data"]["contentItems"]["pageInfo"] == {
        "hasNextPage": False,
        "endCursor": rest["data"]["contentItems"]["edges"][0]["cursor"],
    }
    drafts = await client.gql(ITEMS, {"first": 10, "productId": "prd-liberty-4-nc", "status": "DRAFT"}, headers=editor)
    assert (ids(drafts), drafts["data"]["contentItems"]["totalCount"]) == (["cnt-0002"], 1)
    german = await client.gql(ITEMS, {"first": 10, "locale": "de-DE"}, headers=editor)
    assert ids(german) == ["cnt-0004", "cnt-0003"]
    # Asking anonymously for drafts finds none rather than leaking them.
    assert ids(await client.gql(ITEMS, {"first": 10, "status": "DRAFT"})) == []
    for variables in ({"first": 101}, {"first": 0}, {"first": 5, "after": "not-a-cursor"}):
        body = await client.gql(ITEMS, variables, headers=editor)
        # The root field is nullable: a bad argument nulls this field only, never the whole response.
        assert body["data"] == {"contentItems": None}
        assert error_codes(body) == ["BAD_USER_INPUT"]


@pytest.mark.asyncio
async def test_sdl_has_keys_and_product_extension(client) -> None:
    sdl = (await client.gql("{ _service { sdl } }"))["data"]["_service"]["sdl"]
    assert 'type Product @key(fields: "id")' in sdl
    assert 'type ContentItem @key(fields: "id")' in sdl
    assert 'type User @key(fields: "id")' in sdl
    assert "federation/v2" in sdl


@pytest.mark.asyncio
async def test_entities_batch_loads_content_in_one_query(client, editor, count_queries) -> None:
    representations = [
        {"__typename": "Product", "id": "prd-liberty-4-nc"},
        {"__typename": "Product", "id": "prd-space-one"},
        {"__typename": "Product", "id": "prd-unknown"},
    ]
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Product { id content { id kind } social: content(kind: SOCIAL_POST) { id }
                         german: content(locale: "de-DE") { id } }
    } }"""
    with count_queries("content_items") as seen:
        body = await client.gql(query, {"r": representations}, headers=editor)
    assert "errors" not in body
    assert body["data"]["_entities"] == [
        {
            "id": "prd-liberty-4-nc",
            "content": [
                {"id": "cnt-0001", "kind": "PRODUCT_DESCRIPTION"},
                {"id": "cnt-0002", "kind": "SOCIAL_POST"},
                {"id": "cnt-0004", "kind": "PRODUCT_DESCRIPTION"},
            ],
            "social": [{"id": "cnt-0002"}],
            "german": [{"id": "cnt-0004"}],
        },
        {
            "id": "prd-space-one",
            "content": [{"id": "cnt-0003", "kind": "MARKETING_EMAIL"}],
            "social": [],
            "german": [{"id": "cnt-0003"}],
        },
        {"id": "prd-unknown", "content": [], "social": [], "german": []},
    ]
    assert len(seen) == 1


@pytest.mark.asyncio
async def test_entities_resolve_content_items_in_one_query(client, editor, count_queries) -> None:
    representations = [{"__typename": "ContentItem", "id": i} for i in ("cnt-0003", "cnt-0001", "cnt-nope")]
    query = """query($r: [_Any!]!) { _entities(representations: $r) {
        ... on ContentItem { id title currentRevision { number } }
    } }"""
    with count_queries("content_items") as items, count_queries("content_revisions") as revisions:
        body = await client.gql(query, {"r": representations}, headers=editor)
    assert body["data"]["_entities"] == [
        {"id": "cnt-0003", "title": "Space One launch e-mail", "currentRevision": {"number": 1}},
        {"id": "cnt-0001", "title": "Liberty 4 NC description", "currentRevision": {"number": 2}},
        None,
    ]
    assert (len(items), len(revisions)) == (1, 1)


CREATE = """mutation($input: CreateContentItemInput!) { createContentItem(input: $input) {
    id kind title locale status product { id } createdBy { id } currentRevision { number body authorId }
    revisions { number } translationOf { id }
} }"""
REVISE = """mutation($id: ID!, $body: String!) { reviseContentItem(id: $id, body: $body, note: "tightened") {
    id status updatedAt currentRevision { number body authorId note } revisions { number body }
} }"""


def create_input(**overrides: str) -> dict[str, str]:
    values = {
        "productId": "prd-space-one",
        "kind": "SUPPORT_MACRO",
        "title": "Pairing macro",
        "locale": "en-US",
        "body": "Hold the button for 3 s.",
    }
    return values | overrides


async def counts(client, editor) -> tuple[int, int]:
    body = await client.gql(
        "{ contentItems(first: 100) { totalCount edges { node { revisions { number } } } } }", headers=editor
    )
    page = body["data"]["contentItems"]
    return page["totalCount"], sum(len(e["node"]["revisions"]) for e in page["edges"])


@pytest.mark.asyncio
async def test_create_then_revise(client, editor, reviewer) -> None:
    body = await client.gql(CREATE, {"input": create_input(title="  Pairing macro  ")}, headers=editor)
    created = body["data"]["createContentItem"]
    item_id = created.pop("id")
    assert item_id.startswith("cnt-")
    assert created == {
        "kind": "SUPPORT_MACRO",
        "title": "Pairing macro",
        "locale": "en-US",
        "status": "DRAFT",
        "product": {"id": "prd-space-one"},
        "createdBy": {"id": "usr-0002"},
        "currentRevision": {"number": 1, "body": "Hold the button for 3 s.", "authorId": "usr-0002"},
        "revisions": [{"number": 1}],
        "translationOf": None,
    }
    body = await client.gql(REVISE, {"id": item_id, "body": "Hold the button for 5 s."}, headers=reviewer)
    revised = body["data"]["reviseContentItem"]
    assert revised["currentRevision"] == {
        "number": 2, "body": "Hold the button for 5 s.", "authorId": "usr-0003", "note": "tightened",
    }  # fmt: skip
    assert revised["revisions"] == [
        {"number": 1, "body": "Hold the button for 3 s."},
        {"number": 2, "body": "Hold the button for 5 s."},
    ]
    # Revising a published item appends n+1, leaves earlier revisions untouched, and needs review again.
    seeded = (await client.gql(REVISE, {"id": "cnt-0001", "body": "Third take."}, headers=editor))["data"]
    assert seeded["reviseContentItem"]["status"] == "DRAFT"
    assert [r["number"] for r in seeded["reviseContentItem"]["revisions"]] == [1, 2, 3]
    assert seeded["reviseContentItem"]["revisions"][1]["body"] == "Adaptive noise cancelling, 50 h battery."
    assert await counts(client, editor) == (5, 8)


@pytest.mark.asyncio
async def test_translations_join_the_original_group(client, editor) -> None:
    french = create_input(
        productId="prd-liberty-4-nc", kind="PRODUCT_DESCRIPTION", locale="fr-FR", translationOf="cnt-0004"
    )
    body = await client.gql(CREATE, {"input": french}, headers=editor)
    # A translation of a translation joins the original's group.
    assert body["data"]["createContentItem"]["translationOf"] == {"id": "cnt-0001"}
    group = await client.gql('{ contentItem(id: "cnt-0001") { translations { locale } } }', headers=editor)
    assert group["data"]["contentItem"]["translations"] == [{"locale": "de-DE"}, {"locale": "fr-FR"}]
    for bad, message in (
        (french, "content item 'cnt-0001' already has a fr-FR version."),
        (
            french | {"kind": "SOCIAL_POST", "locale": "it-IT"},
            "a translation has the product and kind of its original (prd-liberty-4-nc, product_description).",
        ),
        (french | {"translationOf": "cnt-nope"}, "Content item 'cnt-nope' does not exist."),
    ):
        refused = await client.gql(CREATE, {"input": bad}, headers=editor)
        assert refused["errors"][0]["message"] == message
    assert await counts(client, editor) == (5, 6)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "overrides",
    [{"title": ""}, {"title": "   "}, {"body": ""}, {"productId": ""}, {"locale": "english"}, {"title": "x" * 201}],
)
async def test_create_rejects_bad_input_and_writes_nothing(
    client, editor, overrides: dict[str, str], error_codes
) -> None:
    body = await client.gql(CREATE, {"input": create_input(**overrides)}, headers=editor)
    assert body["data"] is None
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert await counts(client, editor) == (4, 5)


@pytest.mark.asyncio
async def test_writing_needs_content_write(client, as_caller, editor, error_codes) -> None:
    anonymous = await client.gql(CREATE, {"input": create_input()})
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    partner = as_caller("knowledge:read", "content:read", role="partner")
    assert error_codes(await client.gql(CREATE, {"input": create_input()}, headers=partner)) == ["FORBIDDEN"]
    assert error_codes(await client.gql(REVISE, {"id": "cnt-0001", "body": "x"}, headers=partner)) == ["FORBIDDEN"]
    forged = {"x-kcp-identity": "e30", "x-kcp-identity-signature": "v1=00"}
    assert error_codes(await client.gql(CREATE, {"input": create_input()}, headers=forged)) == ["UNAUTHENTICATED"]
    assert await counts(client, editor) == (4, 5)


@pytest.mark.asyncio
async def test_revise_errors(client, editor, error_codes) -> None:
    unknown = await client.gql(REVISE, {"id": "cnt-nope", "body": "text"}, headers=editor)
    assert error_codes(unknown) == ["NOT_FOUND"]
    empty = await client.gql(REVISE, {"id": "cnt-0001", "body": "  "}, headers=editor)
    assert error_codes(empty) == ["BAD_USER_INPUT"]
    item = await client.gql('{ contentItem(id: "cnt-0001") { status revisions { number } } }', headers=editor)
    assert item["data"]["contentItem"] == {"status": "PUBLISHED", "revisions": [{"number": 1}, {"number": 2}]}


@pytest.mark.asyncio
async def test_health_and_readiness(client) -> None:
    assert (await client.http.get("/health")).json() == {"status": "ok", "service": "content"}
    assert (await client.http.get("/ready")).json() == {"status": "ready", "service": "content"}


@pytest.mark.asyncio
async def test_seeding_twice_changes_nothing(settings: Settings, new_progress) -> None:
    first, second = new_progress(), new_progress()
    await seed(settings, small_content(), first)
    await seed(settings, small_content(), second)
    expected_steps = [("content revisions", 5), ("content items", 4), ("content templates", 1), ("generation jobs", 0)]
    assert first.steps == second.steps == expected_steps
    assert second.done == 10
    stores = ContentStores.open(settings)
    try:
        repository = ContentRepository(stores.documents)
        assert (await repository.count_items(), await repository.count_revisions()) == (4, 5)
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

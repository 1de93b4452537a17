"""Federation: the SDL the router composes, and batched entity resolution."""

from __future__ import annotations

import pytest
from knowledge_support import StoreCalls


@pytest.mark.asyncio
async def test_service_sdl_declares_product_and_article_entities(api) -> None:
    body = await api.gql("{ _service { sdl } }")

    sdl = body["data"]["_service"]["sdl"]
    assert 'type Product @key(fields: "id")' in sdl
    assert 'type Article @key(fields: "id")' in sdl
    assert '@link(url: "https://specs.apollo.dev/federation/v2' in sdl


@pytest.mark.asyncio
async def test_entities_resolve_a_batch_of_representations_in_one_round_trip(api) -> None:
    representations = [
        {"__typename": "Product", "id": "prd-space-one"},
        {"__typename": "Product", "id": "prd-nope"},
        {"__typename": "Product", "id": "prd-liberty-4-nc"},
        {"__typename": "Product", "id": "prd-life-q30"},
        {"__typename": "Article", "id": "art-ldac-faq"},
    ]
    calls = StoreCalls.install(api.app)

    body = await api.gql(
        "query($r: [_Any!]!) { _entities(representations: $r) { "
        "... on Product { id name } ... on Article { id title } } }",
        {"r": representations},
    )

    assert "errors" not in body
    assert body["data"]["_entities"] == [
        {"id": "prd-space-one", "name": "Space One"},
        None,
        {"id": "prd-liberty-4-nc", "name": "Liberty 4 NC"},
        {"id": "prd-life-q30", "name": "Life Q30"},
        {"id": "art-ldac-faq", "title": "LDAC FAQ"},
    ]
    # One SELECT for all products, one for all articles, nothing from the graph.
    assert calls.sql == 2
    assert calls.graph == 0

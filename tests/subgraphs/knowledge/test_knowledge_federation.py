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


@pytest.mark.asyncio
async def test_service_sdl_requires_the_ticket_text_from_support(api) -> None:
    body = await api.gql("{ _service { sdl } }")

    sdl = body["data"]["_service"]["sdl"]
    assert 'type Ticket @key(fields: "id")' in sdl
    assert "subject: String! @external" in sdl
    assert 'suggestedSolutions(first: Int! = 3): [Solution!]! @requires(fields: "subject description")' in sdl


@pytest.mark.asyncio
async def test_tickets_get_solutions_ranked_by_their_own_text(api) -> None:
    representations = [
        {
            "__typename": "Ticket",
            "id": "tck-1",
            "subject": "Right earbud will not pair",
            "description": "I tried to pair it again but the bud stays silent.",
        },
        {"__typename": "Ticket", "id": "tck-2", "subject": "Crackling with LDAC", "description": "Audio crackles."},
        {"__typename": "Ticket", "id": "tck-3", "subject": "Invoice", "description": "Where is my invoice?"},
        {"__typename": "Ticket", "id": "tck-4", "subject": "?!", "description": ""},
    ]
    calls = StoreCalls.install(api.app)

    body = await api.gql(
        "query($r: [_Any!]!) { _entities(representations: $r) { "
        "... on Ticket { id suggestedSolutions(first: 2) { id title } } } }",
        {"r": representations},
    )

    assert "errors" not in body, body
    tickets = body["data"]["_entities"]
    assert tickets[0] == {
        "id": "tck-1",
        "suggestedSolutions": [{"id": "sol-reset", "title": "Factory reset"}],
    }
    assert tickets[1]["suggestedSolutions"] == [{"id": "sol-ldac-off", "title": "Turn LDAC off"}]
    assert tickets[2]["suggestedSolutions"] == []
    assert tickets[3]["suggestedSolutions"] == []
    # One ranking statement for every ticket, one load of the solutions suggested.
    assert (calls.sql, calls.graph) == (2, 0)


@pytest.mark.asyncio
async def test_suggestions_are_bounded(api) -> None:
    body = await api.gql(
        "query($r: [_Any!]!) { _entities(representations: $r) { "
        "... on Ticket { suggestedSolutions(first: 11) { id } } } }",
        {"r": [{"__typename": "Ticket", "id": "tck-1", "subject": "pair", "description": "pair"}]},
    )

    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "between 1 and 10, got 11" in error["message"]

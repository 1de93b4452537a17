"""Cached answers are tagged by the entities they hold and dropped when a mutation changes one."""

from __future__ import annotations

import pytest
from graphql import OperationDefinitionNode, build_schema, parse

from kcp.stores.keyvalue import InProcessKeyValueStore
from router.pipeline.normalise import normalise
from router.response_cache import ResponseCache, cache_key, entity_tags

SCHEMA = build_schema(
    """
    type Query { product(id: ID!): Product  search: [Hit!]! }
    type Mutation { renameProduct(id: ID!, name: String!): Product }
    union Hit = Product | Article
    type Product { id: ID! name: String! articles: [Article!]! }
    type Article { id: ID! title: String! }
    """
)


def tags(source: str, data: dict[str, object]) -> set[str]:
    document = normalise(parse(source))
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    return entity_tags(SCHEMA, operation, data)


def test_tags_follow_aliases_fragments_and_typenames() -> None:
    query = """{ p: product(id: "p-1") { key: id ...A }  search { __typename ... on Article { id } } }
               fragment A on Product { articles { id title } }"""
    data = {
        "p": {"key": "p-1", "articles": [{"id": "a-1", "title": "x"}, {"id": "a-2", "title": "y"}]},
        "search": [{"__typename": "Article", "id": "a-3"}, {"__typename": "Product"}],
    }
    entities = {"Product:p-1", "Article:a-1", "Article:a-2", "Article:a-3"}
    assert tags(query, data) == entities | {"type:Product", "type:Article"}


def test_cache_keys_depend_on_document_operation_and_variables() -> None:
    one = cache_key("h", None, {"a": 1, "b": [1, 2]})
    assert one == cache_key("h", None, {"b": [1, 2], "a": 1})
    assert one != cache_key("h", "Op", {"a": 1, "b": [1, 2]})
    assert one != cache_key("h", None, {"a": 2, "b": [1, 2]})


@pytest.mark.asyncio
async def test_a_mutation_purges_the_answers_holding_its_entity() -> None:
    cache = ResponseCache(InProcessKeyValueStore(), ttl_seconds=300)
    product = b'{"data":{"product":{"id":"p-1","name":"Liberty"}}}'
    other = b'{"data":{"product":{"id":"p-2","name":"Space"}}}'
    await cache.put("k1", product, {"Product:p-1"})
    await cache.put("k2", other, {"Product:p-2"})
    assert await cache.get("k1") == product
    changed = tags('mutation { renameProduct(id: "p-1", name: "New") { id name } }', {"renameProduct": {"id": "p-1"}})
    assert await cache.purge(changed) == 1
    assert await cache.get("k1") is None
    assert await cache.get("k2") == other


def test_answers_are_tagged_with_every_type_they_could_hold_even_when_empty() -> None:
    found = tags(
        '{ product(id: "p-1") { id articles { id } }  search { ... on Article { id } } }',
        {
            "product": {"id": "p-1", "articles": []},
            "search": [],
        },
    )
    assert found == {"Product:p-1", "type:Product", "type:Article"}

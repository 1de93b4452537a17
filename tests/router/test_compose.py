"""Composition: subgraph SDLs in, Apollo-format supergraph out; mistakes named precisely."""

from __future__ import annotations

import pytest
from graphql import print_schema
from router_harness import fixture_sdls

from router.compose import CompositionError, compose
from router.supergraph import load_supergraph

LINK = (
    'schema @link(url: "https://specs.apollo.dev/federation/v2.11", '
    'import: ["@external", "@key", "@requires", "@shareable"]) { query: Query }\n'
)


def test_composes_fixture_subgraphs() -> None:
    sdl = compose(fixture_sdls())
    assert '@link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION)' in sdl
    assert 'PRODUCTS @join__graph(name: "products", url: "http://products.test/graphql")' in sdl
    assert '@join__type(graph: REVIEWS, key: "id", resolvable: false)' in sdl
    assert 'shippingEstimate: Int! @join__field(graph: REVIEWS, requires: "weight")' in sdl
    assert "weight: Int! @join__field(graph: PRODUCTS) @join__field(graph: REVIEWS, external: true)" in sdl
    assert '@join__unionMember(graph: PRODUCTS, member: "Collection")' in sdl
    assert '@join__implements(graph: PRODUCTS, interface: "Node")' in sdl

    graph = load_supergraph(sdl)
    assert sorted(graph.subgraphs) == ["products", "reviews", "users"]
    assert graph.resolvers("Product", "reviews") == ["reviews"]
    assert graph.resolvers("Product", "weight") == ["products"]
    assert [k.subgraph for k in graph.types["User"].keys if k.resolvable] == ["users"]
    api = print_schema(graph.api_schema)
    # Federation machinery and @inaccessible fields are not part of the API.
    assert "join__" not in api
    assert "_entities" not in api
    assert "_Any" not in api
    assert "secret" not in api
    assert "shippingEstimate: Int!" in api


def test_conflicting_field_types_name_subgraphs_type_and_field() -> None:
    a = LINK + 'type Query { a: Int } type Product @key(fields: "id") { id: ID! name: String! @shareable }'
    b = LINK + 'type Query { b: Int } type Product @key(fields: "id") { id: ID! name: Int! @shareable }'
    with pytest.raises(CompositionError) as caught:
        compose({"alpha": ("http://a", a), "beta": ("http://b", b)})
    message = str(caught.value)
    assert "Product.name" in message
    assert "'alpha'" in message
    assert "'beta'" in message
    assert "String!" in message
    assert "Int!" in message


def test_value_type_field_twice_without_shareable() -> None:
    a = LINK + "type Query { a: Money } type Money { amount: Int! }"
    b = LINK + "type Query { b: Money } type Money { amount: Int! @shareable }"
    with pytest.raises(CompositionError, match=r"Money\.amount .*not @shareable in 'alpha'"):
        compose({"alpha": ("http://a", a), "beta": ("http://b", b)})


def test_entity_nobody_resolves() -> None:
    a = LINK + 'type Query { a: User } type User @key(fields: "id", resolvable: false) { id: ID! }'
    with pytest.raises(CompositionError, match=r"entity 'User' is used by 'alpha' but no subgraph can resolve it"):
        compose({"alpha": ("http://a", a)})


def test_external_field_nobody_resolves() -> None:
    a = LINK + 'type Query { a: Product } type Product @key(fields: "id") { id: ID! weight: Int @external }'
    with pytest.raises(CompositionError, match=r"Product\.weight is @external in 'alpha' but no subgraph"):
        compose({"alpha": ("http://a", a)})


def test_key_naming_unknown_field() -> None:
    a = LINK + 'type Query { a: Product } type Product @key(fields: "sku") { id: ID! }'
    with pytest.raises(CompositionError, match=r"names field 'sku'"):
        compose({"alpha": ("http://a", a)})


def test_composed_supergraph_round_trips() -> None:
    sdl = compose(fixture_sdls())
    assert compose(fixture_sdls()) == sdl
    assert load_supergraph(sdl).sdl == sdl


def test_input_types_keep_their_fields_and_defaults() -> None:
    a = LINK + (
        "type Query { a: Int } type Mutation { create(input: NewTicket!): ID! } "
        "enum Priority { LOW HIGH } "
        "input NewTicket { subject: String! priority: Priority! = LOW }"
    )
    sdl = compose({"alpha": ("http://a", a)})
    api = print_schema(load_supergraph(sdl).api_schema)
    assert "input NewTicket {\n  subject: String!\n  priority: Priority! = LOW\n}" in api


def test_an_external_type_that_does_not_fit_the_owners_is_refused() -> None:
    # As Apollo's composition: an @external Int cannot stand for the owner's Int!.
    owner = LINK + 'type Query { p: Product } type Product @key(fields: "id") { id: ID! weight: Int! }'
    stub = LINK + (
        'type Query { q: Int } type Product @key(fields: "id") { id: ID! weight: Int @external '
        'size: Int @requires(fields: "weight") }'
    )
    with pytest.raises(CompositionError, match=r"Product\.weight .*'stub' \(@external\)"):
        compose({"owner": ("http://a", owner), "stub": ("http://b", stub)})


def test_nullability_differences_compose_to_the_weaker_promise() -> None:
    a = LINK + "type Query { a: Money } type Money @shareable { amount: Int! codes: [String!]! }"
    b = LINK + "type Query { b: Money } type Money @shareable { amount: Int codes: [String] }"
    api = print_schema(load_supergraph(compose({"a": ("http://a", a), "b": ("http://b", b)})).api_schema)
    assert "type Money {\n  amount: Int\n  codes: [String]\n}" in api

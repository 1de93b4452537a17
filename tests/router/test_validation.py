"""``validation_errors`` and ``canonical_validation_errors`` report exactly what graphql-core's
``validate`` does, whatever rules they leave out (the variable rules for documents without ``$``,
the directive rules without ``@``, the argument rules without ``(``, the operation, fragment and
introspection rules for canonical operations)."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import DocumentNode, parse, validate

from router.pipeline.canonical import canonicalise
from router.pipeline.normalise import normalise
from router.supergraph import load_supergraph_file
from router.validation import canonical_validation_errors, validation_errors

SHOP = load_supergraph_file(Path(__file__).parent / "planner" / "supergraphs" / "shop.graphql").api_schema

DOCUMENTS = [
    "{ topProducts { upc name reviews { body author { username } } } }",
    "{ topProducts { ...P } } fragment P on Product { upc name }",
    "{ topProducts { nope } me { ... on Product { upc } } }",
    "{ topProducts { ...Missing } } fragment Unused on Product { upc }",
    "{ topProducts { x: upc x: name } }",
    "{ product { upc } review(id: 1, id: 2) { body } }",
    "{ topProducts { upc @skip(if: true) @skip(if: false) @unknown } }",
    "query A { me { id } } query A { me { id } }",
    "query A { me { id } } fragment F on Query { me { nope } }",
    # Directives: every directive rule runs, including for an ``@`` only inside a string.
    '{ product(upc: "@") { upc name } }',
    '{ topProducts { ... @defer(label: "a") { upc } ... @defer(label: "a") { name @stream } } }',
    "subscription S { me { id } } mutation M { me { id @include } }",
    # Arguments: a required one missing is reported without any ``(`` in the text.
    "{ product { upc } me { id } }",
    '{ product(upc: 1, upc: "a", nope: {a: 1, a: 2}) { upc } review(id: [1]) { id } }',
    "# (\n{ me { id } topProducts { upc } }",
    "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }",
    # Variables: every rule runs, including for a ``$`` only inside a string.
    'query Q($unused: Int) { product(upc: "$") { upc } }',
    (
        "query Q($n: String, $n: Int) { topProducts(first: $n) { upc ...P @include(if: $missing) } }"
        " fragment P on Product { upc }"
    ),
    "query Q($p: Product) { me { id } }",
]


@pytest.mark.parametrize("query", DOCUMENTS)
def test_the_same_errors_as_graphql_core(query: str) -> None:
    document = parse(query)
    expected = [(e.message, e.locations) for e in validate(SHOP, document)]

    assert [(e.message, e.locations) for e in validation_errors(SHOP, document, query)] == expected


# Documents with a canonical form (known fields and types, every fragment spread defined).
CANONICAL = [
    "{ topProducts { upc name reviews { body author { username } } } }",
    "{ topProducts { ...P } } fragment P on Product { upc name }",
    "{ me { ... on Product { upc } } search(text: 1) { ... on Review { id } } }",
    "{ topProducts { x: upc x: name } product { upc } }",
    "{ topProducts { upc @skip(if: true) @skip(if: false) @unknown } }",
    "query A { me { id } } fragment Unused on Product { upc }",
    '{ product(upc: "@") { upc ... on Product { name } } }',
    "{ product { upc } me { id } }",
    '{ product(upc: 1, upc: "a", nope: {a: 1, a: 2}) { upc } review(id: [1]) { id } }',
    '{ topProducts { ... @defer(label: "a") { upc } ... @defer(label: "a") { name @stream } } }',
    'query Q($unused: Int) { product(upc: "$") { upc } }',
    (
        "query Q($n: String, $n: Int) { topProducts(first: $n) { upc ...P @include(if: $missing) } }"
        " fragment P on Product { upc }"
    ),
]


@pytest.mark.parametrize("query", CANONICAL)
def test_the_same_errors_for_a_canonical_operation(query: str) -> None:
    [operation, *_] = normalise(parse(query)).definitions
    canonical = canonicalise(SHOP, operation)  # type: ignore[arg-type]
    assert canonical is not None
    expected = [(e.message, e.locations) for e in validate(SHOP, DocumentNode(definitions=(canonical.definition,)))]

    assert [(e.message, e.locations) for e in canonical_validation_errors(SHOP, canonical, query)] == expected

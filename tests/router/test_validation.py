"""``validation_errors`` reports exactly what graphql-core's ``validate`` does, with or without the
variable rules it leaves out for documents that have no ``$``."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import parse, validate

from router.supergraph import load_supergraph_file
from router.validation import validation_errors

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

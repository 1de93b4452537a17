"""Validation through the canonical operation: a valid document is accepted, an invalid one gets
exactly the errors graphql-core reports for the text the client wrote (messages and locations)."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import parse, validate

from kcp.errors import ErrorCode
from router.documents import DocumentCache
from router.errors import RouterError, graphql_error
from router.supergraph import load_supergraph_file

SHOP = load_supergraph_file(Path(__file__).parent / "planner" / "supergraphs" / "shop.graphql").api_schema

# Each one has a canonical operation (known fields, sound fragments, consistent keys) that does not
# validate: the errors must still point into the client's own text.
INVALID_WITH_A_CANONICAL_FORM = [
    "{ topProducts { ...P } } fragment P on Product { upc reviews { author { username(x: 1) } } }",
    "{ topProducts { ...P @include(if: $missing) } } fragment P on Product { upc }",
    "query Q($n: String) { topProducts(first: $n) { ...P } } fragment P on Product { upc }",
    "query Q($unused: Int) { topProducts { upc } }",
    "{ me { ... on Product { upc } } }",
    "{ topProducts { upc @skip(if: true) @skip(if: false) } }",
]


@pytest.mark.parametrize("query", INVALID_WITH_A_CANONICAL_FORM)
def test_an_invalid_document_gets_the_errors_of_its_own_text(query: str) -> None:
    expected = [graphql_error(e, ErrorCode.GRAPHQL_VALIDATION_FAILED) for e in validate(SHOP, parse(query))]
    assert expected

    with pytest.raises(RouterError) as refused:
        DocumentCache(SHOP).get(query)

    assert refused.value.errors == expected


def test_a_valid_first_document_and_its_rewriting_share_one_canonical_operation() -> None:
    documents = DocumentCache(SHOP)
    first = documents.get("query A { topProducts { ...P } } fragment P on Product { upc name }")
    rewritten = documents.get("query B { topProducts { title: name ... on Product { upc } } }")

    assert first.canonical is not None
    assert rewritten.canonical is not None
    assert first.canonical.key == rewritten.canonical.key

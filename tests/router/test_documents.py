"""Validation through the canonical operation: a valid document is accepted, an invalid one gets
exactly the errors graphql-core reports for the text the client wrote (messages and locations)."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import GraphQLError, parse, validate

from kcp.edge.document import MAX_TOKENS, token_limit_error
from kcp.errors import ErrorCode
from router.documents import CACHED_CHARACTERS, DocumentCache
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


def test_large_documents_are_kept_by_their_length_not_their_count() -> None:
    documents = DocumentCache(SHOP)
    padding = " " * 100_000  # a client can send documents as large as its body limit
    for n in range(20):
        documents.get(f"query Q{n} {{ topProducts {{ upc }} }}{padding}")

    # 20 entries of ~100,000 characters each would be 2,000,000: the budget keeps at most 500,000.
    assert len(documents) <= CACHED_CHARACTERS // 100_000


def test_a_document_over_the_token_limit_gets_the_parsers_error_without_being_parsed() -> None:
    query = "{ " + " ".join(f"a{n}: upc" for n in range(MAX_TOKENS)) + " }"
    with pytest.raises(GraphQLError) as parsed:
        parse(query, max_tokens=MAX_TOKENS)
    expected = graphql_error(parsed.value, ErrorCode.GRAPHQL_PARSE_FAILED)

    assert token_limit_error(query, MAX_TOKENS) == expected
    with pytest.raises(RouterError) as refused:
        DocumentCache(SHOP).get(query)
    assert refused.value.errors == [expected]


@pytest.mark.parametrize(
    "query",
    [
        "{ " + " ".join("upc" for _ in range(MAX_TOKENS - 2)) + " }",  # exactly at the limit
        '{ upc "\n' + " ".join("upc" for _ in range(MAX_TOKENS)) + " }",  # a lexing error first: the parser's
        "{ __typename } # " + "x " * MAX_TOKENS,  # one long comment is one token
    ],
)
def test_documents_the_lexer_count_leaves_to_the_parser(query: str) -> None:
    assert token_limit_error(query, MAX_TOKENS) is None


def test_a_huge_refused_document_is_refused_from_the_cache_when_sent_again() -> None:
    documents = DocumentCache(SHOP)
    query = "{ " + " ".join(f"a{n}: upc" for n in range(MAX_TOKENS)) + " }"  # ~170,000 characters
    for _ in range(2):  # kept on its second sight
        with pytest.raises(RouterError):
            documents.get(query)

    assert len(documents) == 1

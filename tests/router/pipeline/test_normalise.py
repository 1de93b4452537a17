"""Normalisation inlines every fragment spread once, keeping response keys, order and directives."""

from __future__ import annotations

from graphql import FragmentSpreadNode, parse, print_ast

from router.pipeline.normalise import normalise
from router.selection_walk import every_selection


def flat(document: object) -> str:
    return " ".join(print_ast(document).split())  # type: ignore[arg-type]


def test_spreads_become_inline_fragments_with_the_spreads_directives() -> None:
    source = """
    query Q($on: Boolean!) { a: product { ...P @include(if: $on) id } }
    fragment P on Product { n: name ...R }
    fragment R on Product { reviews { body } }
    """
    normalised = normalise(parse(source))
    assert not any(isinstance(s, FragmentSpreadNode) for s in every_selection(normalised))
    assert flat(normalised) == (
        "query Q($on: Boolean!) { a: product { ... on Product @include(if: $on) { n: name "
        "... on Product { reviews { body } } } id } }"
    )


def test_a_fragment_spread_many_times_is_normalised_once_and_shared() -> None:
    document = normalise(parse("{ a: product { ...P } b: product { ...P } } fragment P on Product { id }"))
    [operation] = document.definitions
    first, second = (field.selection_set.selections[0] for field in operation.selection_set.selections)  # type: ignore[attr-defined]
    assert first.selection_set is second.selection_set


def test_a_document_without_fragments_is_returned_as_it_is() -> None:
    document = parse("{ product { id } }")
    assert normalise(document) is document

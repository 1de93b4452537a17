"""``validation_errors`` and ``canonical_validation_errors`` report exactly what graphql-core's
``validate`` does, whatever rules they leave out (the variable rules for documents without ``$``,
the directive rules without ``@``, the argument rules without ``(``, the operation, fragment and
introspection rules for canonical operations)."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import DocumentNode, get_named_type, is_leaf_type, parse, validate
from hypothesis import given, settings
from hypothesis import strategies as st

from router.pipeline.canonical import canonicalise
from router.pipeline.normalise import normalise
from router.supergraph import load_supergraph_file
from router.validation import canonical_validation_errors, plainly_valid, validation_errors

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


# Anonymous queries without variables, directives, arguments or fragment spreads: what
# ``plainly_valid`` decides on its own when it can.
PLAINLY_VALID = [
    "{ topProducts { upc name reviews { body author { username } } } }",
    "{ me { id __typename } topProducts { __typename } }",
    "{ me { ... on User { id } ... { username } } }",
    "{ topProducts { __typename ... on Product { upc } } }",
    "{ alias: topProducts { upc } }",
]
NOT_PLAINLY_VALID = [
    # Invalid: each is reported by a rule ``plainly_valid`` stands in for.
    "{ topProducts { nope } }",
    "{ topProducts { upc { x } } }",
    "{ topProducts }",
    "{ product { upc } }",  # a required argument
    "{ search { upc } }",  # a field on a union
    "{ search { __typename { x } } }",
    "{ me { ... on Product { upc } } }",  # never overlaps
    "{ me { ... on Nope { id } } }",
    "{ me { ... on Kind { id } } }",
    "{ topProducts { x: upc x: name } }",
    "{ search { ... on Product { id: upc } ... on Collection { id } } }",
    # Valid, but not for this check to say: validate() decides.
    "{ topProducts(first: 1) { upc } }",
    "{ topProducts { upc @include(if: true) } }",
    "query Q { topProducts { upc } }",
    "query Q($n: Int!) { topProducts(first: $n) { upc } }",
    "{ topProducts { upc upc } }",
    "{ topProducts { ...P } } fragment P on Product { upc }",
    "{ __schema { queryType { name } } }",
    "mutation { addReview(upc: 1, body: 2) { id } }",
]


@pytest.mark.parametrize("query", PLAINLY_VALID)
def test_plainly_valid_operations_are_valid(query: str) -> None:
    [operation] = parse(query).definitions

    assert plainly_valid(SHOP, operation)  # type: ignore[arg-type]
    assert validate(SHOP, parse(query)) == []


@pytest.mark.parametrize("query", NOT_PLAINLY_VALID)
def test_anything_else_is_left_to_validate(query: str) -> None:
    operation = parse(query).definitions[0]

    assert not plainly_valid(SHOP, operation)  # type: ignore[arg-type]


TYPES = ["Product", "User", "Review", "Node", "SearchResult", "Collection", "Kind", "Nope"]


@st.composite
def selection_sets(draw: st.DrawFn, parent: str = "Query", depth: int = 0) -> str:
    """A selection set on ``parent``, mostly of its own fields, with some mistakes drawn in: an
    unknown field, a leaf with selections or an object without, a repeated response key, an
    inline fragment on an unrelated or unknown type."""
    parent_type = SHOP.get_type(parent)
    fields = dict(getattr(parent_type, "fields", {}))
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        if depth < 3 and draw(st.integers(0, 4)) == 0:
            condition = draw(st.sampled_from([None, parent, *TYPES]))
            inner = parent if condition is None or SHOP.get_type(condition) is None else condition
            text = "" if condition is None else f"on {condition}"
            parts.append(f"... {text} {draw(selection_sets(inner, depth + 1))}")
            continue
        name = draw(st.sampled_from([*fields, *fields, *fields, "__typename", "nope", "upc"]))
        alias = draw(st.sampled_from(["", "", "", "", "", "a: ", "upc: "]))
        field = fields.get(name)
        composite = field is not None and not is_leaf_type(get_named_type(field.type))
        wants_selections = composite if draw(st.integers(0, 19)) else not composite
        inner = get_named_type(field.type).name if composite and field is not None else parent
        below = draw(selection_sets(inner, depth + 1)) if wants_selections and depth < 3 else ""
        parts.append(f"{alias}{name} {below}")
    return "{ " + " ".join(parts) + " }"


# Where the drawn selections go: the root's fields mostly need arguments, so lower types get most.
PLACES = {
    "Query": "{}",
    "Product": "{{ topProducts {} }}",
    "Review": "{{ me {{ __typename }} topProducts {{ reviews {} }} }}",
}


@given(st.sampled_from(sorted(PLACES)).flatmap(lambda parent: selection_sets(parent).map(PLACES[parent].format)))
@settings(max_examples=500, deadline=None)
def test_plainly_valid_never_passes_an_invalid_operation(query: str) -> None:
    [operation] = parse(query).definitions

    if plainly_valid(SHOP, operation):  # type: ignore[arg-type]
        assert validate(SHOP, parse(query)) == []

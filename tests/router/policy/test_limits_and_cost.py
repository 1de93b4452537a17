"""Operation limits refuse hostile shapes before validation; the cost estimate follows the work."""

from __future__ import annotations

import pytest
from graphql import OperationDefinitionNode, build_schema, get_introspection_query, parse

from kcp.edge.shape import OperationLimits, limit_errors, operation_shape
from kcp.errors import ErrorCode
from router.pipeline.normalise import normalise
from router.policy.cost import operation_cost

SCHEMA = build_schema(
    """
    type Query { products(first: Int = 20): [Product!]!  product(id: ID!): Product }
    interface Node { id: ID! }
    type Product implements Node { id: ID! name: String! issues: [Issue!]!  successor: Product }
    type Issue implements Node { id: ID! title: String! solutions(limit: Int): [Solution!]! }
    type Solution implements Node { id: ID! articles: [Article!]! }
    type Article implements Node { id: ID! title: String! }
    """
)


def only_operation(source: str) -> tuple[object, OperationDefinitionNode]:
    document = parse(source)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    return document, operation


def test_graphiql_introspection_fits_the_default_limits() -> None:
    assert limit_errors(parse(get_introspection_query(descriptions=True)), OperationLimits()) == []


def test_each_refusal_names_its_limit_and_figures() -> None:
    deep = "{ product(id: 1) { " + "successor { " * 20 + "id" + " }" * 20 + " } }"
    errors = limit_errors(parse(deep), OperationLimits(max_depth=16))
    assert [e["extensions"] for e in errors] == [
        {"code": ErrorCode.OPERATION_LIMIT_EXCEEDED, "limit": "depth", "maximum": 16, "actual": 22}
    ]
    assert errors[0]["message"] == "the operation exceeds the depth limit: 22 > 16"


def test_an_alias_bomb_is_counted_without_validation() -> None:
    bomb = "query Bomb { " + " ".join(f"a{i}: product(id: {i}) {{ name }}" for i in range(10_000)) + " }"
    errors = limit_errors(parse(bomb), OperationLimits())
    limits = {e["extensions"]["limit"]: e["extensions"]["actual"] for e in errors}
    assert limits == {"aliases": 10_000, "rootFields": 10_000}
    assert errors[0]["message"].startswith("Bomb exceeds")


def test_limits_follow_fragments_and_count_every_spread() -> None:
    # Each level spreads the next fragment twice: 2**30 aliases once expanded, from 30 fragments.
    levels = 30
    fragments = "".join(
        f"fragment F{i} on Product {{ x: successor {{ ...F{i + 1} }} y: successor {{ ...F{i + 1} }} }}\n"
        for i in range(levels)
    )
    source = "{ product(id: 1) { ...F0 } }\n" + fragments + f"fragment F{levels} on Product {{ id }}"
    document, operation = only_operation(source)
    shape = operation_shape(document, operation)  # type: ignore[arg-type]
    assert shape.depth == levels + 2
    assert shape.aliases == 2 ** (levels + 1) - 2


def test_directive_bombs_and_cycles_do_not_hang() -> None:
    directives = "{ product(id: 1) { name " + "@include(if: true) " * 200 + "} }"
    assert limit_errors(parse(directives), OperationLimits())[0]["extensions"]["actual"] == 200
    cyclic = "{ product(id: 1) { ...A } } fragment A on Product { successor { ...B } } fragment B on Product { ...A }"
    assert limit_errors(parse(cyclic), OperationLimits()) == []


@pytest.mark.parametrize(
    ("source", "variables", "cost"),
    [
        ("{ product(id: 1) { name } }", {}, 1),
        ("{ products(first: 50) { issues { solutions { articles { id } } } } }", {}, 50 + 500 + 5000 + 50_000),
        (
            "query($n: Int) { products(first: $n) { issues { solutions(limit: 2) { id } } } }",
            {"n": 5},
            5 + 50 + 100,
        ),
        ("{ products { ...P } } fragment P on Product { issues { id } successor { name } }", {}, 20 + 200 + 20),
        ("{ product(id: 1) { ... on Node { id } ... on Product { issues { id } } } }", {}, 1 + 10),
    ],
)
def test_cost_multiplies_down_lists(source: str, variables: dict[str, object], cost: int) -> None:
    document = normalise(parse(source))
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    assert operation_cost(SCHEMA, operation, variables) == cost  # type: ignore[arg-type]


def test_a_chain_of_thousands_of_fragments_is_walked_without_recursion_limits() -> None:
    length = 3_000
    chain = "".join(f"fragment F{i} on Product {{ successor {{ ...F{i + 1} }} }}\n" for i in range(length))
    source = "{ product(id: 1) { ...F0 } }\n" + chain + f"fragment F{length} on Product {{ id }}"
    [error] = limit_errors(parse(source), OperationLimits())
    assert error["extensions"]["actual"] == length + 2

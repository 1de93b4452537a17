"""When two entity fetches' selections can share one request, and what their union looks like."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from graphql import FieldNode, InlineFragmentNode, OperationDefinitionNode, parse

from router.planner.selections import PlanField, Selections

if TYPE_CHECKING:
    from collections.abc import Sequence

    from graphql import SelectionNode


def selections(text: str) -> Selections:
    operation = parse(text).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return _build(operation.selection_set.selections)


def _build(nodes: Sequence[SelectionNode]) -> Selections:
    out = Selections()
    for node in nodes:
        if isinstance(node, FieldNode):
            sub = None if node.selection_set is None else _build(node.selection_set.selections)
            out.add_field(
                PlanField(
                    node.name.value, node.alias.value if node.alias else None, tuple(node.arguments or ()), (), sub
                )
            )
        elif isinstance(node, InlineFragmentNode):
            condition = node.type_condition.name.value if node.type_condition else None
            out.fragment(condition).selections.merge(_build(node.selection_set.selections))
    return out


@pytest.mark.parametrize(
    ("ours", "theirs", "conflict"),
    [
        ("{ ... on User { email } }", "{ ... on User { name } }", False),
        ("{ ... on User { name } }", "{ ... on User { name __typename } }", False),
        ("{ ... on User { handle: name } }", "{ ... on User { handle: email } }", True),
        ("{ ... on User { avatar(size: 1) } }", "{ ... on User { avatar(size: 2) } }", True),
        ("{ ... on User { a: f(x: 1, y: 2) } }", "{ ... on User { a: f(y: 2, x: 1) } }", False),
        ("{ ... on User { org { id } } }", "{ ... on User { org { id: name } } }", True),
        ("{ ... on User { org { id } } }", "{ ... on User { org { name } } }", False),
        # Without the schema, one key under different type conditions is not known to be safe.
        ("{ ... on User { x } }", "{ ... on Bot { x } }", True),
    ],
)
def test_conflicts(ours: str, theirs: str, *, conflict: bool) -> None:
    assert selections(ours).conflicts_with(selections(theirs)) is conflict
    assert selections(theirs).conflicts_with(selections(ours)) is conflict


def test_merge_and_response_shape() -> None:
    merged = Selections()
    merged.merge(selections("{ ... on User { name org { id } } }"))
    merged.merge(selections("{ ... on User { email org { title: name } } }"))
    assert merged.print() == "{ ... on User { name org { id title: name } email } }"
    assert merged.response_shape() == (("name", None), ("org", (("id", None), ("title", None))), ("email", None))


def test_a_plain_field_is_added_once_and_as_add_field_would() -> None:
    plain, full = Selections(), Selections()
    for target in (plain, full):
        target.add_field(PlanField("upc", selections=None))
        target.add_field(PlanField("id", alias="key"))
    for name in ("__typename", "upc", "__typename", "id"):
        plain.add_plain_field(name)
        full.add_field(PlanField(name))

    assert plain.print() == full.print() == "{ upc key: id __typename id }"
    assert plain.items == full.items

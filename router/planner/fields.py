"""Small functions over selections and field sets that every planning phase shares."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from graphql import (
    BooleanValueNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNonNull,
    InlineFragmentNode,
    NameNode,
    print_ast,
)

from router.planner.errors import not_normalised
from router.planner.selections import PlanField, Selections
from router.supergraph import parse_field_set

if TYPE_CHECKING:
    from collections.abc import Iterable
    from collections.abc import Sequence as Seq

    from graphql import DirectiveNode, GraphQLOutputType, SelectionNode

CONDITIONAL_DIRECTIVES = frozenset({"skip", "include"})


def fragment_parts(selection: SelectionNode) -> tuple[str | None, tuple[DirectiveNode, ...], Seq[SelectionNode]]:
    """An inline fragment's type condition, ``@skip``/``@include`` and selections; nothing for a field."""
    if isinstance(selection, FragmentSpreadNode):
        raise not_normalised()
    if isinstance(selection, InlineFragmentNode):
        condition = selection.type_condition.name.value if selection.type_condition else None
        return condition, conditionals(selection.directives), selection.selection_set.selections
    return None, (), ()


def deciding(directives: tuple[DirectiveNode, ...]) -> tuple[DirectiveNode, ...]:
    """The conditions that can exclude something: ``@include(if: true)`` and ``@skip(if: false)``
    never do, so they are not carried into other subgraphs' fetches."""
    return tuple(d for d in directives if not _always_includes(d))


def _always_includes(directive: DirectiveNode) -> bool:
    argument = directive.arguments[0].value if directive.arguments else None
    if not isinstance(argument, BooleanValueNode):
        return False
    return argument.value is (directive.name.value == "include")


def conditionals(directives: Iterable[DirectiveNode] | None) -> tuple[DirectiveNode, ...]:
    if not directives:  # most fields have none: no generator to run for every field planned
        return ()
    return tuple(d for d in directives or () if d.name.value in CONDITIONAL_DIRECTIVES)


def copy_field(node: FieldNode, *, with_selections: bool) -> PlanField:
    return PlanField(
        name=node.name.value,
        alias=node.alias.value if node.alias else None,
        arguments=tuple(node.arguments or ()),
        directives=conditionals(node.directives),
        selections=Selections() if with_selections else None,
    )


def type_suffix(type_string: str) -> str:
    return type_string.replace("!", "_nonnull").replace("[", "list_").replace("]", "")


def add_field_set(target: Selections, selections: Seq[SelectionNode]) -> None:
    for selection in selections:
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else None
            add_field_set(target.fragment(condition).selections, selection.selection_set.selections)
            continue
        if not isinstance(selection, FieldNode):
            continue
        if not (selection.selection_set or selection.alias or selection.arguments or selection.directives):
            target.add_plain_field(selection.name.value)  # a key field, usually there already
            continue
        added = target.add_field(copy_field(selection, with_selections=selection.selection_set is not None))
        if selection.selection_set is not None and added.selections is not None:
            add_field_set(added.selections, selection.selection_set.selections)


def alias_arguments(selections: Seq[SelectionNode]) -> tuple[SelectionNode, ...]:
    """Required fields with arguments, aliased: the client may ask for the same field with other
    arguments at the same place, and one request cannot hold both under one response key."""
    out: list[SelectionNode] = []
    for selection in selections:
        if isinstance(selection, FieldNode) and selection.arguments:
            digest = hashlib.sha1(print_ast(selection).encode(), usedforsecurity=False).hexdigest()[:8]
            alias = NameNode(value=f"kcp_requires_{selection.name.value}_{digest}")
            selection = replace(selection, alias=alias)  # noqa: PLW2901 - the aliased copy replaces it
        out.append(selection)
    return tuple(out)


def provided_tree(selections: Seq[SelectionNode]) -> dict[str, Any]:
    """A ``@provides`` field set as nested names (fragments folded in)."""
    tree: dict[str, Any] = {}
    for selection in selections:
        if isinstance(selection, FieldNode):
            sub = provided_tree(selection.selection_set.selections) if selection.selection_set else {}
            tree[selection.name.value] = {**tree.get(selection.name.value, {}), **sub}
        elif isinstance(selection, InlineFragmentNode):
            tree.update(provided_tree(selection.selection_set.selections))
    return tree


def top_level(field_set: str) -> list[str]:
    return [s.name.value for s in parse_field_set(field_set).selections if isinstance(s, FieldNode)]


def list_steps(field_type: GraphQLOutputType) -> tuple[str, ...]:
    steps: list[str] = []
    current: object = field_type
    while isinstance(current, GraphQLNonNull | GraphQLList):
        if isinstance(current, GraphQLList):
            steps.append("@")
        current = current.of_type
    return tuple(steps)

"""The canonical form of a normalised operation: what planning and validation depend on, nothing more.

Two documents that differ only in their aliases, fragment names, spread-or-inline fragments, field
order or operation name select the same data, so they share one canonical operation: each field
answers under its *canonical key* (its name, or its name and a digest of its arguments when it
has some), every selection set is sorted, duplicates are dropped. The plan cache is keyed by it
(``router.pipeline.plan``), and validation runs once per canonical operation (``router.documents``).

The client's answer keys are untouched: the plan of the canonical operation fills the response
tree under canonical keys, and shaping reads each of the client's fields from its canonical key
and writes it under the key the client asked for (``router.shaping``); error paths are translated
back (``client_paths``).

Only queries have a canonical form (a mutation's fields run in the order written, each of them),
and not every query: when two fields would share a canonical key with different types (possible
only across type conditions), or the query selects introspection fields, ``canonicalise`` returns
``None`` and the operation is planned and validated as written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graphql import (
    FieldNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    InlineFragmentNode,
    NameNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    print_ast,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from graphql import GraphQLCompositeType, GraphQLSchema, SelectionNode

# 128 bits: two different argument lists under one canonical key would merge two fields into one
# and answer one with the other's data. At 40 bits (10 characters) such a pair could be found
# offline in about a million tries; at 128 it cannot.
DIGEST_CHARACTERS = 32
TYPENAME = "__typename"


@dataclass(frozen=True, slots=True)
class Canonical:
    """An operation's canonical form, and whether the client's own response keys are consistent.

    ``keys_consistent``: every response key of the client's operation names one field (same name,
    arguments and type wherever the key appears in one selection set), which with the canonical
    operation valid makes the client's operation valid on the points its aliases could change.
    """

    key: str
    definition: OperationDefinitionNode
    keys_consistent: bool


def canonical_key(field: FieldNode) -> str:
    """The key a field answers under in the canonical operation."""
    if not field.arguments:
        return field.name.value
    return f"{field.name.value}_{_digest(_arguments_text(field))}"


def canonicalise(schema: GraphQLSchema, operation: OperationDefinitionNode) -> Canonical | None:
    """The canonical form of a normalised (fragment-free), valid-looking operation, or ``None``."""
    root = schema.get_root_type(operation.operation)
    # Queries only: a mutation's root fields run in the order written, each one (two identical
    # ones are two writes), and subscriptions are refused anyway.
    if root is None or operation.operation is not OperationType.QUERY:
        return None
    checked = _Check(schema)
    if not checked.level([(operation.selection_set, root)]):
        return None
    selection_set, text = _Canonical(schema).selection_set(operation.selection_set, root)
    head = operation.operation.value
    if operation.variable_definitions:
        head += "(" + ",".join(print_ast(v) for v in operation.variable_definitions) + ")"
    head += _directives_text(operation.directives)
    definition = OperationDefinitionNode(
        operation=operation.operation,
        name=None,
        variable_definitions=operation.variable_definitions,
        directives=operation.directives,
        selection_set=selection_set,
    )
    key = hashlib.sha256((head + text).encode("utf-8", "surrogatepass")).hexdigest()
    return Canonical(key, definition, checked.keys_consistent)


def client_paths(operation: OperationDefinitionNode, path: Sequence[str | int]) -> list[list[str | int]]:
    """A response path in canonical keys (an error's, from the plan) in the client's keys: one path
    per response key of the client's that selects the failing field, since the client's fields
    with one canonical key share one answer (``node`` and ``a4_node: node`` both fail when the
    field under them does, where both selected it). A path no client field matches is kept as is."""
    found = _client_paths([operation.selection_set], path, 0, [])
    return found or [list(path)]


def _client_paths(
    selection_sets: list[SelectionSetNode], path: Sequence[str | int], index: int, prefix: list[str | int]
) -> list[list[str | int]]:
    if index == len(path):
        return [prefix]
    step = path[index]
    if isinstance(step, int):
        return _client_paths(selection_sets, path, index + 1, [*prefix, step])
    by_client_key: dict[str, list[SelectionSetNode]] = {}
    for field in _fields(selection_sets):
        if canonical_key(field) == step:
            inner = by_client_key.setdefault(field.alias.value if field.alias else field.name.value, [])
            if field.selection_set is not None:
                inner.append(field.selection_set)
    found: list[list[str | int]] = []
    for client_key, inner in by_client_key.items():
        found.extend(_client_paths(inner, path, index + 1, [*prefix, client_key]))
    return found


def _fields(selection_sets: Sequence[SelectionSetNode]) -> list[FieldNode]:
    found: list[FieldNode] = []
    for selection_set in selection_sets:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                found.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                found.extend(_fields([selection.selection_set]))
    return found


class _Check:
    """Walks merged selection sets: canonical keys must name one type, client keys one field."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema
        self.keys_consistent = True

    def level(self, selection_sets: list[tuple[SelectionSetNode, GraphQLCompositeType]]) -> bool:
        fields: list[tuple[FieldNode, GraphQLCompositeType]] = []
        for selection_set, parent in selection_sets:
            if not self._flatten(selection_set.selections, parent, fields):
                return False
        by_canonical: dict[str, tuple[str, list[tuple[SelectionSetNode, GraphQLCompositeType]]]] = {}
        by_client: dict[str, tuple[str, str]] = {}
        for field, parent in fields:
            name = field.name.value
            if name == TYPENAME:
                field_type, named = "String!", None
            else:
                definition = (
                    parent.fields.get(name) if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType) else None
                )
                if definition is None:
                    return False  # an unknown field (or introspection): validation will say so
                field_type, named = str(definition.type), get_named_type(definition.type)
            key = canonical_key(field)
            seen = by_canonical.get(key)
            if seen is None:
                seen = by_canonical[key] = (field_type, [])
            elif seen[0] != field_type:
                return False
            if field.selection_set is not None and named is not None:
                seen[1].append((field.selection_set, named))
            client_key = field.alias.value if field.alias else name
            known = by_client.setdefault(client_key, (key, field_type))
            if known != (key, field_type):
                self.keys_consistent = False
        return all(self.level(below) for _, below in by_canonical.values() if below)

    def _flatten(
        self,
        selections: Sequence[SelectionNode],
        parent: GraphQLCompositeType,
        fields: list[tuple[FieldNode, GraphQLCompositeType]],
    ) -> bool:
        for selection in selections:
            if isinstance(selection, FieldNode):
                fields.append((selection, parent))
            elif isinstance(selection, InlineFragmentNode):
                condition = parent
                if selection.type_condition is not None:
                    named = self.schema.get_type(selection.type_condition.name.value)
                    if named is None:
                        return False
                    condition = named  # type: ignore[assignment]  # validation checks it is composite
                if not self._flatten(selection.selection_set.selections, condition, fields):
                    return False
            else:
                return False  # a fragment spread: the operation is not normalised
        return True


class _Canonical:
    """Builds the canonical selection sets (on an operation ``_Check`` found consistent)."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema

    def selection_set(
        self, selection_set: SelectionSetNode, parent: GraphQLCompositeType
    ) -> tuple[SelectionSetNode, str]:
        """The selection set sorted, deduplicated and with canonical aliases, and its text."""
        children: dict[str, SelectionNode] = {}
        for selection in self._flattened(selection_set.selections, parent):
            node, text = self.selection(selection, parent)
            children.setdefault(text, node)
        ordered = sorted(children)
        return SelectionSetNode(selections=tuple(children[text] for text in ordered)), "{" + " ".join(ordered) + "}"

    def _flattened(self, selections: Sequence[SelectionNode], parent: GraphQLCompositeType) -> list[SelectionNode]:
        """The selections with every inline fragment that changes nothing (no directive, no
        condition or the parent's own type) replaced by its selections: a spread of a fragment on
        the same type as where it is spread selects just what its fields do."""
        flat: list[SelectionNode] = []
        for selection in selections:
            if (
                isinstance(selection, InlineFragmentNode)
                and not selection.directives
                and (selection.type_condition is None or selection.type_condition.name.value == parent.name)
            ):
                flat.extend(self._flattened(selection.selection_set.selections, parent))
            else:
                flat.append(selection)
        return flat

    def selection(self, selection: SelectionNode, parent: GraphQLCompositeType) -> tuple[SelectionNode, str]:
        directives = _directives_text(selection.directives)
        if isinstance(selection, FieldNode):
            key = canonical_key(selection)
            name = selection.name.value
            inner, inner_text = None, ""
            if selection.selection_set is not None:
                field_type = get_named_type(parent.fields[name].type)  # type: ignore[union-attr]  # checked
                inner, inner_text = self.selection_set(selection.selection_set, field_type)  # type: ignore[arg-type]
            arguments = _arguments_text(selection) if selection.arguments else ""
            if inner is None and selection.alias is None and key == name:
                # Already canonical (no alias to drop, no arguments, nothing below to sort): kept
                # as it is rather than copied, which was half of building a canonical operation.
                return selection, f"{key}:{name}{directives}"
            node = FieldNode(
                alias=None if key == name else NameNode(value=key), name=selection.name,
                arguments=selection.arguments, directives=selection.directives, selection_set=inner,
            )  # fmt: skip
            return node, f"{key}:{name}{arguments}{directives}{inner_text}"
        assert isinstance(selection, InlineFragmentNode)  # noqa: S101 - a normalised operation has no spreads
        condition = parent
        if selection.type_condition is not None:
            condition = self.schema.get_type(selection.type_condition.name.value)  # type: ignore[assignment]  # checked
        inner_set, inner_text = self.selection_set(selection.selection_set, condition)
        fragment = InlineFragmentNode(
            type_condition=selection.type_condition, directives=selection.directives, selection_set=inner_set
        )
        return fragment, f"...{condition.name}{directives}{inner_text}"


def _arguments_text(field: FieldNode) -> str:
    return "(" + ",".join(print_ast(argument) for argument in field.arguments or ()) + ")"


def _directives_text(directives: Sequence[object] | None) -> str:
    if not directives:  # most selections: no generator to run for each
        return ""
    return "".join(print_ast(directive) for directive in directives)  # type: ignore[arg-type]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:DIGEST_CHARACTERS]

"""An estimate of what an operation will make the subgraphs do, checked against a budget.

Each object (composite) field costs one per object it may return; a list multiplies what is
below it by its size — the ``first``/``last``/``limit`` argument when given (literal or
variable), else ``DEFAULT_LIST_SIZE``. Scalars are free: they come with their object.
``products(first: 50) { knownIssues { solutions { articles { id } } } }`` thus costs
50 + 500 + 5,000 + 50,000: the figure grows the way the work does. The estimate is linear in the
document (each fragment's per-object cost is computed once and multiplied).

A subgraph's ``_entities(representations:)`` is a list of as many objects as representations sent,
so the router's entity batches are costed by their real size where a subgraph checks them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNonNull,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    Undefined,
    VariableNode,
    get_named_type,
    is_composite_type,
    is_interface_type,
    is_object_type,
    value_from_ast,
)

from kcp.edge.refusal import build_error
from kcp.errors import ErrorCode

if TYPE_CHECKING:
    from collections.abc import Mapping

    from graphql import (
        DocumentNode,
        GraphQLArgument,
        GraphQLCompositeType,
        GraphQLField,
        GraphQLOutputType,
        GraphQLSchema,
        OperationDefinitionNode,
        SelectionSetNode,
        ValueNode,
    )

DEFAULT_LIST_SIZE = 10
SIZE_ARGUMENTS = ("first", "last", "limit")
# A list argument whose length is the list's size (the federation ``_entities`` field).
COUNTED_ARGUMENTS = ("representations",)


def _is_list(type_: GraphQLOutputType) -> bool:
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    return isinstance(inner, GraphQLList)


def _list_size(field: FieldNode, definition: GraphQLField, variables: Mapping[str, Any]) -> int:
    """The list's size argument as sent, else its schema default, else ``DEFAULT_LIST_SIZE``."""
    for argument in field.arguments or ():
        value = argument.value
        if argument.name.value in COUNTED_ARGUMENTS:
            counted = _length(value, variables)
            if counted is not None:
                return counted
            continue
        if argument.name.value not in SIZE_ARGUMENTS:
            continue
        if isinstance(value, IntValueNode):
            return max(int(value.value), 0)
        if isinstance(value, VariableNode):
            given = variables.get(value.name.value)
            if isinstance(given, int) and not isinstance(given, bool):
                return max(given, 0)
    for name in SIZE_ARGUMENTS:
        declared = definition.args.get(name)
        default = None if declared is None else _default(declared)
        if isinstance(default, int) and not isinstance(default, bool):
            return max(default, 0)
    return DEFAULT_LIST_SIZE


def _length(value: ValueNode, variables: Mapping[str, Any]) -> int | None:
    """How many items a list argument holds, literal or variable (None: not a list)."""
    if isinstance(value, ListValueNode):
        return len(value.values)
    given = variables.get(value.name.value) if isinstance(value, VariableNode) else None
    return len(given) if isinstance(given, list) else None


def _default(argument: GraphQLArgument) -> Any:
    # graphql-core keeps SDL defaults as syntax (``default_value`` stays Undefined): read that.
    if argument.default_value is not Undefined:
        return argument.default_value
    node = argument.ast_node
    if node is None or node.default_value is None:
        return None
    return value_from_ast(node.default_value, argument.type)


class _Estimate:
    def __init__(
        self,
        schema: GraphQLSchema,
        variables: Mapping[str, Any],
        fragments: Mapping[str, FragmentDefinitionNode],
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.fragments = fragments
        # A normalised document shares one selection set among every spread of a fragment: each is
        # costed once per parent type, so a fragment spread many times costs one walk.
        self.memo: dict[tuple[int, str], int] = {}

    def unit(self, selection_set: SelectionSetNode | None, parent: GraphQLCompositeType) -> int:
        """The cost below one object of type ``parent``."""
        if selection_set is None:
            return 0
        key = (id(selection_set), parent.name)
        known = self.memo.get(key)
        if known is None:
            known = self.memo[key] = self._unit(selection_set, parent)
        return known

    def _unit(self, selection_set: SelectionSetNode, parent: GraphQLCompositeType) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                narrowed = self.schema.get_type(condition.name.value) if condition is not None else parent
                if narrowed is not None and is_composite_type(narrowed):
                    total += self.unit(selection.selection_set, narrowed)
            elif isinstance(selection, FragmentSpreadNode):
                # A subgraph costs documents as sent (the router's are normalised: no spreads left).
                fragment = self.fragments.get(selection.name.value)
                narrowed = None if fragment is None else self.schema.get_type(fragment.type_condition.name.value)
                if fragment is not None and narrowed is not None and is_composite_type(narrowed):
                    total += self.unit(fragment.selection_set, narrowed)
        return total

    def field(self, node: FieldNode, parent: GraphQLCompositeType) -> int:
        name = node.name.value
        if name.startswith("__") or not (is_object_type(parent) or is_interface_type(parent)):
            return 0
        definition = parent.fields.get(name)
        if definition is None:
            return 0
        named = get_named_type(definition.type)
        if not is_composite_type(named):
            return 0
        size = _list_size(node, definition, self.variables) if _is_list(definition.type) else 1
        return size * (1 + self.unit(node.selection_set, named))


def operation_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
    document: DocumentNode | None = None,
) -> int:
    """The estimated cost of a *validated* operation; ``document`` holds its fragments, if any."""
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    fragments = {} if document is None else fragment_definitions(document)
    return _Estimate(schema, variables, fragments).unit(operation.selection_set, root)


def fragment_definitions(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def cost_error(cost: int, budget: int) -> dict[str, Any]:
    message = f"the operation's estimated cost {cost} exceeds the budget of {budget}; ask for smaller pages"
    return build_error(message, ErrorCode.COST_LIMIT_EXCEEDED, limit="cost", maximum=budget, actual=cost)

"""An estimate of what an operation will make the subgraphs do, checked against a budget.

Each object (composite) field costs one per object it may return; a list multiplies what is
below it by its size — the ``first``/``last``/``limit`` argument when given (literal or
variable), else ``DEFAULT_LIST_SIZE``. Scalars are free: they come with their object.
``products(first: 50) { knownIssues { solutions { articles { id } } } }`` thus costs
50 + 500 + 5,000 + 50,000: the figure grows the way the work does. The estimate is linear in the
document (each fragment's per-object cost is computed once and multiplied).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    GraphQLList,
    GraphQLNonNull,
    InlineFragmentNode,
    IntValueNode,
    Undefined,
    VariableNode,
    get_named_type,
    is_composite_type,
    is_interface_type,
    is_object_type,
    value_from_ast,
)

from kcp.errors import ErrorCode
from router.errors import build_error
from router.lru import LruCache
from router.selection_walk import every_selection

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
    )

DEFAULT_LIST_SIZE = 10
SIZE_ARGUMENTS = ("first", "last", "limit")


def _is_list(type_: GraphQLOutputType) -> bool:
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    return isinstance(inner, GraphQLList)


def _list_size(field: FieldNode, definition: GraphQLField, variables: Mapping[str, Any]) -> int:
    """The list's size argument as sent, else its schema default, else ``DEFAULT_LIST_SIZE``."""
    for argument in field.arguments or ():
        if argument.name.value not in SIZE_ARGUMENTS:
            continue
        value = argument.value
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


def _default(argument: GraphQLArgument) -> Any:
    # graphql-core keeps SDL defaults as syntax (``default_value`` stays Undefined): read that.
    if argument.default_value is not Undefined:
        return argument.default_value
    node = argument.ast_node
    if node is None or node.default_value is None:
        return None
    return value_from_ast(node.default_value, argument.type)


class _Estimate:
    def __init__(self, schema: GraphQLSchema, variables: Mapping[str, Any]) -> None:
        self.schema = schema
        self.variables = variables
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


def operation_cost(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Mapping[str, Any]) -> int:
    """The estimated cost of a *validated*, normalised operation."""
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    return _Estimate(schema, variables).unit(operation.selection_set, root)


def size_variables(document: DocumentNode) -> tuple[str, ...]:
    """The variables the document passes as a list size (``first``/``last``/``limit``), sorted."""
    names = {
        argument.value.name.value
        for selection in every_selection(document)
        if isinstance(selection, FieldNode)
        for argument in selection.arguments or ()
        if argument.name.value in SIZE_ARGUMENTS and isinstance(argument.value, VariableNode)
    }
    return tuple(sorted(names))


def _size_value(value: object) -> int | None:
    # What _list_size reads of a variable: an integer, anything else falls back to the default.
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class CostEstimates:
    """Operation costs kept per document, operation and list-size variables' values.

    The estimate depends on the request only through the variables given as list sizes, so a
    query repeated with the same sizes is estimated once (a walk of the whole operation, ~6% of
    the router's CPU per request when it answers from in-flight deduplication).
    """

    def __init__(self, schema: GraphQLSchema, max_size: int) -> None:
        self.schema = schema
        self._size_variables: LruCache[str, tuple[str, ...]] = LruCache(max_size)
        self._costs: LruCache[tuple[str, str | None, tuple[int | None, ...]], int] = LruCache(max_size, name="cost")

    def cost(
        self,
        document_hash: str,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
    ) -> int:
        """``operation_cost`` of a *validated* operation, computed once per distinct list sizes."""
        sizes = self._size_variables.get(document_hash, lambda: size_variables(document))
        name = operation.name.value if operation.name else None
        key = (document_hash, name, tuple(_size_value(variables.get(size)) for size in sizes))
        return self._costs.get(key, lambda: operation_cost(self.schema, operation, variables))


def cost_error(cost: int, budget: int) -> dict[str, Any]:
    message = f"the operation's estimated cost {cost} exceeds the budget of {budget}; ask for smaller pages"
    return build_error(message, ErrorCode.COST_LIMIT_EXCEEDED, limit="cost", maximum=budget, actual=cost)

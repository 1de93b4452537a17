"""Shape the client's response from the merged subgraph JSON, without re-executing resolvers.

Walks the client's operation once: exactly the fields it asked for, under its aliases and in its
order, with ``__typename``, ``@skip``/``@include`` and fragment type conditions applied, and null
propagation per the GraphQL spec (a null non-null field nulls its nearest nullable parent).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLAbstractType,
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    InlineFragmentNode,
    is_leaf_type,
    value_from_ast,
    value_from_ast_untyped,
)
from graphql.type import GraphQLBoolean

from kcp.errors import ErrorCode

if TYPE_CHECKING:
    from collections.abc import Mapping
    from collections.abc import Sequence as Seq

    from graphql import (
        DirectiveNode,
        DocumentNode,
        GraphQLOutputType,
        GraphQLSchema,
        OperationDefinitionNode,
        SelectionNode,
    )

Path = list[str | int]
INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


class _Bubble:
    """A null in a non-null position: the parent must become null."""


BUBBLE = _Bubble()


def shape_response(  # noqa: PLR0913, PLR0917 - the stage's inputs: schema, operation, merged JSON, errors, variables
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    data: Mapping[str, Any],
    errors: list[dict[str, Any]],
    variables: Mapping[str, Any],
    *,
    explained: Seq[Seq[str | int]] = (),
) -> dict[str, Any]:
    """The client's ``data`` (None when a null bubbled to the root); adds errors to ``errors``.

    ``explained`` paths are null for a reason an error already gives, so they get no new error.
    """
    root = schema.get_root_type(operation.operation)
    if root is None:
        return {}
    shaper = _Shaper(schema, document, operation, errors, variables)
    for path in explained:
        shaper.error_prefixes.update(tuple(path[:i]) for i in range(len(path) + 1))
    result = shaper.object(root, data, [operation.selection_set], [])
    return result if isinstance(result, dict) else None  # type: ignore[return-value]


class _Shaper:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        errors: list[dict[str, Any]],
        variables: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.errors = errors
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.defaults = {
            v.variable.name.value: value_from_ast_untyped(v.default_value)
            for v in operation.variable_definitions or ()
            if v.default_value is not None
        }
        self.variables = {**self.defaults, **variables}
        # Every prefix of every error path: a null under an existing error needs no new error.
        self.error_prefixes: set[tuple[str | int, ...]] = set()
        # Error paths themselves: a null below one (fields of an entity that was not found) is
        # explained by it too.
        self.error_paths: set[tuple[str | int, ...]] = set()
        for error in errors:
            path = error.get("path") or ()
            self.error_paths.add(tuple(path))
            for i in range(len(path) + 1):
                self.error_prefixes.add(tuple(path[:i]))

    def object(
        self,
        runtime: GraphQLObjectType | GraphQLInterfaceType,
        source: Mapping[str, Any],
        selection_sets: list[Any],
        path: Path,
    ) -> dict[str, Any] | _Bubble:
        fields: dict[str, list[FieldNode]] = {}
        for selection_set in selection_sets:
            self._collect(runtime, selection_set.selections, fields)
        out: dict[str, Any] = {}
        for key, nodes in fields.items():
            name = nodes[0].name.value
            if name == "__typename":
                out[key] = runtime.name
                continue
            if name in INTROSPECTION_FIELDS and path == []:
                out[key] = source.get(key)
                continue
            field_def = runtime.fields[name]
            value: object = self.value(field_def.type, source.get(key), nodes, [*path, key], runtime.name, name)
            if value is BUBBLE:
                return BUBBLE
            out[key] = value
        return out

    # The spec's CompleteValue, one branch per kind of type; splitting it would hide the recursion.
    def value(  # noqa: C901, PLR0911, PLR0913, PLR0917
        self,
        field_type: GraphQLOutputType,
        value: Any,
        nodes: list[FieldNode],
        path: Path,
        parent_name: str,
        field_name: str,
    ) -> Any:
        if isinstance(field_type, GraphQLNonNull):
            inner = self.value(field_type.of_type, value, nodes, path, parent_name, field_name)
            if inner is None or inner is BUBBLE:
                self._null_error(path, parent_name, field_name)
                return BUBBLE
            return inner
        if value is None:
            return None
        if isinstance(field_type, GraphQLList):
            if not isinstance(value, list):
                return None
            items = []
            for i, item in enumerate(value):
                shaped = self.value(field_type.of_type, item, nodes, [*path, i], parent_name, field_name)
                if shaped is BUBBLE:
                    return None
                items.append(shaped)
            return items
        if is_leaf_type(field_type):
            if isinstance(field_type, GraphQLEnumType) and value not in field_type.values:
                # A value the subgraph knows but the API schema does not (@inaccessible, or an
                # enum another subgraph defines with fewer values): not the client's to see.
                self._error(f"Enum '{field_type.name}' cannot represent value: {value!r}", path)
                return None
            return value
        if not isinstance(value, dict):
            return None
        runtime = self._runtime_type(field_type, value)  # type: ignore[arg-type]
        if runtime is None:
            return None
        selection_sets = [n.selection_set for n in nodes if n.selection_set is not None]
        shaped = self.object(runtime, value, selection_sets, path)
        return None if shaped is BUBBLE else shaped

    def _runtime_type(
        self, field_type: GraphQLObjectType | GraphQLAbstractType, value: Mapping[str, Any]
    ) -> GraphQLObjectType | GraphQLInterfaceType | None:
        if isinstance(field_type, GraphQLObjectType):
            return field_type
        typename = value.get("__typename")
        runtime = self.schema.get_type(str(typename))
        if isinstance(runtime, GraphQLObjectType) and self.schema.is_sub_type(field_type, runtime):
            return runtime
        if typename == field_type.name and isinstance(field_type, GraphQLInterfaceType):
            # From an @interfaceObject subgraph, when the query needed no more than its fields.
            return field_type
        return None

    def _error(self, message: str, path: Path) -> None:
        self.errors.append(
            {"message": message, "path": path, "extensions": {"code": str(ErrorCode.INTERNAL_SERVER_ERROR)}}
        )
        for i in range(len(path) + 1):
            self.error_prefixes.add(tuple(path[:i]))

    def _null_error(self, path: Path, parent_name: str, field_name: str) -> None:
        if tuple(path) in self.error_prefixes or any(tuple(path[:i]) in self.error_paths for i in range(len(path))):
            return
        self.errors.append(
            {
                "message": f"Cannot return null for non-nullable field {parent_name}.{field_name}.",
                "path": path,
                "extensions": {"code": str(ErrorCode.INTERNAL_SERVER_ERROR)},
            }
        )
        for i in range(len(path) + 1):
            self.error_prefixes.add(tuple(path[:i]))

    def _collect(
        self,
        runtime: GraphQLObjectType | GraphQLInterfaceType,
        selections: Seq[SelectionNode],
        fields: dict[str, list[FieldNode]],
    ) -> None:
        for selection in selections:
            if not self._included(selection.directives):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                fields.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition.name.value if selection.type_condition else None
                if self._applies(condition, runtime):
                    self._collect(runtime, selection.selection_set.selections, fields)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None and self._applies(fragment.type_condition.name.value, runtime):
                    self._collect(runtime, fragment.selection_set.selections, fields)

    def _applies(self, condition: str | None, runtime: GraphQLObjectType | GraphQLInterfaceType) -> bool:
        if condition is None or condition == runtime.name:
            return True
        if isinstance(runtime, GraphQLInterfaceType):
            return False
        condition_type = self.schema.get_type(condition)
        return isinstance(condition_type, GraphQLAbstractType) and self.schema.is_sub_type(condition_type, runtime)

    def _included(self, directives: Seq[DirectiveNode] | None) -> bool:
        for directive in directives or ():
            name = directive.name.value
            if name not in ("skip", "include"):
                continue
            condition = self._condition(directive)
            if (name == "skip" and condition) or (name == "include" and not condition):
                return False
        return True

    def _condition(self, directive: DirectiveNode) -> bool:
        for argument in directive.arguments or ():
            if argument.name.value == "if":
                return bool(value_from_ast(argument.value, GraphQLBoolean, self.variables))
        return False

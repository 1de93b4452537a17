"""Shape the client's response from the merged subgraph JSON, without re-executing resolvers.

Walks the client's operation once: exactly the fields it asked for, under its aliases and in its
order, with ``__typename``, ``@skip``/``@include`` and fragment type conditions applied, and null
propagation per the GraphQL spec (a null non-null field nulls its nearest nullable parent).

What to walk is compiled once per operation (``OperationShapes``) and reused by every request: the
fields a selection has for each runtime type (fragments, type conditions and directives applied),
with their types unwrapped. A request then only reads values: the TestQuery of bench/gateways shapes
~390 objects from a handful of (selection, type) pairs, and collecting fields again for each object
was most of the shaping's CPU.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    GraphQLAbstractType,
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    InlineFragmentNode,
    VariableNode,
    value_from_ast,
    value_from_ast_untyped,
)
from graphql.type import GraphQLBoolean

from kcp.errors import ErrorCode
from router.errors import build_error
from router.pipeline.canonical import canonical_key
from router.selection_walk import every_selection

if TYPE_CHECKING:
    from collections.abc import Mapping
    from collections.abc import Sequence as Seq

    from graphql import (
        DirectiveNode,
        DocumentNode,
        GraphQLNamedType,
        GraphQLOutputType,
        GraphQLSchema,
        OperationDefinitionNode,
        SelectionNode,
        SelectionSetNode,
    )

Path = list[str | int]
INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})
CONDITIONAL_DIRECTIVES = ("skip", "include")
# An operation's compiled variants, one per combination of its @skip/@include variables' values.
MAX_VARIANTS = 64

# How a type is completed (the spec's CompleteValue), one kind per branch.
_NON_NULL, _LIST, _SCALAR, _ENUM, _OBJECT, _ABSTRACT = range(6)
# What a field needs: the general walk, or a shortcut for the commonest cases.
_GENERAL, _NULLABLE_SCALAR, _NON_NULL_SCALAR, _TYPENAME, _AS_GIVEN = range(5)
_COPIED = (_NULLABLE_SCALAR, _AS_GIVEN)


class _Bubble:
    """A null in a non-null position: the parent must become null."""


BUBBLE = _Bubble()


class _Type:
    """A field's type, unwrapped once: its kind, the wrapped type, and the named type."""

    __slots__ = ("inner", "kind", "named")

    def __init__(self, kind: int, inner: _Type | None, named: GraphQLNamedType | None) -> None:
        self.kind = kind
        self.inner = inner
        self.named = named

    @classmethod
    def of(cls, field_type: GraphQLOutputType) -> _Type:
        if isinstance(field_type, GraphQLNonNull):
            return cls(_NON_NULL, cls.of(field_type.of_type), None)
        if isinstance(field_type, GraphQLList):
            return cls(_LIST, cls.of(field_type.of_type), None)
        if isinstance(field_type, GraphQLEnumType):
            return cls(_ENUM, None, field_type)
        if isinstance(field_type, GraphQLObjectType):
            return cls(_OBJECT, None, field_type)
        if isinstance(field_type, GraphQLAbstractType):
            return cls(_ABSTRACT, None, field_type)
        return cls(_SCALAR, None, field_type)


class _Selection:
    """The selection sets of one place in the operation, and the fields they have per runtime type."""

    __slots__ = ("by_type", "root", "selection_sets")

    def __init__(self, selection_sets: list[SelectionSetNode], *, root: bool = False) -> None:
        self.selection_sets = selection_sets
        self.root = root
        self.by_type: dict[str, list[_Field]] = {}


class _Field:
    """One response key of a selection for one runtime type."""

    __slots__ = ("key", "name", "parent_name", "read_key", "selection", "shortcut", "type", "value")

    def __init__(  # noqa: PLR0913, PLR0917 - the field, compiled
        self,
        key: str,
        name: str,
        parent_name: str,
        shortcut: int,
        field_type: _Type | None = None,
        selection: _Selection | None = None,
        value: str | None = None,
        read_key: str | None = None,
    ) -> None:
        self.key = key
        # Where the merged answers hold it: the key itself, or its canonical key (OperationShapes).
        self.read_key = key if read_key is None else read_key
        self.name = name
        self.parent_name = parent_name
        self.shortcut = shortcut
        self.type = field_type
        self.selection = selection
        self.value = value  # the __typename answer


class OperationShapes:
    """One operation of one document, compiled for shaping; shared by every request that runs it.

    Which fields a selection has depends on the values of the variables its ``@skip``/``@include``
    read, so there is one compiled variant per combination of those values.
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        *,
        canonical_keys: bool = False,
    ) -> None:
        self.schema = schema
        self.document = document
        self.operation = operation
        # The answers were fetched for the canonical operation: each field is read from its
        # canonical key (router.pipeline.canonical) and written under the client's.
        self.canonical_keys = canonical_keys
        self.defaults = {
            v.variable.name.value: value_from_ast_untyped(v.default_value)
            for v in operation.variable_definitions or ()
            if v.default_value is not None
        }
        self.conditional_variables = tuple(sorted(_conditional_variables(document)))
        self._variants: dict[tuple[Any, ...], _Compiled] = {}

    def compiled(self, variables: Mapping[str, Any]) -> _Compiled:
        """The variant for these variables (compiled on first use)."""
        merged = {**self.defaults, **variables} if self.defaults else variables
        key = tuple(merged.get(name) for name in self.conditional_variables)
        try:
            return self._variants[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable value (a list where a Boolean belongs): not worth keeping
            return _Compiled(self, merged)
        # Only the values the directives read are kept with the variant: not the request's others.
        compiled = _Compiled(self, {name: merged[name] for name in self.conditional_variables if name in merged})
        if len(self._variants) >= MAX_VARIANTS:
            self._variants.clear()
        self._variants[key] = compiled
        return compiled


class _Compiled:
    """An operation's selections with its directives decided; fields are compiled per runtime type on demand."""

    def __init__(self, shapes: OperationShapes, variables: Mapping[str, Any]) -> None:
        self.schema = shapes.schema
        self.variables = variables
        self.canonical_keys = shapes.canonical_keys
        self.root = _Selection([shapes.operation.selection_set], root=True)
        # (abstract type, __typename) -> the runtime type to shape with; only types that exist.
        self._runtime: dict[tuple[str, str], GraphQLObjectType | GraphQLInterfaceType] = {}

    def fields(self, runtime: GraphQLObjectType | GraphQLInterfaceType, selection: _Selection) -> list[_Field]:
        collected: dict[str, list[FieldNode]] = {}
        for selection_set in selection.selection_sets:
            self._collect(runtime, selection_set.selections, collected)
        fields = [self._field(runtime, key, nodes, root=selection.root) for key, nodes in collected.items()]
        selection.by_type[runtime.name] = fields
        return fields

    def _field(
        self, runtime: GraphQLObjectType | GraphQLInterfaceType, key: str, nodes: list[FieldNode], *, root: bool
    ) -> _Field:
        name = nodes[0].name.value
        if name == "__typename":
            return _Field(key, name, runtime.name, _TYPENAME, value=runtime.name)
        if root and name in INTROSPECTION_FIELDS:  # answered by the router itself, already shaped
            return _Field(key, name, runtime.name, _AS_GIVEN)
        read = canonical_key(nodes[0]) if self.canonical_keys else key
        field_type = _Type.of(runtime.fields[name].type)
        if field_type.kind == _SCALAR:
            return _Field(key, name, runtime.name, _NULLABLE_SCALAR, field_type, read_key=read)
        if field_type.kind == _NON_NULL and field_type.inner is not None and field_type.inner.kind == _SCALAR:
            return _Field(key, name, runtime.name, _NON_NULL_SCALAR, field_type, read_key=read)
        selection_sets = [n.selection_set for n in nodes if n.selection_set is not None]
        return _Field(key, name, runtime.name, _GENERAL, field_type, _Selection(selection_sets), read_key=read)

    def runtime_type(
        self, field_type: GraphQLNamedType, value: Mapping[str, Any]
    ) -> GraphQLObjectType | GraphQLInterfaceType | None:
        typename = str(value.get("__typename"))
        known = self._runtime.get((field_type.name, typename))
        if known is not None:
            return known
        runtime = self.schema.get_type(typename)
        found: GraphQLObjectType | GraphQLInterfaceType | None = None
        if (
            isinstance(runtime, GraphQLObjectType)
            and isinstance(field_type, GraphQLAbstractType)
            and self.schema.is_sub_type(field_type, runtime)
        ):
            found = runtime
        elif typename == field_type.name and isinstance(field_type, GraphQLInterfaceType):
            # From an @interfaceObject subgraph, when the query needed no more than its fields.
            found = field_type
        if found is not None:  # only names of the schema's types are kept: a bounded memo
            self._runtime[field_type.name, typename] = found
        return found

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
            # A normalised operation has no fragment spreads (router.pipeline.normalise).

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
            if name not in CONDITIONAL_DIRECTIVES:
                continue
            condition = self._condition(directive)
            if (name == "skip" and condition) or (name == "include" and not condition):
                return False
        return True

    def _condition(self, directive: DirectiveNode) -> bool:
        for argument in directive.arguments or ():
            if argument.name.value == "if":
                return bool(value_from_ast(argument.value, GraphQLBoolean, dict(self.variables)))
        return False


def _conditional_variables(document: DocumentNode) -> set[str]:
    """The variables any ``@skip``/``@include`` of the document reads."""
    return {
        argument.value.name.value
        for selection in every_selection(document)
        for directive in selection.directives or ()
        if directive.name.value in CONDITIONAL_DIRECTIVES
        for argument in directive.arguments or ()
        if isinstance(argument.value, VariableNode)
    }


def shape_response(  # noqa: PLR0913, PLR0917 - the stage's inputs: schema, operation, merged JSON, errors, variables
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    data: Mapping[str, Any],
    errors: list[dict[str, Any]],
    variables: Mapping[str, Any],
    *,
    explained: Seq[Seq[str | int]] = (),
    shapes: OperationShapes | None = None,
) -> dict[str, Any] | None:
    """The client's ``data`` (None when a null bubbled to the root); adds errors to ``errors``.

    ``explained`` paths are null for a reason an error already gives, so they get no new error.
    ``shapes`` is this operation compiled by an earlier request (compiled here when not given).
    """
    root = schema.get_root_type(operation.operation)
    if root is None:
        return {}
    if shapes is None:
        shapes = OperationShapes(schema, document, operation)
    shaper = _Shaper(shapes.compiled(variables), errors)
    for path in explained:
        shaper.error_prefixes.update(tuple(path[:i]) for i in range(len(path) + 1))
    result = shaper.object(root, data, shaper.compiled.root, [])
    return result if isinstance(result, dict) else None


class _Shaper:
    """One request's shaping: the compiled operation read against its data, and its errors."""

    def __init__(self, compiled: _Compiled, errors: list[dict[str, Any]]) -> None:
        self.compiled = compiled
        self.errors = errors
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

    # ``path`` is one list for the whole walk (appended to on the way down, popped on the way up):
    # errors copy it, and no request pays for a path per field.
    def object(
        self,
        runtime: GraphQLObjectType | GraphQLInterfaceType,
        source: Mapping[str, Any],
        selection: _Selection,
        path: Path,
    ) -> dict[str, Any] | _Bubble:
        fields = selection.by_type.get(runtime.name)
        if fields is None:
            fields = self.compiled.fields(runtime, selection)
        out: dict[str, Any] = {}
        for field in fields:
            shortcut = field.shortcut
            if shortcut == _TYPENAME:
                out[field.key] = field.value
                continue
            value = source.get(field.read_key)
            # Leaves are copied as they are (a non-null one unless it is missing): most fields.
            if shortcut in _COPIED or (shortcut == _NON_NULL_SCALAR and value is not None):
                out[field.key] = value
                continue
            path.append(field.key)
            shaped: object = self.value(field.type, value, field, path)  # type: ignore[arg-type]  # set for these shortcuts
            path.pop()
            if shaped is BUBBLE:
                return BUBBLE
            out[field.key] = shaped
        return out

    # The spec's CompleteValue, one branch per kind of type; splitting it would hide the recursion.
    def value(self, field_type: _Type, value: Any, field: _Field, path: Path) -> Any:  # noqa: C901, PLR0911, PLR0912
        kind = field_type.kind
        if kind == _NON_NULL:
            inner = self.value(field_type.inner, value, field, path)  # type: ignore[arg-type]  # wrappers have one
            if inner is None or inner is BUBBLE:
                self._null_error(path, field.parent_name, field.name)
                return BUBBLE
            return inner
        if value is None:
            return None
        if kind == _SCALAR:
            return value
        if kind == _ENUM:
            if value not in field_type.named.values:  # type: ignore[union-attr]  # enums have a named type
                # A value the subgraph knows but the API schema does not (@inaccessible, or an
                # enum another subgraph defines with fewer values): not the client's to see.
                self._error(f"Enum '{field_type.named.name}' cannot represent value: {value!r}", path)  # type: ignore[union-attr]
                return None
            return value
        if kind == _LIST:
            if not isinstance(value, list):
                return None
            item_type: _Type = field_type.inner  # type: ignore[assignment]  # wrappers have one
            if item_type.kind == _OBJECT:
                return self._objects(item_type.named, value, field, path)  # type: ignore[arg-type]  # an object type
            items = []
            for i, item in enumerate(value):
                path.append(i)
                shaped = self.value(item_type, item, field, path)
                path.pop()
                if shaped is BUBBLE:
                    return None
                items.append(shaped)
            return items
        if not isinstance(value, dict):
            return None
        named = field_type.named
        runtime = named if kind == _OBJECT else self.compiled.runtime_type(named, value)  # type: ignore[arg-type]
        if runtime is None:
            return None
        shaped = self.object(runtime, value, field.selection, path)  # type: ignore[arg-type]  # composite fields have one
        return None if shaped is BUBBLE else shaped

    def _objects(self, runtime: GraphQLObjectType, value: list[Any], field: _Field, path: Path) -> list[Any]:
        """A list of nullable objects of one type (the commonest list): ``value`` without a call per item."""
        selection: _Selection = field.selection  # type: ignore[assignment]  # composite fields have one
        items: list[Any] = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                items.append(None)
                continue
            path.append(i)
            shaped = self.object(runtime, item, selection, path)
            path.pop()
            items.append(None if shaped is BUBBLE else shaped)
        return items

    def _error(self, message: str, path: Path) -> None:
        self.errors.append(build_error(message, ErrorCode.INTERNAL_SERVER_ERROR, path))
        for i in range(len(path) + 1):
            self.error_prefixes.add(tuple(path[:i]))

    def _null_error(self, path: Path, parent_name: str, field_name: str) -> None:
        if tuple(path) in self.error_prefixes or any(tuple(path[:i]) in self.error_paths for i in range(len(path))):
            return
        message = f"Cannot return null for non-nullable field {parent_name}.{field_name}."
        self.errors.append(build_error(message, ErrorCode.INTERNAL_SERVER_ERROR, path))
        for i in range(len(path) + 1):
            self.error_prefixes.add(tuple(path[:i]))

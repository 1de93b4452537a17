"""``@authenticated`` and ``@requiresScopes`` from the subgraphs, enforced before execution.

Apollo's semantics: the fields a caller may not see are removed from the operation before it is
planned; the rest runs, the removed fields answer null (nulls bubbling as the spec says), and
each removal is reported as an ``UNAUTHORIZED_FIELD_OR_TYPE`` error at its path. A field is
guarded by its own directives and by those of the type it returns. ``@requiresScopes(scopes:
[["a", "b"], ["c"]])`` is satisfied by holding a and b, or c.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphql import (
    ConstListValueNode,
    DocumentNode,
    FieldNode,
    InlineFragmentNode,
    InterfaceTypeDefinitionNode,
    ListValueNode,
    NamedTypeNode,
    NameNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    get_named_type,
    is_interface_type,
    is_object_type,
    parse,
)

from kcp.errors import ErrorCode
from router.errors import build_error

if TYPE_CHECKING:
    from collections.abc import Mapping

    from graphql import ConstDirectiveNode, GraphQLCompositeType, GraphQLSchema, SelectionNode

    from kcp.identity.caller import Caller


@dataclass(frozen=True, slots=True)
class Requirement:
    authenticated: bool = False
    scopes: tuple[frozenset[str], ...] = ()

    def allows(self, caller: Caller) -> bool:
        if (self.authenticated or self.scopes) and not caller.authenticated:
            return False
        return not self.scopes or any(group <= caller.scopes for group in self.scopes)

    def merged(self, other: Requirement | None) -> Requirement:
        if other is None:
            return self
        return Requirement(self.authenticated or other.authenticated, self.scopes + other.scopes)


def _requirement(directives: tuple[ConstDirectiveNode, ...] | None) -> Requirement | None:
    found: Requirement | None = None
    for directive in directives or ():
        name = directive.name.value
        if name == "authenticated":
            found = Requirement(authenticated=True).merged(found)
        elif name == "requiresScopes":
            for argument in directive.arguments or ():
                if argument.name.value == "scopes" and isinstance(argument.value, ListValueNode | ConstListValueNode):
                    groups = tuple(
                        frozenset(v.value for v in group.values if isinstance(v, StringValueNode))
                        for group in argument.value.values
                        if isinstance(group, ListValueNode | ConstListValueNode)
                    )
                    found = Requirement(scopes=groups).merged(found)
    return found


@dataclass(frozen=True)
class AuthorizationRules:
    fields: Mapping[tuple[str, str], Requirement] = field(default_factory=dict)
    types: Mapping[str, Requirement] = field(default_factory=dict)

    @classmethod
    def from_supergraph(cls, sdl: str) -> AuthorizationRules:
        """The requirements the supergraph's ``@authenticated``/``@requiresScopes`` state."""
        fields: dict[tuple[str, str], Requirement] = {}
        types: dict[str, Requirement] = {}
        for definition in parse(sdl).definitions:
            if not hasattr(definition, "name") or not hasattr(definition, "directives"):
                continue
            type_name = definition.name.value
            own = _requirement(definition.directives)
            if own is not None:
                types[type_name] = own.merged(types.get(type_name))
            if isinstance(definition, ObjectTypeDefinitionNode | ObjectTypeExtensionNode | InterfaceTypeDefinitionNode):
                for field_definition in definition.fields or ():
                    required = _requirement(field_definition.directives)
                    if required is not None:
                        fields[(type_name, field_definition.name.value)] = required
        return cls(fields=fields, types=types)

    def __bool__(self) -> bool:
        return bool(self.fields or self.types)

    def for_field(self, parent: str, name: str, returns: str) -> Requirement | None:
        own = self.fields.get((parent, name))
        of_type = self.types.get(returns)
        return of_type if own is None else own.merged(of_type)


@dataclass(frozen=True)
class Authorized:
    """The operation to plan (unauthorized fields removed) and what was removed, by path."""

    document: DocumentNode
    operation: OperationDefinitionNode
    errors: list[dict[str, Any]]
    removed: tuple[tuple[str, ...], ...]


class _Filter:
    def __init__(self, schema: GraphQLSchema, rules: AuthorizationRules, caller: Caller) -> None:
        self.schema = schema
        self.rules = rules
        self.caller = caller
        self.removed: list[tuple[str, ...]] = []

    def selection_set(
        self, selection_set: SelectionSetNode, parent: GraphQLCompositeType, path: tuple[str, ...]
    ) -> SelectionSetNode:
        kept: list[SelectionNode] = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                kept.extend(self.field(selection, parent, path))
            elif isinstance(selection, InlineFragmentNode):  # a normalised operation has no spreads
                kept.append(self.inline(selection.type_condition, selection.selection_set, selection, parent, path))
        if not kept:
            kept.append(FieldNode(name=NameNode(value="__typename")))  # keeps the set valid
        return SelectionSetNode(selections=tuple(kept))

    def inline(
        self,
        condition: NamedTypeNode | None,
        selection_set: SelectionSetNode,
        origin: SelectionNode,
        parent: GraphQLCompositeType,
        path: tuple[str, ...],
    ) -> InlineFragmentNode:
        narrowed = self.schema.get_type(condition.name.value) if condition is not None else parent
        inner = self.selection_set(selection_set, narrowed or parent, path)  # type: ignore[arg-type]
        return InlineFragmentNode(type_condition=condition, directives=origin.directives, selection_set=inner)

    def field(self, node: FieldNode, parent: GraphQLCompositeType, path: tuple[str, ...]) -> list[FieldNode]:
        name = node.name.value
        key = node.alias.value if node.alias else name
        if name.startswith("__") or not (is_object_type(parent) or is_interface_type(parent)):
            return [node]
        definition = parent.fields.get(name)
        if definition is None:
            return [node]
        returns = get_named_type(definition.type)
        required = self.rules.for_field(parent.name, name, returns.name)
        if required is not None and not required.allows(self.caller):
            self.removed.append((*path, key))
            return []
        if node.selection_set is None:
            return [node]
        inner = self.selection_set(node.selection_set, returns, (*path, key))
        return [
            FieldNode(
                alias=node.alias,
                name=node.name,
                arguments=node.arguments,
                directives=node.directives,
                selection_set=inner,
            )
        ]


def authorize(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    caller: Caller,
    rules: AuthorizationRules,
) -> Authorized:
    """The operation with the fields ``caller`` may not see removed (unchanged when none are)."""
    root = schema.get_root_type(operation.operation)
    if not rules or root is None:
        return Authorized(document, operation, [], ())
    walk = _Filter(schema, rules, caller)
    filtered_selection = walk.selection_set(operation.selection_set, root, ())
    if not walk.removed:
        return Authorized(document, operation, [], ())
    filtered = OperationDefinitionNode(
        operation=operation.operation,
        name=operation.name,
        variable_definitions=operation.variable_definitions,
        directives=operation.directives,
        selection_set=filtered_selection,
    )
    errors = [
        build_error("Unauthorized field or type", ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE, path) for path in walk.removed
    ]
    return Authorized(DocumentNode(definitions=(filtered,)), filtered, errors, tuple(walk.removed))

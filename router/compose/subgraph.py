"""Composition, step 1: read one subgraph's SDL into its types, fields and federation directives.

``read_subgraph`` keeps what composition needs of each type (kind, keys, fields with their
``@external``/``@requires``/``@provides``/``@shareable``/``@override``, access directives) and
drops what every Federation subgraph adds for the router (``_entities``, ``_service``, ``_Any``...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graphql import (
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    FieldNode,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ListTypeNode,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    parse,
    print_ast,
    value_from_ast_untyped,
)

from router.supergraph import SupergraphError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from graphql import (
        ConstDirectiveNode,
        DocumentNode,
        InputValueDefinitionNode,
        Node,
        SelectionSetNode,
        TypeNode,
    )

# Types and root fields every Federation subgraph adds for the router; they are not API.
FEDERATION_TYPES = frozenset({"_Any", "_Entity", "_Service", "_FieldSet", "FieldSet", "link__Import", "link__Purpose"})
FEDERATION_ROOT_FIELDS = frozenset({"_entities", "_service"})
ROOT_KINDS = ("query", "mutation", "subscription")
DEFAULT_ROOTS = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}


class CompositionError(SupergraphError):
    """The subgraphs do not compose; ``problems`` lists every reason, each naming its subgraphs."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("composition failed:\n- " + "\n- ".join(self.problems))


@dataclass(slots=True)
class Access:
    """``@authenticated`` and ``@requiresScopes`` of one element, as the router enforces them."""

    authenticated: bool = False
    # Alternatives: holding every scope of any one group is enough.
    scopes: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def of(cls, node: Node) -> Access:
        groups: list[tuple[str, ...]] = []
        for directive in find(node, "requiresScopes"):
            raw = directive.get("scopes")
            listed = raw if isinstance(raw, list) else []
            groups.extend(tuple(str(scope) for scope in group) for group in listed if isinstance(group, list))
        return cls(authenticated=bool(find(node, "authenticated")), scopes=tuple(groups))

    def both(self, other: Access) -> Access:
        """What two subgraphs' requirements demand together: each group of one with each of the other."""
        if not self.scopes or not other.scopes:
            scopes = self.scopes or other.scopes
        else:
            scopes = tuple(tuple(dict.fromkeys(a + b)) for a in self.scopes for b in other.scopes)
        return Access(self.authenticated or other.authenticated, tuple(dict.fromkeys(scopes)))

    def directives(self) -> list[str]:
        printed = ["@authenticated"] if self.authenticated else []
        if self.scopes:
            groups = ", ".join("[" + ", ".join(quote(scope) for scope in group) + "]" for group in self.scopes)
            printed.append(f"@requiresScopes(scopes: [{groups}])")
        return printed


@dataclass(slots=True)
class Field:
    name: str
    type_node: TypeNode
    arguments: tuple[InputValueDefinitionNode, ...] = ()
    description: str | None = None
    shareable: bool = False
    external: bool = False
    inaccessible: bool = False
    requires: str | None = None
    provides: str | None = None
    override: str | None = None
    deprecated: ConstDirectiveNode | None = None
    default_value: str | None = None
    access: Access = field(default_factory=Access)

    @property
    def type_str(self) -> str:
        return print_ast(self.type_node)


@dataclass(slots=True)
class Type:
    name: str
    kind: str
    description: str | None = None
    extension: bool = False
    shareable: bool = False
    inaccessible: bool = False
    access: Access = field(default_factory=Access)
    keys: list[tuple[str, bool]] = field(default_factory=list)
    fields: dict[str, Field] = field(default_factory=dict)
    interfaces: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    values: dict[str, Field] = field(default_factory=dict)


@dataclass(slots=True)
class Subgraph:
    name: str
    url: str
    types: dict[str, Type]

    @property
    def graph_enum(self) -> str:
        return graph_enum(self.name)


def graph_enum(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name).upper()


# --- reading one subgraph ---------------------------------------------------------------------


def _fed_name(directive: ConstDirectiveNode) -> str:
    # Federation directives may be used unimported as @federation__key.
    return directive.name.value.removeprefix("federation__")


def _args(directive: ConstDirectiveNode) -> dict[str, object]:
    return {a.name.value: value_from_ast_untyped(a.value) for a in directive.arguments or ()}


def find(node: Node, name: str) -> list[dict[str, object]]:
    found: Sequence[ConstDirectiveNode] = getattr(node, "directives", None) or ()
    return [_args(d) for d in found if _fed_name(d) == name]


def find_node(node: Node, name: str) -> ConstDirectiveNode | None:
    found: Sequence[ConstDirectiveNode] = getattr(node, "directives", None) or ()
    return next((d for d in found if d.name.value == name), None)


def description_of(node: Node) -> str | None:
    desc = getattr(node, "description", None)
    return None if desc is None else str(desc.value)


def read_subgraph(name: str, url: str, document: DocumentNode) -> Subgraph:
    roots = dict(DEFAULT_ROOTS)
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            for op in definition.operation_types or ():
                roots[op.operation.value] = op.type.name.value
    renamed = {type_name: DEFAULT_ROOTS[kind] for kind, type_name in roots.items()}
    types: dict[str, Type] = {}
    for definition in document.definitions:
        type_name = getattr(getattr(definition, "name", None), "value", None)
        if type_name is None or type_name in FEDERATION_TYPES or type_name.startswith("federation__"):
            continue
        kind = _kind(definition)
        if kind is None:
            continue
        type_name = renamed.get(type_name, type_name)
        current = types.setdefault(type_name, Type(name=type_name, kind=kind))
        _read_type(current, definition, is_root=type_name in DEFAULT_ROOTS.values())
    # A subgraph whose Query only had _entities/_service does not contribute a Query type.
    for root in DEFAULT_ROOTS.values():
        if root in types and not types[root].fields:
            del types[root]
    return Subgraph(name=name, url=url, types=types)


def _kind(definition: Node) -> str | None:
    kinds: tuple[tuple[tuple[type, ...], str], ...] = (
        ((ObjectTypeDefinitionNode, ObjectTypeExtensionNode), "type"),
        ((InterfaceTypeDefinitionNode, InterfaceTypeExtensionNode), "interface"),
        ((UnionTypeDefinitionNode, UnionTypeExtensionNode), "union"),
        ((EnumTypeDefinitionNode, EnumTypeExtensionNode), "enum"),
        ((InputObjectTypeDefinitionNode, InputObjectTypeExtensionNode), "input"),
        ((ScalarTypeDefinitionNode, ScalarTypeExtensionNode), "scalar"),
    )
    for classes, kind in kinds:
        if isinstance(definition, classes):
            return kind
    return None


def _read_type(current: Type, definition: Node, *, is_root: bool) -> None:
    current.description = current.description or description_of(definition)
    current.extension = current.extension or "Extension" in type(definition).__name__
    current.shareable = current.shareable or bool(find(definition, "shareable"))
    current.inaccessible = current.inaccessible or bool(find(definition, "inaccessible"))
    current.access = current.access.both(Access.of(definition))
    for key in find(definition, "key"):
        current.keys.append((str(key["fields"]), key.get("resolvable", True) is not False))
    current.interfaces.extend(i.name.value for i in getattr(definition, "interfaces", None) or ())
    current.members.extend(t.name.value for t in getattr(definition, "types", None) or ())
    for value in getattr(definition, "values", None) or ():
        current.values[value.name.value] = Field(
            name=value.name.value,
            type_node=value.type if hasattr(value, "type") else _NO_TYPE,
            description=description_of(value),
            inaccessible=bool(find(value, "inaccessible")),
            deprecated=find_node(value, "deprecated"),
            default_value=print_ast(value.default_value) if getattr(value, "default_value", None) is not None else None,
        )
    for node in getattr(definition, "fields", None) or ():
        if is_root and node.name.value in FEDERATION_ROOT_FIELDS:
            continue
        requires = find(node, "requires")
        provides = find(node, "provides")
        override = find(node, "override")
        current.fields[node.name.value] = Field(
            name=node.name.value,
            type_node=node.type,
            # Input object fields are InputValueDefinitions: no arguments, maybe a default.
            arguments=tuple(getattr(node, "arguments", None) or ()),
            default_value=print_ast(node.default_value) if getattr(node, "default_value", None) is not None else None,
            description=description_of(node),
            shareable=bool(find(node, "shareable")),
            external=bool(find(node, "external")),
            inaccessible=bool(find(node, "inaccessible")),
            requires=str(requires[0]["fields"]) if requires else None,
            provides=str(provides[0]["fields"]) if provides else None,
            override=str(override[0]["from"]) if override else None,
            deprecated=find_node(node, "deprecated"),
            access=Access.of(node),
        )


# Enum values have no type; a placeholder keeps Field one shape for fields, values and inputs.
_NO_TYPE = parse("{ a }").definitions[0].selection_set.selections[0]  # type: ignore[attr-defined]


# --- merging ----------------------------------------------------------------------------------


def is_subtype(narrow: TypeNode, wide: TypeNode) -> bool:
    """Whether every value of ``narrow`` is a value of ``wide``: the same named type and list
    nesting, where ``T!`` fits ``T`` but not the other way round."""
    if isinstance(wide, NonNullTypeNode):
        return isinstance(narrow, NonNullTypeNode) and is_subtype(narrow.type, wide.type)
    if isinstance(narrow, NonNullTypeNode):
        return is_subtype(narrow.type, wide)
    if isinstance(wide, ListTypeNode) or isinstance(narrow, ListTypeNode):
        return (
            isinstance(wide, ListTypeNode) and isinstance(narrow, ListTypeNode) and is_subtype(narrow.type, wide.type)
        )
    return print_ast(narrow) == print_ast(wide)


def top_level_fields(selection_set: SelectionSetNode) -> list[str]:
    return [s.name.value for s in selection_set.selections if isinstance(s, FieldNode)]


def quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

"""Load a supergraph SDL (ours or Apollo's, join v0.2 to v0.5) into a typed model and an API schema.

The model answers the planner's only questions — which subgraphs define a type, with which keys,
and which subgraphs can resolve a field — so the planner never reads directives itself.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graphql import (
    DirectiveDefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLUnionType,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    SelectionSetNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    build_ast_schema,
    parse,
    value_from_ast_untyped,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from graphql import ConstDirectiveNode, GraphQLSchema, Node

# Directives that belong to the API schema; every other directive is federation machinery.
API_DIRECTIVES = frozenset({"deprecated", "specifiedBy", "oneOf"})
INTERNAL_TYPE_PREFIXES = ("join__", "link__", "requiresScopes__", "policy__")

TypeDefinition = (
    ObjectTypeDefinitionNode
    | ObjectTypeExtensionNode
    | InterfaceTypeDefinitionNode
    | InterfaceTypeExtensionNode
    | UnionTypeDefinitionNode
    | UnionTypeExtensionNode
    | EnumTypeDefinitionNode
    | EnumTypeExtensionNode
    | InputObjectTypeDefinitionNode
    | InputObjectTypeExtensionNode
    | ScalarTypeDefinitionNode
    | ScalarTypeExtensionNode
)
TYPE_DEFINITION_CLASSES = (
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
)


class SupergraphError(Exception):
    """The supergraph SDL cannot be used; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class SubgraphInfo:
    """One subgraph: its name, its ``join__Graph`` enum value and its routing URL."""

    name: str
    graph_enum: str
    url: str


@dataclass(frozen=True, slots=True)
class EntityKey:
    """One ``@key`` of a type in one subgraph."""

    subgraph: str
    fields: str
    resolvable: bool


@dataclass(frozen=True, slots=True)
class FieldJoin:
    """How one subgraph knows one field."""

    subgraph: str
    requires: str | None = None
    provides: str | None = None
    external: bool = False
    # The field's type in this subgraph when it differs from the supergraph's (``type: "Book"``).
    type: str | None = None
    # Overridden by another subgraph (progressive @override): present but no longer resolved here.
    used_overridden: bool = False

    @property
    def resolvable(self) -> bool:
        return not self.external and not self.used_overridden


@dataclass(slots=True)
class FieldInfo:
    """A field of a composite type and the subgraphs that know it."""

    name: str
    joins: dict[str, FieldJoin] = field(default_factory=dict)
    # A bare ``@join__field``: an @interfaceObject subgraph resolves it for this type.
    from_interface_object: bool = False


@dataclass(slots=True)
class TypeInfo:
    """A named type of the supergraph and where it lives."""

    name: str
    kind: str
    subgraphs: list[str] = field(default_factory=list)
    keys: list[EntityKey] = field(default_factory=list)
    fields: dict[str, FieldInfo] = field(default_factory=dict)
    # Per subgraph: the interfaces this type implements there (``@join__implements``).
    implements: dict[str, set[str]] = field(default_factory=dict)
    # Per subgraph: the members a union has there (``@join__unionMember``).
    members: dict[str, set[str]] = field(default_factory=dict)
    # Subgraphs that know this interface only as an ``@interfaceObject`` (an object type there).
    interface_object_in: set[str] = field(default_factory=set)


@dataclass(slots=True)
class Supergraph:
    """The typed supergraph: subgraphs, types, field ownership, and the client-facing API schema."""

    sdl: str
    subgraphs: dict[str, SubgraphInfo]
    types: dict[str, TypeInfo]
    api_schema: GraphQLSchema
    root_types: dict[str, str]
    # The API schema with ``@inaccessible`` elements kept: keys and ``@requires`` may use them.
    planning_schema: GraphQLSchema

    def possible_types_in(self, abstract: str, subgraph: str) -> list[str]:
        """The object types ``subgraph`` may return where it returns ``abstract``, in schema order."""
        info = self.types.get(abstract)
        if info is None:
            return []
        if info.kind.startswith("Union"):
            if subgraph in info.members:
                return [m for m in self._possible(abstract) if m in info.members[subgraph]]
            return [m for m in self._possible(abstract) if subgraph in self.types.get(m, info).subgraphs]
        found: list[str] = []
        for name in self._possible(abstract):
            member = self.types.get(name)
            if member is None or subgraph not in member.subgraphs:
                continue
            if not member.implements or abstract in member.implements.get(subgraph, set()):
                found.append(name)
        return found

    def _possible(self, abstract: str) -> list[str]:
        abstract_type = self.planning_schema.get_type(abstract)
        if not isinstance(abstract_type, GraphQLInterfaceType | GraphQLUnionType):
            return []
        return [t.name for t in self.planning_schema.get_possible_types(abstract_type)]

    def entity_type_in(self, type_name: str, subgraph: str) -> str:
        """The type an entity fetch to ``subgraph`` names for objects of ``type_name``: the type
        itself, or the interface that ``subgraph`` knows as an ``@interfaceObject``."""
        info = self.types.get(type_name)
        if info is None or subgraph in info.subgraphs:
            return type_name
        object_type = self.planning_schema.get_type(type_name)
        for interface in getattr(object_type, "interfaces", ()):
            if self.is_interface_object(interface.name, subgraph):
                return str(interface.name)
        return type_name

    def is_interface_object(self, type_name: str, subgraph: str) -> bool:
        info = self.types.get(type_name)
        return info is not None and subgraph in info.interface_object_in

    def field_join(self, type_name: str, field_name: str, subgraph: str) -> FieldJoin | None:
        """How ``subgraph`` knows ``type_name.field_name``, or None when it does not."""
        info = self.types.get(type_name)
        if info is None:
            return None
        field_info = info.fields.get(field_name)
        if field_info is None:
            return None
        return field_info.joins.get(subgraph)

    def can_resolve(self, type_name: str, field_name: str, subgraph: str) -> bool:
        join = self.field_join(type_name, field_name, subgraph)
        return join is not None and join.resolvable

    def resolvers(self, type_name: str, field_name: str) -> list[str]:
        """Subgraphs that can resolve the field, in supergraph order."""
        info = self.types.get(type_name)
        if info is None or field_name not in info.fields:
            return []
        joins = info.fields[field_name].joins
        return [name for name in self.subgraphs if name in joins and joins[name].resolvable]

    def resolvable_keys(self, type_name: str, subgraph: str) -> list[EntityKey]:
        info = self.types.get(type_name)
        if info is None:
            return []
        return [k for k in info.keys if k.subgraph == subgraph and k.resolvable]

    def is_entity(self, type_name: str) -> bool:
        info = self.types.get(type_name)
        return info is not None and bool(info.keys)


# The planner reads the supergraph's key, @requires and @provides field sets for every entity
# hop of every plan: parsing them each time was a fifth of a cold plan. They come from supergraphs,
# not from clients, so the cache holds a few hundred entries; its bound only guards a router that
# installs many supergraphs over its life. Callers never modify the nodes.
FIELD_SET_CACHE_SIZE = 4096


@functools.lru_cache(maxsize=FIELD_SET_CACHE_SIZE)
def parse_field_set(fields: str) -> SelectionSetNode:
    """Parse a ``FieldSet`` string (``"id"``, ``"id owner { id }"``) into a selection set (cached)."""
    try:
        document = parse(f"{{ {fields} }}", no_location=True)
    except GraphQLError as exc:
        msg = f"invalid field set {fields!r}: {exc.message}"
        raise SupergraphError(msg) from exc
    operation = document.definitions[0]
    return operation.selection_set  # type: ignore[attr-defined,no-any-return]


def load_supergraph_file(path: Path) -> Supergraph:
    return load_supergraph(path.read_text(encoding="utf-8"))


def load_supergraph(sdl: str) -> Supergraph:
    """Read a supergraph SDL in Apollo's format into a :class:`Supergraph`."""
    try:
        document = parse(sdl)
    except GraphQLError as exc:
        msg = f"the supergraph SDL does not parse: {exc.message}"
        raise SupergraphError(msg) from exc

    subgraphs = _read_graphs(document)
    by_enum = {info.graph_enum: info.name for info in subgraphs.values()}
    root_types = _read_root_types(document)
    types: dict[str, TypeInfo] = {}
    for definition in document.definitions:
        if not isinstance(definition, TYPE_DEFINITION_CLASSES):
            continue
        name = definition.name.value
        if name.startswith(INTERNAL_TYPE_PREFIXES):
            continue
        kind = type(definition).__name__.removesuffix("DefinitionNode").removesuffix("ExtensionNode")
        info = types.setdefault(name, TypeInfo(name=name, kind=kind))
        _read_type_joins(info, definition, by_enum)
    api_schema = build_api_schema(document)
    planning_schema = build_api_schema(document, keep_inaccessible=True)
    _join_interface_object_fields(types, planning_schema)
    return Supergraph(
        sdl=sdl,
        subgraphs=subgraphs,
        types=types,
        api_schema=api_schema,
        root_types=root_types,
        planning_schema=planning_schema,
    )


def _join_interface_object_fields(types: dict[str, TypeInfo], schema: GraphQLSchema) -> None:
    """A subgraph that knows an interface as an ``@interfaceObject`` resolves its fields for every
    type implementing it, although it has never heard of those types."""
    for info in types.values():
        interface = schema.get_type(info.name)
        if not info.interface_object_in or not isinstance(interface, GraphQLInterfaceType):
            continue
        for object_type in schema.get_possible_types(interface):
            implementer = types.get(object_type.name)
            if implementer is None:
                continue
            for field_name, field_info in info.fields.items():
                target = implementer.fields.get(field_name)
                if target is None or (target.joins and not target.from_interface_object):
                    continue
                for subgraph in info.interface_object_in:
                    join = field_info.joins.get(subgraph)
                    if join is not None:
                        target.joins.setdefault(subgraph, join)


def _directive_args(directive: ConstDirectiveNode) -> dict[str, object]:
    return {arg.name.value: value_from_ast_untyped(arg.value) for arg in directive.arguments or ()}


def _directives(node: Node, name: str) -> list[dict[str, object]]:
    found: Sequence[ConstDirectiveNode] = getattr(node, "directives", None) or ()
    return [_directive_args(d) for d in found if d.name.value == name]


def _read_graphs(document: DocumentNode) -> dict[str, SubgraphInfo]:
    for definition in document.definitions:
        if isinstance(definition, EnumTypeDefinitionNode) and definition.name.value == "join__Graph":
            graphs: dict[str, SubgraphInfo] = {}
            for value in definition.values or ():
                for args in _directives(value, "join__graph"):
                    name = str(args["name"])
                    graphs[name] = SubgraphInfo(name=name, graph_enum=value.name.value, url=str(args.get("url") or ""))
            if not graphs:
                msg = "enum join__Graph lists no @join__graph values"
                raise SupergraphError(msg)
            return graphs
    msg = "no enum join__Graph: this is not a Federation v2 supergraph (join v0.2 or later)"
    raise SupergraphError(msg)


def _read_root_types(document: DocumentNode) -> dict[str, str]:
    roots = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            for op in definition.operation_types or ():
                roots[op.operation.value] = op.type.name.value
    return roots


def _read_type_joins(info: TypeInfo, definition: TypeDefinition, by_enum: dict[str, str]) -> None:
    for args in _directives(definition, "join__type"):
        graph = by_enum.get(str(args.get("graph")))
        if graph is None:
            continue
        if graph not in info.subgraphs:
            info.subgraphs.append(graph)
        if args.get("isInterfaceObject") is True:
            info.interface_object_in.add(graph)
        key = args.get("key")
        if key is not None:
            resolvable = args.get("resolvable", True) is not False
            info.keys.append(EntityKey(subgraph=graph, fields=str(key), resolvable=resolvable))
    _read_per_graph(definition, "join__implements", "interface", info.implements, by_enum)
    _read_per_graph(definition, "join__unionMember", "member", info.members, by_enum)
    if isinstance(
        definition,
        ObjectTypeDefinitionNode | ObjectTypeExtensionNode | InterfaceTypeDefinitionNode | InterfaceTypeExtensionNode,
    ):
        _read_field_joins(info, definition, by_enum)


def _read_per_graph(
    definition: TypeDefinition, directive: str, argument: str, into: dict[str, set[str]], by_enum: dict[str, str]
) -> None:
    for args in _directives(definition, directive):
        graph = by_enum.get(str(args.get("graph")))
        if graph is not None:
            into.setdefault(graph, set()).add(str(args.get(argument)))


def _read_field_joins(
    info: TypeInfo,
    definition: ObjectTypeDefinitionNode
    | ObjectTypeExtensionNode
    | InterfaceTypeDefinitionNode
    | InterfaceTypeExtensionNode,
    by_enum: dict[str, str],
) -> None:
    for field_node in definition.fields or ():
        field_info = info.fields.setdefault(field_node.name.value, FieldInfo(field_node.name.value))
        joins = _directives(field_node, "join__field")
        # A field with no @join__field lives in every subgraph that defines its type.
        with_graph = [args for args in joins if args.get("graph") is not None]
        if joins and not with_graph:
            field_info.from_interface_object = True
        if not joins:
            for graph in info.subgraphs:
                field_info.joins[graph] = FieldJoin(subgraph=graph)
            continue
        for args in with_graph:
            subgraph = by_enum.get(str(args["graph"]))
            if subgraph is None:
                continue
            field_info.joins[subgraph] = FieldJoin(
                subgraph=subgraph,
                requires=_optional_str(args.get("requires")),
                provides=_optional_str(args.get("provides")),
                external=args.get("external") is True,
                type=_optional_str(args.get("type")),
                used_overridden=args.get("usedOverridden") is True,
            )


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


# --- API schema -------------------------------------------------------------------------------


def _is_inaccessible(node: Node) -> bool:
    return bool(_directives(node, "inaccessible"))


def _api_directives(node: Node) -> tuple[ConstDirectiveNode, ...]:
    found: Sequence[ConstDirectiveNode] = getattr(node, "directives", None) or ()
    return tuple(d for d in found if d.name.value in API_DIRECTIVES)


def _strip(node: Node, **changes: object) -> Node:
    # AST nodes are frozen dataclasses in graphql-core 3.3: copy with changes instead of mutating.
    if hasattr(node, "directives"):
        changes["directives"] = _api_directives(node)
    return dataclasses.replace(node, **changes)  # type: ignore[arg-type]


def _strip_all(nodes: Sequence[Node] | None, *, keep_inaccessible: bool) -> tuple[Node, ...]:
    return tuple(
        _strip_member(n, keep_inaccessible=keep_inaccessible)
        for n in nodes or ()
        if keep_inaccessible or not _is_inaccessible(n)
    )


def _strip_member(node: Node, *, keep_inaccessible: bool) -> Node:
    arguments = getattr(node, "arguments", None)
    if arguments is not None:
        return _strip(node, arguments=_strip_all(arguments, keep_inaccessible=keep_inaccessible))
    return _strip(node)


def build_api_schema(document: DocumentNode, *, keep_inaccessible: bool = False) -> GraphQLSchema:
    """The schema clients see: federation machinery and ``@inaccessible`` elements removed.

    With ``keep_inaccessible`` the planner's schema: everything but the federation machinery.
    """
    hidden = {
        d.name.value
        for d in document.definitions
        if isinstance(d, TYPE_DEFINITION_CLASSES)
        and (d.name.value.startswith(INTERNAL_TYPE_PREFIXES) or (not keep_inaccessible and _is_inaccessible(d)))
    }
    definitions: list[Node] = []
    for definition in document.definitions:
        if isinstance(definition, DirectiveDefinitionNode):
            continue
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            definitions.append(_strip(definition))
            continue
        if not isinstance(definition, TYPE_DEFINITION_CLASSES) or definition.name.value in hidden:
            continue
        changes: dict[str, object] = {}
        for attr in ("fields", "values"):
            if getattr(definition, attr, None) is not None:
                changes[attr] = _strip_all(getattr(definition, attr), keep_inaccessible=keep_inaccessible)
        interfaces = getattr(definition, "interfaces", None)
        if interfaces is not None:
            changes["interfaces"] = tuple(i for i in interfaces if i.name.value not in hidden)
        if isinstance(definition, UnionTypeDefinitionNode | UnionTypeExtensionNode):
            changes["types"] = tuple(t for t in definition.types or () if t.name.value not in hidden)
        definitions.append(_strip(definition, **changes))
    try:
        document = DocumentNode(definitions=tuple(definitions))  # type: ignore[arg-type]
        return build_ast_schema(document, assume_valid_sdl=True)
    except (GraphQLError, TypeError) as exc:
        msg = f"the API schema cannot be built from the supergraph: {exc}"
        raise SupergraphError(msg) from exc

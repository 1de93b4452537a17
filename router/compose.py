"""Compose subgraph SDLs (``{ _service { sdl } }``) into a supergraph SDL in Apollo's format.

v0 composition: it merges types, records who resolves what with ``@join__*`` directives, and
rejects the mistakes that would make plans wrong (conflicting field types, value-type fields
resolved twice without ``@shareable``, entities nobody can resolve, field sets naming unknown
fields). Apollo's full satisfiability check is a later issue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graphql import (
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    FieldNode,
    GraphQLError,
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
from graphql.language.block_string import print_block_string
from graphql.language.print_string import print_string

from router.supergraph import SupergraphError, parse_field_set

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from graphql import (
        ConstDirectiveNode,
        DocumentNode,
        InputValueDefinitionNode,
        Node,
        SelectionSetNode,
        TypeNode,
    )

JOIN_SPEC = "https://specs.apollo.dev/join/v0.5"
LINK_SPEC = "https://specs.apollo.dev/link/v1.0"
INACCESSIBLE_SPEC = "https://specs.apollo.dev/inaccessible/v0.2"
AUTHENTICATED_SPEC = "https://specs.apollo.dev/authenticated/v0.1"
SCOPES_SPEC = "https://specs.apollo.dev/requiresScopes/v0.1"
# Linked only when a subgraph uses them; the router enforces them (router/policy/authorization.py).
SECURITY_PRELUDE = """directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM

directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM

scalar requiresScopes__Scope
"""

# Types and root fields every Federation subgraph adds for the router; they are not API.
FEDERATION_TYPES = frozenset({"_Any", "_Entity", "_Service", "_FieldSet", "FieldSet", "link__Import", "link__Purpose"})
FEDERATION_ROOT_FIELDS = frozenset({"_entities", "_service"})
ROOT_KINDS = ("query", "mutation", "subscription")
DEFAULT_ROOTS = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}

SUPERGRAPH_PRELUDE = '''directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE

directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean, overrideLabel: String, contextArguments: [join__ContextArgument!]) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION

directive @join__graph(name: String!, url: String!) on ENUM_VALUE

directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE

directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR

directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION

directive @join__directive(graphs: [join__Graph!], name: String!, args: join__DirectiveArguments) repeatable on SCHEMA | OBJECT | INTERFACE | FIELD_DEFINITION

directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA

directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION

input join__ContextArgument {
  name: String!
  type: String!
  context: String!
  selection: join__FieldValue!
}

scalar join__DirectiveArguments

scalar join__FieldSet

scalar join__FieldValue

scalar link__Import

enum link__Purpose {
  """
  `SECURITY` features provide metadata necessary to securely resolve fields.
  """
  SECURITY

  """
  `EXECUTION` features provide metadata necessary for operation execution.
  """
  EXECUTION
}
'''  # noqa: E501 - directive definitions are copied verbatim from the join and link specs


class CompositionError(SupergraphError):
    """The subgraphs do not compose; ``problems`` lists every reason, each naming its subgraphs."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("composition failed:\n- " + "\n- ".join(self.problems))


@dataclass(slots=True)
class _Access:
    """``@authenticated`` and ``@requiresScopes`` of one element, as the router enforces them."""

    authenticated: bool = False
    # Alternatives: holding every scope of any one group is enough.
    scopes: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def of(cls, node: Node) -> _Access:
        groups: list[tuple[str, ...]] = []
        for directive in _find(node, "requiresScopes"):
            raw = directive.get("scopes")
            listed = raw if isinstance(raw, list) else []
            groups.extend(tuple(str(scope) for scope in group) for group in listed if isinstance(group, list))
        return cls(authenticated=bool(_find(node, "authenticated")), scopes=tuple(groups))

    def both(self, other: _Access) -> _Access:
        """What two subgraphs' requirements demand together: each group of one with each of the other."""
        if not self.scopes or not other.scopes:
            scopes = self.scopes or other.scopes
        else:
            scopes = tuple(tuple(dict.fromkeys(a + b)) for a in self.scopes for b in other.scopes)
        return _Access(self.authenticated or other.authenticated, tuple(dict.fromkeys(scopes)))

    def directives(self) -> list[str]:
        printed = ["@authenticated"] if self.authenticated else []
        if self.scopes:
            groups = ", ".join("[" + ", ".join(_quote(scope) for scope in group) + "]" for group in self.scopes)
            printed.append(f"@requiresScopes(scopes: [{groups}])")
        return printed


@dataclass(slots=True)
class _Field:
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
    access: _Access = field(default_factory=_Access)

    @property
    def type_str(self) -> str:
        return print_ast(self.type_node)


@dataclass(slots=True)
class _Type:
    name: str
    kind: str
    description: str | None = None
    extension: bool = False
    shareable: bool = False
    inaccessible: bool = False
    access: _Access = field(default_factory=_Access)
    keys: list[tuple[str, bool]] = field(default_factory=list)
    fields: dict[str, _Field] = field(default_factory=dict)
    interfaces: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    values: dict[str, _Field] = field(default_factory=dict)


@dataclass(slots=True)
class _Subgraph:
    name: str
    url: str
    types: dict[str, _Type]

    @property
    def graph_enum(self) -> str:
        return _graph_enum(self.name)


def _graph_enum(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name).upper()


def compose(subgraphs: Mapping[str, tuple[str, str]]) -> str:
    """Compose ``{name: (routing URL, SDL)}`` into a supergraph SDL, or raise CompositionError."""
    if not subgraphs:
        msg = "no subgraphs to compose"
        raise CompositionError([msg])
    parsed: list[_Subgraph] = []
    problems: list[str] = []
    enums: dict[str, str] = {}
    for name, (url, sdl) in subgraphs.items():
        enum = _graph_enum(name)
        if enum in enums:
            problems.append(f"subgraphs {enums[enum]!r} and {name!r} have the same graph name")
        enums[enum] = name
        try:
            parsed.append(_read_subgraph(name, url, parse(sdl)))
        except GraphQLError as exc:
            problems.append(f"subgraph {name!r}: SDL does not parse: {exc.message}")
    if problems:
        raise CompositionError(problems)
    return _Composer(parsed).compose()


# --- reading one subgraph ---------------------------------------------------------------------


def _fed_name(directive: ConstDirectiveNode) -> str:
    # Federation directives may be used unimported as @federation__key.
    return directive.name.value.removeprefix("federation__")


def _args(directive: ConstDirectiveNode) -> dict[str, object]:
    return {a.name.value: value_from_ast_untyped(a.value) for a in directive.arguments or ()}


def _find(node: Node, name: str) -> list[dict[str, object]]:
    found: Sequence[ConstDirectiveNode] = getattr(node, "directives", None) or ()
    return [_args(d) for d in found if _fed_name(d) == name]


def _find_node(node: Node, name: str) -> ConstDirectiveNode | None:
    found: Sequence[ConstDirectiveNode] = getattr(node, "directives", None) or ()
    return next((d for d in found if d.name.value == name), None)


def _description(node: Node) -> str | None:
    desc = getattr(node, "description", None)
    return None if desc is None else str(desc.value)


def _read_subgraph(name: str, url: str, document: DocumentNode) -> _Subgraph:
    roots = dict(DEFAULT_ROOTS)
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            for op in definition.operation_types or ():
                roots[op.operation.value] = op.type.name.value
    renamed = {type_name: DEFAULT_ROOTS[kind] for kind, type_name in roots.items()}
    types: dict[str, _Type] = {}
    for definition in document.definitions:
        type_name = getattr(getattr(definition, "name", None), "value", None)
        if type_name is None or type_name in FEDERATION_TYPES or type_name.startswith("federation__"):
            continue
        kind = _kind(definition)
        if kind is None:
            continue
        type_name = renamed.get(type_name, type_name)
        current = types.setdefault(type_name, _Type(name=type_name, kind=kind))
        _read_type(current, definition, is_root=type_name in DEFAULT_ROOTS.values())
    # A subgraph whose Query only had _entities/_service does not contribute a Query type.
    for root in DEFAULT_ROOTS.values():
        if root in types and not types[root].fields:
            del types[root]
    return _Subgraph(name=name, url=url, types=types)


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


def _read_type(current: _Type, definition: Node, *, is_root: bool) -> None:
    current.description = current.description or _description(definition)
    current.extension = current.extension or "Extension" in type(definition).__name__
    current.shareable = current.shareable or bool(_find(definition, "shareable"))
    current.inaccessible = current.inaccessible or bool(_find(definition, "inaccessible"))
    current.access = current.access.both(_Access.of(definition))
    for key in _find(definition, "key"):
        current.keys.append((str(key["fields"]), key.get("resolvable", True) is not False))
    current.interfaces.extend(i.name.value for i in getattr(definition, "interfaces", None) or ())
    current.members.extend(t.name.value for t in getattr(definition, "types", None) or ())
    for value in getattr(definition, "values", None) or ():
        current.values[value.name.value] = _Field(
            name=value.name.value,
            type_node=value.type if hasattr(value, "type") else _NO_TYPE,
            description=_description(value),
            inaccessible=bool(_find(value, "inaccessible")),
            deprecated=_find_node(value, "deprecated"),
            default_value=print_ast(value.default_value) if getattr(value, "default_value", None) is not None else None,
        )
    for node in getattr(definition, "fields", None) or ():
        if is_root and node.name.value in FEDERATION_ROOT_FIELDS:
            continue
        requires = _find(node, "requires")
        provides = _find(node, "provides")
        override = _find(node, "override")
        current.fields[node.name.value] = _Field(
            name=node.name.value,
            type_node=node.type,
            # Input object fields are InputValueDefinitions: no arguments, maybe a default.
            arguments=tuple(getattr(node, "arguments", None) or ()),
            default_value=print_ast(node.default_value) if getattr(node, "default_value", None) is not None else None,
            description=_description(node),
            shareable=bool(_find(node, "shareable")),
            external=bool(_find(node, "external")),
            inaccessible=bool(_find(node, "inaccessible")),
            requires=str(requires[0]["fields"]) if requires else None,
            provides=str(provides[0]["fields"]) if provides else None,
            override=str(override[0]["from"]) if override else None,
            deprecated=_find_node(node, "deprecated"),
            access=_Access.of(node),
        )


# Enum values have no type; a placeholder keeps _Field one shape for fields, values and inputs.
_NO_TYPE = parse("{ a }").definitions[0].selection_set.selections[0]  # type: ignore[attr-defined]


# --- merging ----------------------------------------------------------------------------------


def _is_subtype(narrow: TypeNode, wide: TypeNode) -> bool:
    """Whether every value of ``narrow`` is a value of ``wide``: the same named type and list
    nesting, where ``T!`` fits ``T`` but not the other way round."""
    if isinstance(wide, NonNullTypeNode):
        return isinstance(narrow, NonNullTypeNode) and _is_subtype(narrow.type, wide.type)
    if isinstance(narrow, NonNullTypeNode):
        return _is_subtype(narrow.type, wide)
    if isinstance(wide, ListTypeNode) or isinstance(narrow, ListTypeNode):
        return (
            isinstance(wide, ListTypeNode) and isinstance(narrow, ListTypeNode) and _is_subtype(narrow.type, wide.type)
        )
    return print_ast(narrow) == print_ast(wide)


def _top_level_fields(selection_set: SelectionSetNode) -> list[str]:
    return [s.name.value for s in selection_set.selections if isinstance(s, FieldNode)]


class _Composer:
    def __init__(self, subgraphs: list[_Subgraph]) -> None:
        self.subgraphs = subgraphs
        self.problems: list[str] = []
        # Whether any element carries @authenticated or @requiresScopes (their specs are then linked).
        self.security_used = False
        self.order: list[str] = []
        self.defs: dict[str, list[tuple[_Subgraph, _Type]]] = {}
        for sub in subgraphs:
            for name, type_def in sub.types.items():
                if name not in self.defs:
                    self.order.append(name)
                self.defs.setdefault(name, []).append((sub, type_def))

    def compose(self) -> str:
        if "Query" not in self.defs:
            self.problems.append("no subgraph defines a Query root field")
        types = [self._compose_type(name) for name in sorted(self.order)]
        prelude = SUPERGRAPH_PRELUDE.rstrip("\n")
        if self.security_used:
            prelude += "\n\n" + SECURITY_PRELUDE.rstrip("\n")
        parts = [self._schema_block(), prelude, self._graph_enum_block(), *types]
        if self.problems:
            raise CompositionError(self.problems)
        return "\n\n".join(p for p in parts if p) + "\n"

    def _schema_block(self) -> str:
        links = [
            f'  @link(url: "{LINK_SPEC}")',
            f'  @link(url: "{JOIN_SPEC}", for: EXECUTION)',
            f'  @link(url: "{INACCESSIBLE_SPEC}", for: SECURITY)',
        ]
        if self.security_used:
            links += [
                f'  @link(url: "{AUTHENTICATED_SPEC}", for: SECURITY)',
                f'  @link(url: "{SCOPES_SPEC}", for: SECURITY)',
            ]
        roots = [f"  {kind}: {DEFAULT_ROOTS[kind]}" for kind in ROOT_KINDS if DEFAULT_ROOTS[kind] in self.defs]
        return "schema\n" + "\n".join(links) + "\n{\n" + "\n".join(roots) + "\n}"

    def _graph_enum_block(self) -> str:
        values = [f'  {s.graph_enum} @join__graph(name: "{s.name}", url: "{s.url}")' for s in self.subgraphs]
        return "enum join__Graph {\n" + "\n".join(values) + "\n}"

    def _compose_type(self, name: str) -> str:
        defs = self.defs[name]
        kinds = {t.kind for _, t in defs}
        if len(kinds) > 1:
            where = ", ".join(f"{t.kind} in {s.name!r}" for s, t in defs)
            self.problems.append(f"type {name!r} has different kinds: {where}")
            return ""
        kind = defs[0][1].kind
        header = self._type_header(name, kind, defs)
        if kind in ("type", "interface"):
            return self._composite(header, name, defs)
        if kind == "union":
            return self._union(header, name, defs)
        if kind == "enum":
            return self._enum(header, defs)
        if kind == "input":
            return self._input(header, name, defs)
        return header

    def _type_header(self, name: str, kind: str, defs: list[tuple[_Subgraph, _Type]]) -> str:
        description = next((t.description for _, t in defs if t.description), None)
        lines = [print_block_string(description)] if description else []
        title = len(lines)
        lines.append(f"{kind} {name}")
        for sub, type_def in defs:
            if kind in ("type", "interface"):
                lines.extend(
                    f"  @join__implements(graph: {sub.graph_enum}, interface: {_quote(i)})" for i in type_def.interfaces
                )
            if not type_def.keys:
                extension = ", extension: true" if type_def.extension else ""
                lines.append(f"  @join__type(graph: {sub.graph_enum}{extension})")
            for key, resolvable in type_def.keys:
                flags = ", extension: true" if type_def.extension else ""
                flags += "" if resolvable else ", resolvable: false"
                lines.append(f"  @join__type(graph: {sub.graph_enum}, key: {_quote(key)}{flags})")
        if any(t.inaccessible for _, t in defs):
            lines.append("  @inaccessible")
        access = _Access()
        for _, type_def in defs:
            access = access.both(type_def.access)
        lines.extend(f"  {printed}" for printed in access.directives())
        self.security_used |= bool(access.directives())
        interfaces = list(dict.fromkeys(i for _, t in defs for i in t.interfaces))
        if interfaces:
            lines[title] += " implements " + " & ".join(interfaces)
        return "\n".join(lines)

    def _composite(self, header: str, name: str, defs: list[tuple[_Subgraph, _Type]]) -> str:
        is_entity = any(t.keys for _, t in defs)
        if is_entity and not any(resolvable for _, t in defs for _, resolvable in t.keys):
            graphs = ", ".join(repr(s.name) for s, _ in defs)
            self.problems.append(
                f"entity {name!r} is used by {graphs} but no subgraph can resolve it "
                "(every @key is resolvable: false); add a subgraph that defines it with a resolvable @key"
            )
        for sub, type_def in defs:
            self._check_field_sets(sub, type_def)
        field_names = list(dict.fromkeys(f for _, t in defs for f in t.fields))
        lines = [header + " {"]
        lines.extend(self._composite_field(name, field_name, defs) for field_name in field_names)
        lines.append("}")
        return "\n".join(lines)

    def _check_field_sets(self, sub: _Subgraph, type_def: _Type) -> None:
        for key, _ in type_def.keys:
            for field_name in _top_level_fields(parse_field_set(key)):
                if field_name not in type_def.fields:
                    self.problems.append(
                        f"subgraph {sub.name!r}: @key(fields: {key!r}) on {type_def.name!r} "
                        f"names field {field_name!r}, which {type_def.name!r} does not define there"
                    )
        for f in type_def.fields.values():
            if f.requires is None:
                continue
            for required in _top_level_fields(parse_field_set(f.requires)):
                if required not in type_def.fields:
                    self.problems.append(
                        f"subgraph {sub.name!r}: {type_def.name}.{f.name} @requires field "
                        f"{required!r}, which {type_def.name!r} does not define there (as @external)"
                    )

    # One merge rule after another, in the order Apollo applies them; split up they read worse.
    def _composite_field(  # noqa: C901, PLR0912
        self, type_name: str, field_name: str, defs: list[tuple[_Subgraph, _Type]]
    ) -> str:
        present = [(s, t, t.fields[field_name]) for s, t in defs if field_name in t.fields]
        present.sort(key=lambda entry: entry[2].external)
        first = present[0][2]
        merged_type = first.type_node
        for sub, _, f in present[1:]:
            if f.external:
                # An @external field only declares what its subgraph receives; it does not shape
                # the API type, but it must accept every value the resolving subgraphs return.
                if not _is_subtype(f.type_node, merged_type):
                    self.problems.append(
                        f"field {type_name}.{field_name} has type {print_ast(merged_type)} in "
                        f"{present[0][0].name!r} but {f.type_str} in {sub.name!r} (@external), "
                        "which is not the same type or a non-null form of it"
                    )
                continue
            if _is_subtype(merged_type, f.type_node):
                # Subgraphs may disagree on nullability; clients get the weaker promise.
                merged_type = f.type_node
            elif not _is_subtype(f.type_node, merged_type):
                self.problems.append(
                    f"field {type_name}.{field_name} has type {print_ast(merged_type)} in "
                    f"{present[0][0].name!r} but {f.type_str} in {sub.name!r}"
                )
        resolving = [(s, t, f) for s, t, f in present if not f.external]
        if not resolving:
            graphs = ", ".join(repr(s.name) for s, _, _ in present)
            self.problems.append(f"field {type_name}.{field_name} is @external in {graphs} but no subgraph resolves it")
        if len(resolving) > 1:
            not_shared = [
                s.name
                for s, t, f in resolving
                if not (f.shareable or t.shareable or _is_key_field(t, field_name) or f.override)
            ]
            if not_shared and not any(f.override for _, _, f in resolving):
                graphs = ", ".join(repr(s.name) for s, _, _ in resolving)
                self.problems.append(
                    f"field {type_name}.{field_name} is resolved by subgraphs {graphs} but is not "
                    f"@shareable in {', '.join(repr(n) for n in not_shared)}"
                )
        args = ""
        if first.arguments:
            args = "(" + ", ".join(_print_input_value(a) for a in first.arguments) + ")"
        parts = [f"  {field_name}{args}: {print_ast(merged_type)}"]
        needs_join = len(present) != len(defs) or any(
            f.external or f.requires or f.provides or f.override or f.type_str != print_ast(merged_type)
            for _, _, f in present
        )
        if needs_join:
            overridden = {f.override for _, _, f in present if f.override}
            for sub, _, f in present:
                parts.append(self._join_field(sub, f, merged_type, used_overridden=sub.name in overridden))
        if any(f.inaccessible for _, _, f in present):
            parts.append("@inaccessible")
        access = _Access()
        for _, _, f in present:
            access = access.both(f.access)
        parts.extend(access.directives())
        self.security_used |= bool(access.directives())
        if first.deprecated is not None:
            parts.append(print_ast(first.deprecated))
        line = " ".join(parts)
        if first.description:
            line = _indent(print_block_string(first.description)) + "\n" + line
        return line

    @staticmethod
    def _join_field(sub: _Subgraph, f: _Field, merged: TypeNode, *, used_overridden: bool) -> str:
        args = [f"graph: {sub.graph_enum}"]
        if f.requires:
            args.append(f"requires: {_quote(f.requires)}")
        if f.provides:
            args.append(f"provides: {_quote(f.provides)}")
        if f.type_str != print_ast(merged):
            args.append(f"type: {_quote(f.type_str)}")
        if f.external:
            args.append("external: true")
        if f.override:
            args.append(f"override: {_quote(f.override)}")
        if used_overridden:
            args.append("usedOverridden: true")
        return "@join__field(" + ", ".join(args) + ")"

    def _union(self, header: str, name: str, defs: list[tuple[_Subgraph, _Type]]) -> str:
        lines = [header]
        members: list[str] = []
        for sub, type_def in defs:
            for member in type_def.members:
                lines.append(f"  @join__unionMember(graph: {sub.graph_enum}, member: {_quote(member)})")
                if member not in members:
                    members.append(member)
        if not members:
            self.problems.append(f"union {name!r} has no members")
        return "\n".join(lines) + "\n  = " + " | ".join(members)

    @staticmethod
    def _enum(header: str, defs: list[tuple[_Subgraph, _Type]]) -> str:
        values: dict[str, list[tuple[_Subgraph, _Field]]] = {}
        for sub, type_def in defs:
            for value in type_def.values.values():
                values.setdefault(value.name, []).append((sub, value))
        lines = [header + " {"]
        for value_name, where in values.items():
            joins = " ".join(f"@join__enumValue(graph: {s.graph_enum})" for s, _ in where)
            extra = " @inaccessible" if any(v.inaccessible for _, v in where) else ""
            deprecated = where[0][1].deprecated
            extra += f" {print_ast(deprecated)}" if deprecated is not None else ""
            description = where[0][1].description
            if description:
                lines.append(_indent(print_block_string(description)))
            lines.append(f"  {value_name} {joins}{extra}")
        lines.append("}")
        return "\n".join(lines)

    def _input(self, header: str, name: str, defs: list[tuple[_Subgraph, _Type]]) -> str:
        # Input types compose by intersection: a field every subgraph accepts.
        lines = [header + " {"]
        for field_name, value in defs[0][1].fields.items():
            others = [t.fields.get(field_name) for _, t in defs[1:]]
            if any(o is None for o in others):
                if isinstance(value.type_node, NonNullTypeNode) and value.default_value is None:
                    missing = [s.name for s, t in defs if field_name not in t.fields]
                    self.problems.append(
                        f"input field {name}.{field_name} is required in {defs[0][0].name!r} "
                        f"but missing in {', '.join(repr(m) for m in missing)}"
                    )
                continue
            for (sub, _), other in zip(defs[1:], others, strict=True):
                if other is not None and other.type_str != value.type_str:
                    self.problems.append(
                        f"input field {name}.{field_name} has type {value.type_str} in "
                        f"{defs[0][0].name!r} but {other.type_str} in {sub.name!r}"
                    )
            default = f" = {value.default_value}" if value.default_value is not None else ""
            deprecated = f" {print_ast(value.deprecated)}" if value.deprecated is not None else ""
            if value.description:
                lines.append(_indent(print_block_string(value.description)))
            lines.append(f"  {field_name}: {value.type_str}{default}{deprecated}")
        lines.append("}")
        return "\n".join(lines)


def _is_key_field(type_def: _Type, field_name: str) -> bool:
    # Key fields are shareable by definition in Federation 2.
    return any(field_name in _top_level_fields(parse_field_set(key)) for key, _ in type_def.keys)


def _print_description(description: str) -> str:
    # Inline (before an argument) a one-line string reads best; several lines need a block string.
    return print_block_string(description) if "\n" in description else print_string(description)


def _print_input_value(node: InputValueDefinitionNode) -> str:
    text = f"{node.name.value}: {print_ast(node.type)}"
    description = _description(node)
    if description:
        text = f"{_print_description(description)} {text}"
    if node.default_value is not None:
        text += f" = {print_ast(node.default_value)}"
    deprecated = _find_node(node, "deprecated")
    if deprecated is not None:
        text += f" {print_ast(deprecated)}"
    if _find(node, "inaccessible"):
        text += " @inaccessible"
    return text


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())

"""Composition, step 2: merge the subgraphs' types into a supergraph SDL in Apollo's format.

It records who resolves what with ``@join__*`` directives and rejects the mistakes that would make
plans wrong (conflicting field types, value-type fields resolved twice without ``@shareable``,
entities nobody can resolve, field sets naming unknown fields).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import (
    GraphQLError,
    NonNullTypeNode,
    parse,
    print_ast,
)
from graphql.language.block_string import print_block_string
from graphql.language.print_string import print_string

from router.supergraph import parse_field_set

if TYPE_CHECKING:
    from collections.abc import Mapping

    from graphql import (
        InputValueDefinitionNode,
        TypeNode,
    )

from router.compose.subgraph import (
    DEFAULT_ROOTS,
    ROOT_KINDS,
    Access,
    CompositionError,
    Field,
    Subgraph,
    Type,
    description_of,
    find,
    find_node,
    graph_enum,
    is_subtype,
    quote,
    read_subgraph,
    top_level_fields,
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


def compose(subgraphs: Mapping[str, tuple[str, str]]) -> str:
    """Compose ``{name: (routing URL, SDL)}`` into a supergraph SDL, or raise CompositionError."""
    if not subgraphs:
        msg = "no subgraphs to compose"
        raise CompositionError([msg])
    parsed: list[Subgraph] = []
    problems: list[str] = []
    enums: dict[str, str] = {}
    for name, (url, sdl) in subgraphs.items():
        enum = graph_enum(name)
        if enum in enums:
            problems.append(f"subgraphs {enums[enum]!r} and {name!r} have the same graph name")
        enums[enum] = name
        try:
            parsed.append(read_subgraph(name, url, parse(sdl)))
        except GraphQLError as exc:
            problems.append(f"subgraph {name!r}: SDL does not parse: {exc.message}")
    if problems:
        raise CompositionError(problems)
    return _Composer(parsed).compose()


class _Composer:
    def __init__(self, subgraphs: list[Subgraph]) -> None:
        self.subgraphs = subgraphs
        self.problems: list[str] = []
        # Whether any element carries @authenticated or @requiresScopes (their specs are then linked).
        self.security_used = False
        self.order: list[str] = []
        self.defs: dict[str, list[tuple[Subgraph, Type]]] = {}
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

    def _type_header(self, name: str, kind: str, defs: list[tuple[Subgraph, Type]]) -> str:
        description = next((t.description for _, t in defs if t.description), None)
        lines = [print_block_string(description)] if description else []
        title = len(lines)
        lines.append(f"{kind} {name}")
        for sub, type_def in defs:
            if kind in ("type", "interface"):
                lines.extend(
                    f"  @join__implements(graph: {sub.graph_enum}, interface: {quote(i)})" for i in type_def.interfaces
                )
            if not type_def.keys:
                extension = ", extension: true" if type_def.extension else ""
                lines.append(f"  @join__type(graph: {sub.graph_enum}{extension})")
            for key, resolvable in type_def.keys:
                flags = ", extension: true" if type_def.extension else ""
                flags += "" if resolvable else ", resolvable: false"
                lines.append(f"  @join__type(graph: {sub.graph_enum}, key: {quote(key)}{flags})")
        if any(t.inaccessible for _, t in defs):
            lines.append("  @inaccessible")
        access = Access()
        for _, type_def in defs:
            access = access.both(type_def.access)
        lines.extend(f"  {printed}" for printed in access.directives())
        self.security_used |= bool(access.directives())
        interfaces = list(dict.fromkeys(i for _, t in defs for i in t.interfaces))
        if interfaces:
            lines[title] += " implements " + " & ".join(interfaces)
        return "\n".join(lines)

    def _composite(self, header: str, name: str, defs: list[tuple[Subgraph, Type]]) -> str:
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

    def _check_field_sets(self, sub: Subgraph, type_def: Type) -> None:
        for key, _ in type_def.keys:
            for field_name in top_level_fields(parse_field_set(key)):
                if field_name not in type_def.fields:
                    self.problems.append(
                        f"subgraph {sub.name!r}: @key(fields: {key!r}) on {type_def.name!r} "
                        f"names field {field_name!r}, which {type_def.name!r} does not define there"
                    )
        for f in type_def.fields.values():
            if f.requires is None:
                continue
            for required in top_level_fields(parse_field_set(f.requires)):
                if required not in type_def.fields:
                    self.problems.append(
                        f"subgraph {sub.name!r}: {type_def.name}.{f.name} @requires field "
                        f"{required!r}, which {type_def.name!r} does not define there (as @external)"
                    )

    # One merge rule after another, in the order Apollo applies them; split up they read worse.
    def _composite_field(  # noqa: C901, PLR0912
        self, type_name: str, field_name: str, defs: list[tuple[Subgraph, Type]]
    ) -> str:
        present = [(s, t, t.fields[field_name]) for s, t in defs if field_name in t.fields]
        present.sort(key=lambda entry: entry[2].external)
        first = present[0][2]
        merged_type = first.type_node
        for sub, _, f in present[1:]:
            if f.external:
                # An @external field only declares what its subgraph receives; it does not shape
                # the API type, but it must accept every value the resolving subgraphs return.
                if not is_subtype(f.type_node, merged_type):
                    self.problems.append(
                        f"field {type_name}.{field_name} has type {print_ast(merged_type)} in "
                        f"{present[0][0].name!r} but {f.type_str} in {sub.name!r} (@external), "
                        "which is not the same type or a non-null form of it"
                    )
                continue
            if is_subtype(merged_type, f.type_node):
                # Subgraphs may disagree on nullability; clients get the weaker promise.
                merged_type = f.type_node
            elif not is_subtype(f.type_node, merged_type):
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
        access = Access()
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
    def _join_field(sub: Subgraph, f: Field, merged: TypeNode, *, used_overridden: bool) -> str:
        args = [f"graph: {sub.graph_enum}"]
        if f.requires:
            args.append(f"requires: {quote(f.requires)}")
        if f.provides:
            args.append(f"provides: {quote(f.provides)}")
        if f.type_str != print_ast(merged):
            args.append(f"type: {quote(f.type_str)}")
        if f.external:
            args.append("external: true")
        if f.override:
            args.append(f"override: {quote(f.override)}")
        if used_overridden:
            args.append("usedOverridden: true")
        return "@join__field(" + ", ".join(args) + ")"

    def _union(self, header: str, name: str, defs: list[tuple[Subgraph, Type]]) -> str:
        lines = [header]
        members: list[str] = []
        for sub, type_def in defs:
            for member in type_def.members:
                lines.append(f"  @join__unionMember(graph: {sub.graph_enum}, member: {quote(member)})")
                if member not in members:
                    members.append(member)
        if not members:
            self.problems.append(f"union {name!r} has no members")
        return "\n".join(lines) + "\n  = " + " | ".join(members)

    @staticmethod
    def _enum(header: str, defs: list[tuple[Subgraph, Type]]) -> str:
        values: dict[str, list[tuple[Subgraph, Field]]] = {}
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

    def _input(self, header: str, name: str, defs: list[tuple[Subgraph, Type]]) -> str:
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


def _is_key_field(type_def: Type, field_name: str) -> bool:
    # Key fields are shareable by definition in Federation 2.
    return any(field_name in top_level_fields(parse_field_set(key)) for key, _ in type_def.keys)


def _print_description(description: str) -> str:
    # Inline (before an argument) a one-line string reads best; several lines need a block string.
    return print_block_string(description) if "\n" in description else print_string(description)


def _print_input_value(node: InputValueDefinitionNode) -> str:
    text = f"{node.name.value}: {print_ast(node.type)}"
    description = description_of(node)
    if description:
        text = f"{_print_description(description)} {text}"
    if node.default_value is not None:
        text += f" = {print_ast(node.default_value)}"
    deprecated = find_node(node, "deprecated")
    if deprecated is not None:
        text += f" {print_ast(deprecated)}"
    if find(node, "inaccessible"):
        text += " @inaccessible"
    return text


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())

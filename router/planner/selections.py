"""The planner's own selection model: what one subgraph fetch asks for, merged and printable.

Client selections are copied in with their aliases, arguments and ``@skip``/``@include``; the
planner adds ``__typename`` and key fields unaliased. Fields merge by response key, so adding the
same field twice (client plus key) yields one field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graphql import DirectiveNode, ListValueNode, ObjectValueNode, VariableNode, print_ast

if TYPE_CHECKING:
    from collections.abc import Iterator

    from graphql import ArgumentNode, ValueNode

    from router.planner.plan import FieldShape


@dataclass(slots=True)
class PlanField:
    name: str
    alias: str | None = None
    arguments: tuple[ArgumentNode, ...] = ()
    directives: tuple[DirectiveNode, ...] = ()
    selections: Selections | None = None

    @property
    def response_key(self) -> str:
        return self.alias or self.name

    def signature(self) -> tuple[str, str, str]:
        if not self.arguments and not self.directives:  # most fields: nothing to print
            return (self.name, "", "")
        args = " ".join(print_ast(a) for a in self.arguments)
        directives = " ".join(print_ast(d) for d in self.directives)
        return (self.name, args, directives)


@dataclass(slots=True)
class PlanFragment:
    type_condition: str | None
    directives: tuple[DirectiveNode, ...] = ()
    selections: Selections = field(default_factory=lambda: Selections())  # noqa: PLW0108 - Selections is defined below


@dataclass(slots=True)
class Selections:
    items: list[PlanField | PlanFragment] = field(default_factory=list)
    # Lookups for add_field/fragment, so adding n fields costs O(n), not O(n^2) signature prints
    # (a client can send thousands of aliases). Items are only ever added through those methods.
    _fields: dict[tuple[str, tuple[str, str, str]], PlanField] = field(default_factory=dict, repr=False)
    _fragments: dict[tuple[str | None, str], PlanFragment] = field(default_factory=dict, repr=False)

    def __bool__(self) -> bool:
        return bool(self.items)

    def add_field(self, new: PlanField) -> PlanField:
        """Add ``new`` or return the equal field already there (same key, name, args, directives)."""
        key = (new.response_key, new.signature())
        existing = self._fields.get(key)
        if existing is not None:
            if new.selections is not None and existing.selections is None:
                existing.selections = Selections()
            return existing
        self._fields[key] = new
        self.items.append(new)
        return new

    def add_plain_field(self, name: str) -> None:
        """``add_field(PlanField(name))`` without building the field when it is already there: the
        planner adds ``__typename`` and key fields for every entity field, mostly again."""
        if (name, (name, "", "")) not in self._fields:
            self.add_field(PlanField(name))

    def fragment(self, type_condition: str | None, directives: tuple[DirectiveNode, ...] = ()) -> PlanFragment:
        key = (type_condition, " ".join(print_ast(d) for d in directives) if directives else "")
        existing = self._fragments.get(key)
        if existing is not None:
            return existing
        created = PlanFragment(type_condition=type_condition, directives=directives)
        self._fragments[key] = created
        self.items.append(created)
        return created

    def print(self) -> str:
        parts: list[str] = []
        for item in self.items:
            if isinstance(item, PlanField):
                text = f"{item.alias}: {item.name}" if item.alias else item.name
                if item.arguments:
                    text += "(" + ", ".join(print_ast(a) for a in item.arguments) + ")"
                for directive in item.directives:
                    text += " " + print_ast(directive)
                if item.selections is not None:
                    text += " " + item.selections.print()
                parts.append(text)
            elif item.selections:
                text = "..."
                if item.type_condition:
                    text += f" on {item.type_condition}"
                for directive in item.directives:
                    text += " " + print_ast(directive)
                parts.append(text + " " + item.selections.print())
        return "{ " + " ".join(parts) + " }"

    def variables(self) -> Iterator[str]:
        """Names of the variables the selections use, in first-use order, with repeats."""
        for item in self.items:
            nodes: list[ArgumentNode | DirectiveNode] = list(item.directives)
            if isinstance(item, PlanField):
                nodes.extend(item.arguments)
            for node in nodes:
                values: list[ValueNode] = (
                    [a.value for a in node.arguments or ()] if isinstance(node, DirectiveNode) else [node.value]
                )
                for value in values:
                    yield from _variables_in(value)
            if item.selections is not None:
                yield from item.selections.variables()

    def response_keys(self) -> tuple[str, ...]:
        """Top-level response keys, looking through fragments, without ``__typename``."""
        keys: list[str] = []
        for item in self.items:
            if isinstance(item, PlanField):
                if item.name != "__typename":
                    keys.append(item.response_key)
            else:
                keys.extend(item.selections.response_keys())
        return tuple(dict.fromkeys(keys))

    def shape(self) -> FieldShape:
        """The selections as a representation shape (fields only). An aliased field (a required
        field with arguments) is ``alias:name``: read under its alias, sent under its name. A field
        inside a type condition is ``?name``: sent when the object has it (it is of that type)."""
        out: list[tuple[str, FieldShape | None]] = []
        for item in self.items:
            if isinstance(item, PlanField):
                name = f"{item.alias}:{item.name}" if item.alias else item.name
                out.append((name, None if item.selections is None else item.selections.shape()))
            elif item.type_condition is None:
                out.extend(item.selections.shape())
            else:
                out.extend((name if name.startswith("?") else f"?{name}", sub) for name, sub in item.selections.shape())
        return tuple(out)

    def response_shape(self) -> FieldShape:
        """The response keys the selections fill, fragments folded in, sub-shapes merged by key."""
        shapes: dict[str, FieldShape | None] = {}
        for item in self.items:
            if isinstance(item, PlanField):
                entries: FieldShape = (
                    (item.response_key, None if item.selections is None else item.selections.response_shape()),
                )
            else:
                entries = item.selections.response_shape()
            for key, sub in entries:
                shapes[key] = _union_shapes(shapes[key], sub) if key in shapes else sub
        return tuple(shapes.items())

    def merge(self, other: Selections) -> None:
        """Add everything ``other`` selects (in place); equal fields and fragments merge."""
        for item in other.items:
            if isinstance(item, PlanField):
                added = self.add_field(
                    PlanField(
                        item.name,
                        item.alias,
                        item.arguments,
                        item.directives,
                        None if item.selections is None else Selections(),
                    )
                )
                if item.selections is not None and added.selections is not None:
                    added.selections.merge(item.selections)
            else:
                self.fragment(item.type_condition, item.directives).selections.merge(item.selections)

    def conflicts_with(self, other: Selections) -> bool:
        """Whether one request could not ask for both: a response key meaning different fields.

        Conservative, since it has no schema: a key both sides use must be the same field with the
        same arguments under the same chain of type conditions, at every depth (``__typename``
        aside); fields that merge are then compared by their sub-selections.
        """
        ours = _fields_by_key(self)
        for key, theirs in _fields_by_key(other).items():
            for our_conditions, our_field in ours.get(key, ()):
                for their_conditions, their_field in theirs:
                    if our_field.name == their_field.name == "__typename":
                        continue
                    if (
                        our_conditions != their_conditions
                        or our_field.name != their_field.name
                        or _arguments(our_field) != _arguments(their_field)
                    ):
                        return True
                    if (
                        our_field.selections is not None
                        and their_field.selections is not None
                        and our_field.selections.conflicts_with(their_field.selections)
                    ):
                        return True
        return False


def _fields_by_key(
    selections: Selections, conditions: tuple[str | None, ...] = ()
) -> dict[str, list[tuple[tuple[str | None, ...], PlanField]]]:
    """Every field by response key, with the type conditions of the fragments around it."""
    found: dict[str, list[tuple[tuple[str | None, ...], PlanField]]] = {}
    for item in selections.items:
        if isinstance(item, PlanField):
            found.setdefault(item.response_key, []).append((conditions, item))
        else:
            for key, fields in _fields_by_key(item.selections, (*conditions, item.type_condition)).items():
                found.setdefault(key, []).extend(fields)
    return found


def _arguments(plan_field: PlanField) -> str:
    if not plan_field.arguments:  # most fields: nothing to print and sort
        return ""
    return " ".join(sorted(print_ast(a) for a in plan_field.arguments))


def _union_shapes(a: FieldShape | None, b: FieldShape | None) -> FieldShape | None:
    if a is None or b is None:
        return a if b is None else b
    merged = dict(a)
    for key, sub in b:
        merged[key] = _union_shapes(merged[key], sub) if key in merged else sub
    return tuple(merged.items())


def _variables_in(value: ValueNode) -> Iterator[str]:
    if isinstance(value, VariableNode):
        yield value.name.value
    elif isinstance(value, ListValueNode):
        for item in value.values:
            yield from _variables_in(item)
    elif isinstance(value, ObjectValueNode):
        for object_field in value.fields:
            yield from _variables_in(object_field.value)


def under_conditions(selections: Selections, type_name: str, conditions: tuple[DirectiveNode, ...]) -> Selections:
    """Where fields of ``type_name`` go in ``selections`` so that ``conditions`` (@skip/@include)
    still decide them: one fragment per condition, nested, since one fragment may not repeat a
    directive (``@include(if: $a) @include(if: $b)`` is invalid; nested, both apply)."""
    target = selections.fragment(type_name, conditions[:1]).selections
    for condition in conditions[1:]:
        target = target.fragment(type_name, (condition,)).selections
    return target

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

    def __bool__(self) -> bool:
        return bool(self.items)

    def add_field(self, new: PlanField) -> PlanField:
        """Add ``new`` or return the equal field already there (same key, name, args, directives)."""
        for item in self.items:
            if (
                isinstance(item, PlanField)
                and item.response_key == new.response_key
                and item.signature() == new.signature()
            ):
                if new.selections is not None and item.selections is None:
                    item.selections = Selections()
                return item
        self.items.append(new)
        return new

    def fragment(self, type_condition: str | None, directives: tuple[DirectiveNode, ...] = ()) -> PlanFragment:
        key = " ".join(print_ast(d) for d in directives)
        for item in self.items:
            if (
                isinstance(item, PlanFragment)
                and item.type_condition == type_condition
                and " ".join(print_ast(d) for d in item.directives) == key
            ):
                return item
        created = PlanFragment(type_condition=type_condition, directives=directives)
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
        """The selections as a representation shape (fields only; keys are never aliased)."""
        out: list[tuple[str, FieldShape | None]] = []
        for item in self.items:
            if isinstance(item, PlanField):
                out.append((item.name, None if item.selections is None else item.selections.shape()))
            else:
                out.extend(item.selections.shape())
        return tuple(out)


def _variables_in(value: ValueNode) -> Iterator[str]:
    if isinstance(value, VariableNode):
        yield value.name.value
    elif isinstance(value, ListValueNode):
        for item in value.values:
            yield from _variables_in(item)
    elif isinstance(value, ObjectValueNode):
        for object_field in value.fields:
            yield from _variables_in(object_field.value)

"""Operations drawn from a process's own schema (read by introspection) with a seeded RNG.

Valid-ish on purpose: real field names and argument types, values drawn from edge cases (huge
sizes, negative numbers, injection strings, long strings), random aliases, nesting up to a depth.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    get_named_type,
    is_interface_type,
    is_leaf_type,
    is_object_type,
    is_union_type,
)

if TYPE_CHECKING:
    import random
    from collections.abc import Iterator

    from graphql import GraphQLField, GraphQLInputType, GraphQLSchema

INTS = [0, 1, 3, 50, -1, 2**31 - 1, 1_000_000]
STRINGS = [
    "",
    "a",
    "liberty-4-nc",
    "prd-liberty-4-nc",
    "' OR 1=1 --",
    '{"$gt": ""}',
    "MATCH (n) DETACH DELETE n",
    "x" * 2000,
]
MAX_DEPTH = 5
# What an ordinary client sends (the warm-up): a page of three, a customer's words.
ORDINARY_INTS = [3]
ORDINARY_STRINGS = ["battery drains fast"]


class Fuzzer:
    """``ordinary``: plain values and only the required arguments, as a well-behaved client sends."""

    def __init__(self, schema: GraphQLSchema, rng: random.Random, *, ordinary: bool = False) -> None:
        self.schema = schema
        self.rng = rng
        self.ordinary = ordinary
        self.ints = ORDINARY_INTS if ordinary else INTS
        self.strings = ORDINARY_STRINGS if ordinary else STRINGS

    def operations(self) -> Iterator[dict[str, Any]]:
        root = self.schema.query_type
        assert root is not None  # noqa: S101 - every KCP schema has a query type
        names = [name for name in root.fields if not name.startswith("_")]
        while True:
            chosen = self.rng.sample(names, k=min(len(names), self.rng.randint(1, 3)))
            yield {"query": "{ " + " ".join(self.field(n, root.fields[n], 0) for n in chosen) + " }"}

    def every_root_field(self) -> Iterator[dict[str, Any]]:
        """Each root field once, and once more for every value of each of its enum arguments (a
        search's every mode): a process that served these has loaded what it loads lazily."""
        root = self.schema.query_type
        assert root is not None  # noqa: S101 - every KCP schema has a query type
        for name, field in root.fields.items():
            if name.startswith("_"):
                continue
            yield {"query": "{ " + self.field(name, field, 0) + " }"}
            for arg_name, arg in field.args.items():
                named = get_named_type(arg.type)
                if isinstance(named, GraphQLEnumType):
                    for value in named.values:
                        yield {"query": "{ " + self.field(name, field, 0, fixed={arg_name: value}) + " }"}

    def field(self, name: str, field: GraphQLField, depth: int, fixed: dict[str, str] | None = None) -> str:
        alias = f"a{self.rng.randrange(100)}: " if self.rng.random() < 0.2 else ""  # noqa: PLR2004
        fixed = fixed or {}
        arguments = [f"{arg_name}: {value}" for arg_name, value in fixed.items()] + [
            f"{arg_name}: {self.value(arg.type, 0)}"
            for arg_name, arg in field.args.items()
            if arg_name not in fixed and (isinstance(arg.type, GraphQLNonNull) or self._optional_argument())
        ]
        text = alias + name + (f"({', '.join(arguments)})" if arguments else "")
        named = get_named_type(field.type)
        if is_leaf_type(named):
            return text
        return text + " { " + self.selection(named, depth + 1) + " }"

    def _optional_argument(self) -> bool:
        return not self.ordinary and self.rng.random() < 0.5  # noqa: PLR2004

    def selection(self, named: Any, depth: int) -> str:
        if is_union_type(named):
            return "__typename " + " ".join(
                f"... on {t.name} {{ {self.selection(t, depth)} }}" for t in self.rng.sample(named.types, k=1)
            )
        if depth >= MAX_DEPTH or not (is_object_type(named) or is_interface_type(named)):
            return "__typename"
        fields = list(named.fields.items())
        chosen = self.rng.sample(fields, k=min(len(fields), self.rng.randint(1, 4)))
        return " ".join(self.field(n, f, depth) for n, f in chosen)

    def value(self, type_: GraphQLInputType, depth: int) -> str:  # noqa: PLR0911 - one case per kind of type
        if isinstance(type_, GraphQLNonNull):
            return self.value(type_.of_type, depth)
        if isinstance(type_, GraphQLList):
            return "[" + self.value(type_.of_type, depth + 1) + "]"
        if isinstance(type_, GraphQLEnumType):
            return str(self.rng.choice(list(type_.values)))
        if isinstance(type_, GraphQLInputObjectType):
            if depth > 2:  # noqa: PLR2004
                return "{}"
            inner = [
                f"{n}: {self.value(f.type, depth + 1)}"
                for n, f in type_.fields.items()
                if isinstance(f.type, GraphQLNonNull) or self.rng.random() < 0.3  # noqa: PLR2004
            ]
            return "{" + ", ".join(inner) + "}"
        name = type_.name
        if name == "Int":
            return str(self.rng.choice(self.ints))
        if name == "Float":
            return str(self.rng.choice([0.5] if self.ordinary else [0.5, -1.0, 1e300]))
        if name == "Boolean":
            return self.rng.choice(["true", "false"])
        if name == "DateTime":
            dates = ["2026-01-01T00:00:00Z"] if self.ordinary else ["2026-01-01T00:00:00Z", "not a date"]
            return json.dumps(self.rng.choice(dates))
        return json.dumps(self.rng.choice(self.strings))

"""Query plan nodes and their printed form (the text planner snapshots compare)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from graphql import parse, print_ast

# A representation's shape: (field name, sub-shape or None for a leaf), in order.
FieldShape: TypeAlias = tuple[tuple[str, "FieldShape | None"], ...]


@dataclass(frozen=True, slots=True)
class Representation:
    """What an entity fetch sends for objects of one type: ``__typename``, keys, required fields."""

    type_name: str
    shape: FieldShape


@dataclass(frozen=True, slots=True)
class Fetch:
    """One request to one subgraph. Entity fetches carry ``representations``."""

    subgraph: str
    operation: str
    operation_kind: str
    variable_usages: tuple[str, ...] = ()
    representations: tuple[Representation, ...] = ()
    # Top-level response keys the fetch fills in each object: where errors point when it fails.
    response_keys: tuple[str, ...] = ()

    @property
    def is_entity_fetch(self) -> bool:
        return bool(self.representations)


@dataclass(frozen=True, slots=True)
class Flatten:
    """Run ``node`` for every object at ``path`` (``@`` steps into lists) and merge it there."""

    path: tuple[str, ...]
    node: Fetch


@dataclass(frozen=True, slots=True)
class Sequence:
    nodes: tuple[PlanNode, ...]


@dataclass(frozen=True, slots=True)
class Parallel:
    nodes: tuple[PlanNode, ...]


PlanNode: TypeAlias = Fetch | Flatten | Sequence | Parallel


@dataclass(frozen=True, slots=True)
class QueryPlan:
    """The plan of one operation; ``node`` is None when nothing needs a subgraph (``__typename``)."""

    node: PlanNode | None
    operation_kind: str


def print_plan(plan: QueryPlan) -> str:
    """A readable, stable rendering in the style of Apollo's printed plans."""
    lines = ["QueryPlan {"]
    if plan.node is not None:
        _print_node(plan.node, 1, lines)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _pretty(operation: str, indent: str) -> list[str]:
    return [indent + line for line in print_ast(parse(operation)).splitlines()]


def _print_shape(shape: FieldShape, indent: str) -> list[str]:
    lines: list[str] = []
    for name, sub in shape:
        if sub is None:
            lines.append(f"{indent}{name}")
        else:
            lines.append(f"{indent}{name} {{")
            lines.extend(_print_shape(sub, indent + "  "))
            lines.append(f"{indent}}}")
    return lines


def _print_node(node: PlanNode, depth: int, lines: list[str]) -> None:
    pad = "  " * depth
    if isinstance(node, Sequence | Parallel):
        lines.append(f"{pad}{type(node).__name__} {{")
        for child in node.nodes:
            _print_node(child, depth + 1, lines)
        lines.append(f"{pad}}},")
    elif isinstance(node, Flatten):
        lines.append(f'{pad}Flatten(path: "{".".join(node.path)}") {{')
        _print_node(node.node, depth + 1, lines)
        lines.append(f"{pad}}},")
    else:
        lines.append(f'{pad}Fetch(service: "{node.subgraph}") {{')
        inner = pad + "  "
        if node.representations:
            lines.append(f"{inner}{{")
            for rep in node.representations:
                lines.append(f"{inner}  ... on {rep.type_name} {{")
                lines.extend(_print_shape(rep.shape, inner + "    "))
                lines.append(f"{inner}  }}")
            lines.append(f"{inner}}} =>")
        lines.extend(_pretty(node.operation, inner))
        lines.append(f"{pad}}},")

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
    # The ``__typename`` sent, when the subgraph knows the type only as this @interfaceObject.
    sent_typename: str | None = None


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
    # Fields asked under a private alias (their subgraph type clashes with a sibling fragment's
    # field of the same key): (path in the result, alias, the client's key) to rename back.
    renames: tuple[Rename, ...] = ()


@dataclass(frozen=True, slots=True)
class Rename:
    path: tuple[str, ...]
    alias: str
    key: str


@dataclass(frozen=True, slots=True)
class FlattenPath:
    """One place an entity fetch fills (``@`` steps into lists), and what its objects take.

    ``keeps`` is the response-key shape of the fields planned for this path: a batched fetch asks
    for the union of several paths' fields, and each object takes back only its own, so a field
    asked for elsewhere never lands on (or overwrites a key of) an object that did not ask for it.
    """

    path: tuple[str, ...]
    keeps: FieldShape

    @property
    def response_keys(self) -> tuple[str, ...]:
        """Top-level keys this path's objects take: where errors point when the fetch fails."""
        return tuple(key for key, _ in self.keeps if key != "__typename")


@dataclass(frozen=True, slots=True)
class Flatten:
    """Run ``node`` once for the objects at all ``paths`` and merge each result where it belongs.

    Usually one path. Entity fetches of one plan step that go to the same subgraph with the same
    representations are batched into one ``Flatten`` with several paths: one request, with every
    distinct representation found at any of them.
    """

    paths: tuple[FlattenPath, ...]
    node: Fetch
    # A batched fetch's paths each as a fetch of its own. The subgraph completes each entity once
    # for the union of the paths' fields, so an error that nulls an entity (a non-null field one
    # path asked for) would take the fields the other paths asked for with it, and its error would
    # have no path that asked for the field to point at. When a batched answer has errors, the
    # executor runs these instead, as if the fetch had never been batched.
    unbatched: tuple[Flatten, ...] = ()


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


def subgraphs_of(plan: QueryPlan, *, roots_only: bool = False) -> frozenset[str]:
    """Every subgraph the plan sends a request to; with ``roots_only``, those its root fields go to
    (for a mutation: the subgraphs that change something), not the entity fetches that follow."""
    names: set[str] = set()
    pending: list[PlanNode] = [] if plan.node is None else [plan.node]
    while pending:
        node = pending.pop()
        if isinstance(node, Sequence | Parallel):
            pending.extend(node.nodes)
        elif isinstance(node, Flatten):
            if not roots_only:
                names.add(node.node.subgraph)
        else:
            names.add(node.subgraph)
    return frozenset(names)


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


def _inline_shape(shape: FieldShape) -> str:
    parts = [name if sub is None else f"{name} {_inline_shape(sub)}" for name, sub in shape]
    return "{ " + " ".join(parts) + " }"


def _print_node(node: PlanNode, depth: int, lines: list[str]) -> None:
    pad = "  " * depth
    if isinstance(node, Sequence | Parallel):
        lines.append(f"{pad}{type(node).__name__} {{")
        for child in node.nodes:
            _print_node(child, depth + 1, lines)
        lines.append(f"{pad}}},")
    elif isinstance(node, Flatten):
        if len(node.paths) == 1:
            lines.append(f'{pad}Flatten(path: "{".".join(node.paths[0].path)}") {{')
        else:
            # A batched fetch: each path with the fields its objects take from the shared result.
            lines.append(f"{pad}Flatten(paths: [")
            lines.extend(f'{pad}  "{".".join(p.path)}" {_inline_shape(p.keeps)},' for p in node.paths)
            lines.append(f"{pad}]) {{")
        _print_node(node.node, depth + 1, lines)
        lines.append(f"{pad}}},")
    else:
        lines.append(f'{pad}Fetch(service: "{node.subgraph}") {{')
        inner = pad + "  "
        if node.representations:
            lines.append(f"{inner}{{")
            for rep in node.representations:
                sent = f" as {rep.sent_typename}" if rep.sent_typename else ""
                lines.append(f"{inner}  ... on {rep.type_name}{sent} {{")
                lines.extend(_print_shape(rep.shape, inner + "    "))
                lines.append(f"{inner}  }}")
            lines.append(f"{inner}}} =>")
        lines.extend(_pretty(node.operation, inner))
        lines.extend(f"{inner}rename {'.'.join((*r.path, r.alias))} -> {r.key}" for r in node.renames)
        lines.append(f"{pad}}},")

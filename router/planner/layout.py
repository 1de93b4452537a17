"""Planning, phase 2: lay the fetch graph out as a plan.

Input: the ``FetchGraph`` the walk built and the operation (its kind, name and variables).
Output: a tree of ``Sequence | Parallel | Fetch | Flatten``.

Groups are laid out in dependency levels (mutations: one sequence step per root field, in
document order), and the entity groups of one level that can share a request (same subgraph,
same representations, no response key meaning two different fields) become one ``Flatten`` with
several paths.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from graphql import print_ast

from router.planner.errors import PlanningError
from router.planner.plan import Fetch, Flatten, FlattenPath, Parallel, PlanNode, Representation, Sequence
from router.planner.selections import Selections

if TYPE_CHECKING:
    from graphql import OperationDefinitionNode

    from router.planner.errors import Deadline
    from router.planner.graph import FetchGraph, FetchGroup


def layout(graph: FetchGraph, operation: OperationDefinitionNode, deadline: Deadline | None) -> PlanNode | None:
    """The plan tree of ``graph``; None when nothing is fetched (only ``__typename`` or introspection)."""
    return _Layout(graph, operation, deadline).root()


class _Layout:
    def __init__(self, graph: FetchGraph, operation: OperationDefinitionNode, deadline: Deadline | None) -> None:
        self.graph = graph
        self.operation = operation
        self.deadline = deadline
        self.kind = operation.operation.value
        self.variable_definitions = {v.variable.name.value: print_ast(v) for v in operation.variable_definitions or ()}

    def root(self) -> PlanNode | None:
        root_groups = self.graph.root_groups
        if not root_groups:
            return None
        if self.graph.in_order:
            steps = [self._levels([g for g in self.graph.groups if g.root_index == i]) for i in range(len(root_groups))]
            return _wrap(Sequence, [s for s in steps if s is not None])
        return self._levels(self.graph.groups)

    def _levels(self, groups: list[FetchGroup]) -> PlanNode | None:
        by_id = {g.id: g for g in self.graph.groups}
        depth: dict[int, int] = {}

        def depth_of(group: FetchGroup, seen: frozenset[int] = frozenset()) -> int:
            if group.id in depth:
                return depth[group.id]
            if group.id in seen:
                msg = "circular @requires dependency between fetches"
                raise PlanningError(msg)
            parents = [by_id[d] for d in group.depends_on if d != group.id]
            depth[group.id] = 1 + max((depth_of(p, seen | {group.id}) for p in parents), default=-1)
            return depth[group.id]

        levels: dict[int, list[FetchGroup]] = {}
        for group in groups:
            levels.setdefault(depth_of(group), []).append(group)
        steps = [
            _wrap(Parallel, [self._fetch_node(batch) for batch in _batches(levels[i], self.deadline)])
            for i in sorted(levels)
        ]
        return _wrap(Sequence, [s for s in steps if s is not None])

    def _fetch_node(self, batch: list[FetchGroup]) -> PlanNode:
        """The node for one group, or one entity fetch for a batch of groups of one step."""
        group = batch[0]
        if not group.is_entity:
            usages, definitions = self._variables(group.selections)
            variables = f"({', '.join(definitions)})" if definitions else ""
            text = f"{self.kind}{self._operation_name(group)}{variables} {group.selections.print()}"
            keys = group.selections.response_keys()
            return Fetch(
                group.subgraph, text, self.kind, tuple(usages), response_keys=keys, renames=tuple(group.renames)
            )
        paths = tuple(FlattenPath(m.path, m.selections.response_shape()) for m in batch)
        fetch = self._entity_fetch(batch)
        if len({path.keeps for path in paths}) == 1:  # every path asked for the same fields
            return Flatten(paths, fetch)
        unbatched = tuple(Flatten((path,), self._entity_fetch([m])) for path, m in zip(paths, batch, strict=True))
        return Flatten(paths, fetch, unbatched)

    def _variables(self, selections: Selections) -> tuple[list[str], list[str]]:
        """The variables ``selections`` use, in first-use order, and the definitions of those the
        operation defines."""
        if not self.variable_definitions:
            # A valid operation uses only the variables it defines, and the planner adds none (key
            # and @requires field sets have no variables): nothing to look for in any fetch.
            return [], []
        usages = list(dict.fromkeys(selections.variables()))
        return usages, [self.variable_definitions[v] for v in usages if v in self.variable_definitions]

    def _operation_name(self, group: FetchGroup) -> str:
        if self.operation.name is None:
            return ""
        return f" {self.operation.name.value}__{group.subgraph}__{group.id}"

    def _entity_fetch(self, batch: list[FetchGroup]) -> Fetch:
        """One ``_entities`` request for the union of the batch's selections."""
        group = batch[0]
        if len(batch) > 1:
            selections = Selections()
            for member in batch:
                selections.merge(member.selections)
            group = replace(group, selections=selections)
        usages, definitions = self._variables(group.selections)
        variables = ", ".join(["$representations: [_Any!]!", *definitions])
        text = (
            f"query{self._operation_name(group)}({variables}) "
            f"{{ _entities(representations: $representations) {group.selections.print()} }}"
        )
        representations = tuple(
            Representation(type_name, selections.shape(), group.sent_typenames.get(type_name))
            for type_name, selections in group.representations.items()
        )
        return Fetch(
            group.subgraph,
            text,
            "query",
            tuple(usages),
            representations,
            response_keys=group.selections.response_keys(),
            renames=tuple(dict.fromkeys(r for member in batch for r in member.renames)),
        )


def _batches(groups: list[FetchGroup], deadline: Deadline | None) -> list[list[FetchGroup]]:
    """One plan step's groups, batched: entity groups join the first earlier batch they can share
    a request with, so a step sends one ``_entities`` request per subgraph where that is safe."""
    batches: list[list[FetchGroup]] = []
    # Each entity group's representations printed once, not again for every batch it is compared with.
    sent = {group.id: _representation_text(group) for group in groups if group.is_entity}
    for group in groups:
        if deadline is not None:
            deadline.check()
        batch = next((b for b in batches if _can_share_request(b, group, sent)), None)
        if batch is None:
            batches.append([group])
        else:
            batch.append(group)
    return batches


def _can_share_request(batch: list[FetchGroup], group: FetchGroup, sent: dict[int, dict[str, str]]) -> bool:
    """Same subgraph, the same representations (keys and ``@requires`` per type, ``sent``: printed
    by group id), and no response key that means one field in the batch and another in ``group``."""
    first = batch[0]
    if not (first.is_entity and group.is_entity and first.subgraph == group.subgraph):
        return False
    if sent[first.id] != sent[group.id]:
        return False
    return not any(member.selections.conflicts_with(group.selections) for member in batch)


def _representation_text(group: FetchGroup) -> dict[str, str]:
    return {type_name: selections.print() for type_name, selections in group.representations.items()}


def _wrap(kind: type[Sequence | Parallel], nodes: list[PlanNode]) -> PlanNode | None:
    if not nodes:
        return None
    if len(nodes) == 1:
        return nodes[0]
    return kind(tuple(nodes))

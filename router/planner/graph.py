"""The fetch graph: what the walk builds and the layout reads.

A ``FetchGroup`` is one future fetch: a subgraph, where its answer goes (the response path), the
selections it asks for, the representations it sends (entity fetches) and the groups it waits for.
``At`` and ``Up`` say where the walk is in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphql import FieldNode

from router.planner.selections import PlanField, Selections

if TYPE_CHECKING:
    from collections.abc import Mapping
    from collections.abc import Sequence as Seq

    from graphql import DirectiveNode, GraphQLCompositeType, SelectionNode

    from router.planner.plan import Rename


@dataclass(slots=True)
class FetchGroup:
    id: int
    subgraph: str
    path: tuple[str, ...]
    root_index: int
    is_entity: bool
    selections: Selections = field(default_factory=Selections)
    representations: dict[str, Selections] = field(default_factory=dict)
    renames: list[Rename] = field(default_factory=list)
    # Object type -> the @interfaceObject name its representations carry to this subgraph.
    sent_typenames: dict[str, str] = field(default_factory=dict)
    depends_on: set[int] = field(default_factory=set)


# ``At`` and ``Up`` are never changed once built (``replace`` makes the next one), yet not frozen:
# a frozen dataclass's __init__ sets each field through object.__setattr__, three times the cost,
# and the walk builds one of each for every field with selections. Nothing hashes them.
@dataclass(slots=True)
class At:
    """Where the walk is: the fetch group, the selections it fills, the response path, and the
    fields a parent's ``@provides`` lets this group resolve although they are external."""

    group: FetchGroup
    target: Selections
    path: tuple[str, ...]
    # Nested: field name -> what the parent's @provides gives below it.
    provided: Mapping[str, Any] = field(default_factory=dict)
    # The field whose selections these are, and where it was planned: a field no subgraph can
    # reach from here (a value type's field, no key to jump with) re-plans that field elsewhere.
    up: Up | None = None
    # Subgraphs that could all resolve this place (a shareable path): only union members every one
    # of them has are safe to ask for. Empty: no restriction.
    candidates: frozenset[str] = frozenset()
    # While a field is re-planned elsewhere: the subgraphs that resolve what it was moved for,
    # preferred as entity sources below it.
    preferred: frozenset[str] = frozenset()
    # The @skip/@include of the fragments and fields enclosing this place in the current group. A
    # field fetched from another subgraph below them keeps them there: the objects may exist anyway
    # (another selection of them was unconditional), and the client must not get that field's
    # errors, nor the subgraph its work, when the condition excludes it.
    conditions: tuple[DirectiveNode, ...] = ()


@dataclass(slots=True)
class Up:
    at: At | None  # None: a root field
    parent: GraphQLCompositeType
    node: FieldNode


class FetchGraph:
    """Every fetch group of one operation, with the registries the walk finds them by."""

    def __init__(self, *, in_order: bool) -> None:
        # Mutations: root fields run in document order, so root groups are not reused out of order.
        self.in_order = in_order
        self.groups: list[FetchGroup] = []
        self.root_groups: list[FetchGroup] = []
        self.entity_groups: dict[tuple[str, tuple[str, ...], bool, int], FetchGroup] = {}

    def root_group(self, owners: list[str]) -> FetchGroup:
        """The root fetch a root field resolved by one of ``owners`` goes to (a new one if need be)."""
        root_groups = self.root_groups
        if self.in_order:
            # Mutation fields run in document order: only the last group may take the next field.
            if root_groups and root_groups[-1].subgraph in owners:
                return root_groups[-1]
        else:
            for group in root_groups:
                if group.subgraph in owners:
                    return group
        group = self.new_group(owners[0], (), len(root_groups), is_entity=False)
        root_groups.append(group)
        return group

    def new_group(self, subgraph: str, path: tuple[str, ...], root_index: int, *, is_entity: bool) -> FetchGroup:
        group = FetchGroup(len(self.groups), subgraph, path, root_index, is_entity)
        self.groups.append(group)
        return group

    def entity_group(
        self,
        subgraph: str,
        path: tuple[str, ...],
        root_index: int,
        *,
        separate: bool,
        sends: tuple[str, Seq[SelectionNode]] | None = None,
    ) -> FetchGroup:
        """The entity fetch to ``subgraph`` at ``path``.

        A group with @requires fields is kept apart: it must wait for the required fields, the
        plain group for the same subgraph and path need not. A group whose representations would
        send one field twice with different arguments (``sends``: type and required fields) is
        split again, since a representation has one value per field.
        """
        variant = 0
        while True:
            key = (subgraph, path, separate, variant)
            group = self.entity_groups.get(key)
            if group is None:
                group = self.new_group(subgraph, path, root_index, is_entity=True)
                self.entity_groups[key] = group
                return group
            if sends is None or not sends_conflict(group, *sends):
                return group
            variant += 1


def sends_conflict(group: FetchGroup, type_name: str, required: Seq[SelectionNode]) -> bool:
    """Whether ``group``'s representation of ``type_name`` already sends one of these fields,
    read under another alias (the same field with other arguments)."""
    representation = group.representations.get(type_name)
    if representation is None or not required:  # no @requires (most entity fields): nothing to clash
        return False
    sent = {item.name: item.alias for item in representation.items if isinstance(item, PlanField)}
    for selection in required:
        if isinstance(selection, FieldNode) and selection.name.value in sent:
            alias = selection.alias.value if selection.alias else None
            if sent[selection.name.value] != alias:
                return True
    return False

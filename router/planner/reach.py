"""What a subgraph can resolve from a place in the walk: the questions the walk asks of the supergraph.

Pure queries, no fetch group is changed: which subgraph resolves a field locally, through which
key another one is reached, what a choice would cost (fields a subgraph cannot resolve itself),
and which object types a subgraph may return for an abstract type.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
    get_named_type,
)

from router.planner.errors import PlanningError
from router.planner.fields import fragment_parts, provided_tree, top_level
from router.supergraph import parse_field_set

if TYPE_CHECKING:
    from collections.abc import Mapping
    from collections.abc import Sequence as Seq

    from graphql import GraphQLCompositeType, GraphQLOutputType, SelectionNode

    from router.planner.errors import Deadline
    from router.planner.graph import At
    from router.supergraph import EntityKey, Supergraph

# What a field costs a subgraph that can neither resolve it nor reach a subgraph that does.
UNREACHABLE_COST = 100


class Reach:
    """The supergraph's answers for one planning, checking the deadline as costs are computed."""

    def __init__(self, supergraph: Supergraph, deadline: Deadline | None) -> None:
        self.supergraph = supergraph
        self.schema = supergraph.planning_schema
        self.deadline = deadline

    def cost(
        self, subgraph: str, parent: str, selections: Seq[SelectionNode], provided: Mapping[str, Any] | None = None
    ) -> int:
        """How many selected fields ``subgraph`` cannot resolve itself: fewer means fewer fetches."""
        if self.deadline is not None:
            self.deadline.check()
        provided = provided or {}
        cost = 0
        for selection in selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                if name == "__typename":
                    continue
                join = self.supergraph.field_join(parent, name, subgraph)
                if join is None or join.requires or not (join.resolvable or name in provided):
                    # One entity fetch when a key leads there; far more when the parent field
                    # itself must be fetched again elsewhere.
                    cost += 1 if self.reachable_from(subgraph, parent, name, provided) else UNREACHABLE_COST
                elif selection.selection_set is not None:
                    parent_type = self.schema.get_type(parent)
                    field_def = getattr(parent_type, "fields", {}).get(name)
                    if field_def is not None:
                        named = get_named_type(field_def.type).name
                        below = dict(provided.get(name) or {})
                        if join.provides:
                            below.update(provided_tree(parse_field_set(join.provides).selections))
                        cost += self.cost(subgraph, named, selection.selection_set.selections, below)
                continue
            condition, _, inner = fragment_parts(selection)
            condition = condition or parent
            info = self.supergraph.types.get(condition)
            if info is not None and subgraph in info.subgraphs:
                cost += self.cost(subgraph, condition, inner, provided)
        return cost

    def reachable_from(
        self, subgraph: str, type_name: str, field_name: str, provided: Mapping[str, Any] | None = None
    ) -> bool:
        """Whether ``subgraph`` resolves the field or has a key of a subgraph that does."""
        provided = provided or {}
        if self.supergraph.can_resolve(type_name, field_name, subgraph):
            return True
        return any(
            all(self.supergraph.can_resolve(type_name, f, subgraph) or f in provided for f in top_level(key.fields))
            for owner in self.supergraph.resolvers(type_name, field_name)
            for key in self.keys_in(type_name, owner)
        )

    def keys_in(self, type_name: str, subgraph: str) -> list[EntityKey]:
        return self.supergraph.resolvable_keys(self.supergraph.entity_type_in(type_name, subgraph), subgraph)

    def has_locally(self, at: At, type_name: str, field_name: str) -> bool:
        join = self.supergraph.field_join(type_name, field_name, at.group.subgraph)
        return join is not None and not join.requires and (join.resolvable or field_name in at.provided)

    def field_set_local(self, at: At, type_name: str, selections: Seq[SelectionNode]) -> bool:
        """Whether the group's subgraph resolves a whole field set (a key), nested fields too."""
        parent = self.schema.get_type(type_name)
        for selection in selections:
            if not isinstance(selection, FieldNode):
                return False
            name = selection.name.value
            if not self.has_locally(at, type_name, name):
                return False
            if selection.selection_set is not None:
                field_def = getattr(parent, "fields", {}).get(name)
                if field_def is None:
                    return False
                inner = replace(at, provided=at.provided.get(name) or {})
                named = get_named_type(field_def.type).name
                if not self.field_set_local(inner, named, selection.selection_set.selections):
                    return False
        return True

    def possible_here(self, at: At, parent: GraphQLCompositeType) -> list[str]:
        """The object types the group's subgraph may return here; for a union on a shareable path,
        only the members every subgraph that could resolve the path has."""
        possible = self.supergraph.possible_types_in(parent.name, at.group.subgraph)
        if isinstance(parent, GraphQLUnionType) and len(at.candidates) > 1:
            for candidate in at.candidates:
                members = self.supergraph.possible_types_in(parent.name, candidate)
                possible = [name for name in possible if name in members]
        return possible

    def all_local(self, at: At, parent: GraphQLCompositeType, selections: Seq[SelectionNode]) -> bool:
        """Whether the group's subgraph resolves every field selected directly on ``parent``."""
        for selection in selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                if name == "__typename":
                    continue
                if not self.has_locally(at, parent.name, name) or not all(
                    self.has_locally(at, t, name)
                    for t in self.supergraph.possible_types_in(parent.name, at.group.subgraph)
                ):
                    return False
                continue
            condition, _, inner = fragment_parts(selection)
            if (condition is None or condition == parent.name) and not self.all_local(at, parent, inner):
                return False
        return True

    def fragment_types(self, at: At, parent: GraphQLCompositeType, condition: str | None) -> list[GraphQLCompositeType]:
        """Where a fragment on ``condition`` inside ``parent`` applies, as types to plan it on."""
        if condition is None or condition == parent.name:
            return [parent]
        condition_type = self.schema.get_type(condition)
        if isinstance(parent, GraphQLObjectType):
            applies = isinstance(condition_type, GraphQLInterfaceType | GraphQLUnionType) and self.schema.is_sub_type(
                condition_type, parent
            )
            return [parent] if applies else []
        possible = self.possible_here(at, parent)
        if isinstance(condition_type, GraphQLObjectType):
            return [condition_type] if condition in possible else []
        if not isinstance(condition_type, GraphQLInterfaceType | GraphQLUnionType):
            return []
        found: list[GraphQLCompositeType] = []
        for name in possible:
            object_type = self.schema.get_type(name)
            if isinstance(object_type, GraphQLObjectType) and self.schema.is_sub_type(condition_type, object_type):
                found.append(object_type)
        return found

    def interface_source(self, at: At, interface: str) -> tuple[str, str] | None:
        """A subgraph with the interface itself and a key of it the group's subgraph has."""
        for subgraph in self.supergraph.subgraphs:
            if self.supergraph.is_interface_object(interface, subgraph):
                continue
            for key in self.supergraph.resolvable_keys(interface, subgraph):
                if all(self.has_locally(at, interface, f) for f in top_level(key.fields)):
                    return subgraph, key.fields
        return None

    def interface_object_source(self, at: At, interface: str, field_name: str) -> tuple[str, str] | None:
        """Another @interfaceObject subgraph resolving the interface's field, with a key we have."""
        for subgraph in self.supergraph.resolvers(interface, field_name):
            if subgraph == at.group.subgraph or not self.supergraph.is_interface_object(interface, subgraph):
                continue
            for key in self.supergraph.resolvable_keys(interface, subgraph):
                if all(self.has_locally(at, interface, f) for f in top_level(key.fields)):
                    return subgraph, key.fields
        return None

    def field_type(self, parent: GraphQLCompositeType, name: str) -> GraphQLOutputType:
        if isinstance(parent, GraphQLUnionType):
            msg = f"field {name!r} selected directly on union {parent.name}"
            raise PlanningError(msg)
        field_def = parent.fields.get(name)
        if field_def is None:
            msg = f"{parent.name} has no field {name!r}"
            raise PlanningError(msg)
        field_type: GraphQLOutputType = field_def.type
        return field_type

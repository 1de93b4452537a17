"""Planning, phase 1: walk the operation, building the fetch graph.

Input: the supergraph, a normalised operation and the deadline. Output: a ``FetchGraph``.

The walk visits the client's selections once. Each field goes to the current fetch group when
that group's subgraph resolves it; otherwise to an entity group keyed by (subgraph, response path),
and the current group is extended with ``__typename`` and the key fields that group needs.
``@requires`` fields are planned like client fields at the same place first, and the entity group
depends on every group that fetched them. A field no subgraph can reach from where its parent was
fetched re-plans the parent field elsewhere, preferring (``At.preferred``) the subgraphs that
resolve it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
    InlineFragmentNode,
    NamedTypeNode,
    NameNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    is_composite_type,
)

from router.planner.errors import PlanningError, not_normalised
from router.planner.fields import (
    add_field_set,
    alias_arguments,
    conditionals,
    copy_field,
    deciding,
    fragment_parts,
    list_steps,
    provided_tree,
    top_level,
    type_suffix,
)
from router.planner.graph import At, FetchGraph, Up
from router.planner.plan import Rename
from router.planner.reach import Reach
from router.planner.selections import Selections, under_conditions
from router.supergraph import parse_field_set

if TYPE_CHECKING:
    from collections.abc import Sequence as Seq

    from graphql import GraphQLCompositeType, OperationDefinitionNode, SelectionNode

    from router.planner.errors import Deadline
    from router.planner.graph import FetchGroup
    from router.supergraph import Supergraph

INTROSPECTION_ROOT_FIELDS = frozenset({"__schema", "__type"})


def walk(supergraph: Supergraph, operation: OperationDefinitionNode, deadline: Deadline | None) -> FetchGraph:
    """The fetch graph of a normalised operation."""
    return _Walk(supergraph, operation, deadline).root()


class _Walk:
    def __init__(self, supergraph: Supergraph, operation: OperationDefinitionNode, deadline: Deadline | None) -> None:
        self.supergraph = supergraph
        self.schema = supergraph.planning_schema
        self.operation = operation
        self.reach = Reach(supergraph, deadline)
        self.graph = FetchGraph(in_order=operation.operation == OperationType.MUTATION)
        # Guards against endless detours: fields being reached through an intermediate subgraph,
        # and fields already moved to be fetched elsewhere.
        self.jumping: set[tuple[str, str]] = set()
        self.moving: set[tuple[int, str, str]] = set()

    def root(self) -> FetchGraph:
        root = self.schema.get_root_type(self.operation.operation)
        if root is None:
            msg = f"the schema has no {self.operation.operation.value} type"
            raise PlanningError(msg)
        for root_field in self._collect_root_fields(root, self.operation.selection_set.selections):
            name = root_field.name.value
            if name == "__typename" or name in INTROSPECTION_ROOT_FIELDS:
                continue
            owners = self.supergraph.resolvers(root.name, name)
            if not owners:
                msg = f"no subgraph resolves {root.name}.{name}"
                raise PlanningError(msg)
            # A shareable root field goes to a subgraph that resolves most of it (an existing
            # fetch among the cheapest, so no request is added for nothing). With one owner there
            # is nothing to weigh, and no reason to walk the field's selections to cost them.
            cheapest_owners = owners if len(owners) == 1 else self._cheapest(owners, root.name, root_field)
            group = self.graph.root_group(cheapest_owners)
            self._plan_field(At(group, group.selections, ()), root, root_field)
        return self.graph

    def _cheapest(self, owners: list[str], root_name: str, root_field: FieldNode) -> list[str]:
        costs = {owner: self.reach.cost(owner, root_name, [root_field]) for owner in owners}
        cheapest = min(costs.values())
        return [o for o in owners if costs[o] == cheapest]

    def _collect_root_fields(self, root: GraphQLObjectType, selections: Seq[SelectionNode]) -> list[FieldNode]:
        # Root fragments are flattened so each root field can go to its own subgraph; their
        # @skip/@include stay with the client operation, where shaping applies them.
        fields: list[FieldNode] = []
        for selection in selections:
            if isinstance(selection, FieldNode):
                fields.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                fields.extend(self._collect_root_fields(root, selection.selection_set.selections))
            elif isinstance(selection, FragmentSpreadNode):
                raise not_normalised()
        return fields

    def _plan_selections(self, at: At, parent: GraphQLCompositeType, selections: Seq[SelectionNode]) -> set[int]:
        """Plan ``selections`` on ``parent`` into ``at``; the ids of every group used.

        On an abstract type whose fields the group's subgraph cannot all resolve, the selections
        are planned once per object type the subgraph may return there (``... on T``), so each
        field of each type can then go to the subgraph that resolves it for that type.
        """
        if self.supergraph.is_interface_object(parent.name, at.group.subgraph):
            return self._plan_interface_object(at, parent, selections)
        if isinstance(parent, GraphQLObjectType) or self.reach.all_local(at, parent, selections):
            return self._plan_on(at, parent, selections)
        used = {at.group.id}
        possible = self.reach.possible_here(at, parent)
        if not possible:
            msg = f"cannot plan the selections on {parent.name}: subgraph {at.group.subgraph!r} returns no type of it"
            raise PlanningError(msg)
        for name in possible:
            object_type = self.schema.get_type(name)
            if not isinstance(object_type, GraphQLObjectType):
                continue
            inside = replace(at, target=at.target.fragment(name).selections)
            used |= self._plan_on(inside, object_type, selections)
        return used

    def _plan_interface_object(
        self, at: At, interface: GraphQLCompositeType, selections: Seq[SelectionNode]
    ) -> set[int]:
        """Selections on an interface the group's subgraph knows only as an ``@interfaceObject``.

        Its own fields stay local. ``__typename``, type conditions and other subgraphs' fields need
        the object's real type, so they go in one entity fetch to a subgraph that has the interface
        itself (which answers with the object type), planned there like any selection.
        """
        local: list[SelectionNode] = []
        remote: list[SelectionNode] = []
        used: set[int] = {at.group.id}
        pending = list(selections)
        while pending:
            selection = pending.pop(0)
            if isinstance(selection, FieldNode):
                name = selection.name.value
                if name != "__typename" and self.reach.has_locally(at, interface.name, name):
                    local.append(selection)
                    continue
                sibling = self.reach.interface_object_source(at, interface.name, name)
                if sibling is None:
                    remote.append(selection)
                else:
                    # Another @interfaceObject subgraph has the field for every type: no need to
                    # learn the object's type first.
                    used |= self._plan_interface_jump(at, interface, selection, *sibling)
                continue
            condition, directives, inner = fragment_parts(selection)
            if (condition is None or condition == interface.name) and not directives:
                pending[:0] = inner
            else:
                remote.append(selection)
        used |= self._plan_on(at, interface, local)
        if not remote:
            return used
        source = self.reach.interface_source(at, interface.name)
        if source is None:
            msg = f"cannot plan {interface.name} from subgraph {at.group.subgraph!r}: no subgraph has its type"
            raise PlanningError(msg)
        subgraph, key = source
        child = self.graph.entity_group(subgraph, at.path, at.group.root_index, separate=False)
        child.depends_on.add(at.group.id)
        key_set = parse_field_set(key)
        at.target.add_plain_field("__typename")
        add_field_set(at.target, key_set.selections)
        representation = _representation(child, interface.name)
        representation.add_plain_field("__typename")
        add_field_set(representation, key_set.selections)
        target = under_conditions(child.selections, interface.name, at.conditions)
        target.add_plain_field("__typename")
        return (
            used
            | {child.id}
            | self._plan_selections(At(child, target, at.path, preferred=at.preferred), interface, remote)
        )

    def _plan_interface_jump(
        self, at: At, interface: GraphQLCompositeType, node: FieldNode, subgraph: str, key: str
    ) -> set[int]:
        child = self.graph.entity_group(subgraph, at.path, at.group.root_index, separate=False)
        child.depends_on.add(at.group.id)
        key_set = parse_field_set(key)
        at.target.add_plain_field("__typename")
        add_field_set(at.target, key_set.selections)
        # The objects may already carry their object type (another fetch of this step learnt it):
        # each one sends the interface's name.
        possible = self.schema.get_possible_types(interface) if isinstance(interface, GraphQLInterfaceType) else []
        for type_name in (interface.name, *(t.name for t in possible)):
            representation = _representation(child, type_name)
            representation.add_plain_field("__typename")
            add_field_set(representation, key_set.selections)
            if type_name != interface.name:
                child.sent_typenames[type_name] = interface.name
        target = under_conditions(child.selections, interface.name, at.conditions)
        return {at.group.id} | self._plan_local_field(
            At(child, target, at.path, up=at.up, preferred=at.preferred), interface, node, None
        )

    def _plan_on(self, at: At, parent: GraphQLCompositeType, selections: Seq[SelectionNode]) -> set[int]:
        used = {at.group.id}
        for selection in selections:
            if isinstance(selection, FieldNode):
                used |= self._plan_field(at, parent, selection)
                continue
            condition, directives, inner = fragment_parts(selection)
            for runtime in self.reach.fragment_types(at, parent, condition):
                if runtime is parent and not directives:
                    used |= self._plan_selections(at, parent, inner)
                    continue
                fragment = at.target.fragment(runtime.name, directives)
                inside = replace(at, target=fragment.selections, conditions=at.conditions + deciding(directives))
                used |= self._plan_selections(inside, runtime, inner)
        return used

    def _plan_field(self, at: At, parent: GraphQLCompositeType, node: FieldNode) -> set[int]:
        if self.reach.deadline is not None:
            self.reach.deadline.check()
        name = node.name.value
        if name == "__typename":
            at.target.add_field(copy_field(node, with_selections=False))
            return {at.group.id}
        join = self.supergraph.field_join(parent.name, name, at.group.subgraph)
        local = join is not None and (join.resolvable or name in at.provided)
        if local and join is not None and not join.requires:
            return self._plan_local_field(at, parent, node, join.provides, join.type)
        return self._plan_remote_field(at, parent, node)

    def _plan_local_field(  # noqa: PLR0913 - a field, where it goes, what its subgraph says of it
        self,
        at: At,
        parent: GraphQLCompositeType,
        node: FieldNode,
        provides: str | None,
        subgraph_type: str | None = None,
        *,
        origin: At | None = None,
    ) -> set[int]:
        field_type = self.reach.field_type(parent, node.name.value)
        copied = copy_field(node, with_selections=node.selection_set is not None)
        if subgraph_type and node.selection_set is None and subgraph_type != str(field_type):
            # The subgraph's type differs from the supergraph's (``ID!`` here, ``ID`` on a sibling
            # type): two fragments could not share the response key, so this one is aliased.
            key = copied.response_key
            copied.alias = f"kcp_{key}_{type_suffix(subgraph_type)}"
            relative = at.path[len(at.group.path) :]
            rename = Rename(relative, copied.alias, key)
            if rename not in at.group.renames:
                at.group.renames.append(rename)
        added = at.target.add_field(copied)
        if node.selection_set is None or added.selections is None:
            return {at.group.id}
        named = get_named_type(field_type)
        if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            # Shaping needs the runtime type of abstract values to apply type conditions.
            added.selections.add_plain_field("__typename")
        provided = provided_tree(parse_field_set(provides).selections) if provides else {}
        below = at.provided.get(node.name.value)
        if below:
            provided = {**below, **provided}
        child_path = (*at.path, added.response_key, *list_steps(field_type))
        # Where the field was planned from: the fetch before an entity jump, when there was one.
        origin = origin or at
        up = Up(origin if origin.path or origin.up else None, parent, node)
        owners = frozenset(self.supergraph.resolvers(parent.name, node.name.value))
        candidates = owners if self.supergraph.is_entity(parent.name) or not at.candidates else owners & at.candidates
        conditions = at.conditions + deciding(conditionals(node.directives))
        inside = At(at.group, added.selections, child_path, provided, up, candidates, at.preferred, conditions)
        # The subgraph may declare a narrower type (an object where the supergraph has a union):
        # selections are planned on what it really returns, so no fragment there is invalid.
        own_type = self.schema.get_type(subgraph_type.strip("[]!")) if subgraph_type else None
        if own_type is not None and own_type is not named and is_composite_type(own_type):
            named = own_type
        return self._plan_selections(inside, named, node.selection_set.selections)  # type: ignore[arg-type]

    def _plan_remote_field(self, at: At, parent: GraphQLCompositeType, node: FieldNode) -> set[int]:
        group, target, path = at.group, at.target, at.path
        name = node.name.value
        if not isinstance(parent, GraphQLObjectType):
            msg = f"cannot plan {parent.name}.{name} from subgraph {group.subgraph!r}: no subgraph resolves it there"
            raise PlanningError(msg)
        try:
            target_subgraph, key, direct = self._choose_entity_source(at, parent.name, name)
        except PlanningError:
            moving = (id(at.up), parent.name, name)
            if at.up is None or moving in self.moving:
                raise
            self.moving.add(moving)
            return self._replan_elsewhere(at.up, parent, node, group.subgraph)
        join = self.supergraph.field_join(parent.name, name, target_subgraph)
        requires = join.requires if join is not None else None
        # The current group fetches what the representation needs: __typename and the key (through
        # other subgraphs when the current one lacks key fields), and the @requires fields, planned
        # wherever they live. The entity fetch waits for every fetch they come from.
        key_set = parse_field_set(key)
        target.add_plain_field("__typename")
        providers: set[int] = set()
        if direct:
            add_field_set(target, key_set.selections)
        else:
            providers |= self._plan_selections(at, parent, key_set.selections)
        required: tuple[SelectionNode, ...] = ()
        if requires:
            required = alias_arguments(parse_field_set(requires).selections)
            providers |= self._plan_selections(at, parent, required)
        child = self.graph.entity_group(
            target_subgraph,
            path,
            group.root_index,
            separate=bool(providers - {group.id}),
            sends=(parent.name, required),
        )
        child.depends_on |= (providers | {group.id}) - {child.id}
        used = {group.id, child.id} | providers
        entity_type = self.supergraph.entity_type_in(parent.name, target_subgraph)
        if entity_type != parent.name:
            child.sent_typenames[parent.name] = entity_type
        representation = _representation(child, parent.name)
        representation.add_plain_field("__typename")
        add_field_set(representation, key_set.selections)
        add_field_set(representation, required)
        entity_target = under_conditions(child.selections, entity_type, at.conditions)
        used |= self._plan_local_field(
            At(child, entity_target, path, up=at.up, preferred=at.preferred),
            parent,
            node,
            join.provides if join is not None else None,
            join.type if join is not None else None,
            origin=at,
        )
        return used

    def _replan_elsewhere(self, up: Up, parent: GraphQLCompositeType, node: FieldNode, failed_in: str) -> set[int]:
        """``node`` cannot be reached from where its parent field was fetched: fetch the parent
        field again, with just this selection, from a subgraph that resolves ``node`` there or can
        jump to one that does."""
        name = node.name.value
        field_owners = [
            owner
            for owner in self.supergraph.resolvers(up.parent.name, up.node.name.value)
            if owner != failed_in and self.reach.reachable_from(owner, parent.name, name)
        ]
        field_owners.sort(key=lambda owner: not self.supergraph.can_resolve(parent.name, name, owner))
        if not field_owners:
            msg = f"cannot plan {parent.name}.{name} under {up.parent.name}.{up.node.name.value}"
            raise PlanningError(msg)
        inner = InlineFragmentNode(
            type_condition=NamedTypeNode(name=NameNode(value=parent.name)),
            directives=(),
            selection_set=SelectionSetNode(selections=(node,)),
        )
        again = replace(up.node, selection_set=SelectionSetNode(selections=(inner,)))
        if up.at is None:
            if self.supergraph.is_entity(parent.name):
                # An entity is reached through its keys; fetching the root field again from
                # another subgraph could return another object.
                msg = f"cannot plan {parent.name}.{name}: no subgraph with it has a key the others can provide"
                raise PlanningError(msg)
            group = self.graph.root_group(field_owners[:1])
            return self._plan_field(At(group, group.selections, ()), up.parent, again)
        return self._plan_remote_field(replace(up.at, preferred=frozenset(field_owners[:1])), up.parent, again)

    def _choose_entity_source(self, at: At, type_name: str, field_name: str) -> tuple[str, str, bool]:
        """A subgraph resolving the field, a key of it, and whether ``at``'s subgraph has that key.

        A key the current subgraph has is best, preferring a subgraph already fetched from at this
        place (one request fewer). Otherwise a key whose fields other subgraphs can provide: an
        entity jump through an intermediate subgraph.
        """
        current = at.group.subgraph
        candidates = self.supergraph.resolvers(type_name, field_name)
        if at.preferred:
            candidates = [c for c in candidates if c in at.preferred] or candidates
        if len(candidates) > 1:  # one candidate (most fields): no order to find, no groups to scan
            existing = {g.subgraph for (_, p, _, _), g in self.graph.entity_groups.items() if p == at.path}
            candidates.sort(key=lambda c: c not in existing)
        for candidate in candidates:
            for key in self.reach.keys_in(type_name, candidate):
                if self.reach.field_set_local(at, type_name, parse_field_set(key.fields).selections):
                    return candidate, key.fields, True
        if (type_name, field_name) not in self.jumping:
            self.jumping.add((type_name, field_name))
            for candidate in candidates:
                for key in self.reach.keys_in(type_name, candidate):
                    if all(
                        self.reach.has_locally(at, type_name, key_field)
                        or any(
                            s != candidate and self.reach.reachable_from(current, type_name, key_field)
                            for s in self.supergraph.resolvers(type_name, key_field)
                        )
                        for key_field in top_level(key.fields)
                    ):
                        return candidate, key.fields, False
        msg = (
            f"cannot plan {type_name}.{field_name}: no subgraph resolving it has a @key that "
            f"subgraph {current!r} can provide"
        )
        raise PlanningError(msg)


def _representation(group: FetchGroup, type_name: str) -> Selections:
    """What ``group`` sends for objects of ``type_name``, created empty the first time."""
    representation = group.representations.get(type_name)
    if representation is None:  # not setdefault: that builds a Selections for every entity field
        representation = group.representations[type_name] = Selections()
    return representation

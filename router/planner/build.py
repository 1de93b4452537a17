"""Build a query plan: supergraph + validated operation in, ``Sequence|Parallel|Fetch|Flatten`` out.

Pure: no I/O, no variables' values (``@skip``/``@include`` are forwarded to subgraphs and applied
again by shaping), so a plan is cached per (document, operation name).

The algorithm walks the client's selections once. Each field goes to the current fetch group when
that group's subgraph resolves it; otherwise to an entity group keyed by (subgraph, response path),
and the current group is extended with ``__typename`` and the key fields that group needs.
``@requires`` fields are planned like client fields at the same place first, and the entity group
depends on every group that fetched them. Groups are then laid out in dependency levels, and the
entity groups of one level that can share a request (same subgraph, same representations, no
response key meaning two different fields) become one ``Flatten`` with several paths.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLUnionType,
    InlineFragmentNode,
    NamedTypeNode,
    NameNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    is_composite_type,
    print_ast,
)

from router.planner.plan import (
    Fetch,
    Flatten,
    FlattenPath,
    Parallel,
    PlanNode,
    QueryPlan,
    Rename,
    Representation,
    Sequence,
)
from router.planner.selections import PlanField, Selections
from router.supergraph import parse_field_set

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from collections.abc import Sequence as Seq

    from graphql import (
        DirectiveNode,
        GraphQLCompositeType,
        GraphQLOutputType,
        OperationDefinitionNode,
        SelectionNode,
    )

    from router.supergraph import EntityKey, Supergraph

INTROSPECTION_ROOT_FIELDS = frozenset({"__schema", "__type"})
CONDITIONAL_DIRECTIVES = frozenset({"skip", "include"})
# What a field costs a subgraph that can neither resolve it nor reach a subgraph that does.
UNREACHABLE_COST = 100


class PlanningError(Exception):
    """The operation cannot be planned against this supergraph; the message names the field."""


class PlanningTimeoutError(PlanningError):
    """Planning took longer than its budget: the document is refused, not left to run."""

    def __init__(self, budget_ms: float) -> None:
        super().__init__(f"planning took longer than {budget_ms:g} ms")
        self.budget_ms = budget_ms


def _not_normalised() -> PlanningError:
    # The planner reads normalised operations only: fragments are inlined once by the document stage.
    return PlanningError("the operation has fragment spreads: normalise it first (router.pipeline.normalise)")


@dataclass(slots=True)
class _Group:
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


@dataclass(frozen=True, slots=True)
class _At:
    """Where the walk is: the fetch group, the selections it fills, the response path, and the
    fields a parent's ``@provides`` lets this group resolve although they are external."""

    group: _Group
    target: Selections
    path: tuple[str, ...]
    # Nested: field name -> what the parent's @provides gives below it.
    provided: Mapping[str, Any] = field(default_factory=dict)
    # The field whose selections these are, and where it was planned: a field no subgraph can
    # reach from here (a value type's field, no key to jump with) re-plans that field elsewhere.
    up: _Up | None = None
    # Subgraphs that could all resolve this place (a shareable path): only union members every one
    # of them has are safe to ask for. Empty: no restriction.
    candidates: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class _Up:
    at: _At | None  # None: a root field
    parent: GraphQLCompositeType
    node: FieldNode


class Planner:
    """Plans operations for one supergraph, each within ``timeout_ms`` (None: no budget)."""

    def __init__(self, supergraph: Supergraph, *, timeout_ms: float | None = None) -> None:
        self.supergraph = supergraph
        self.timeout_ms = timeout_ms

    def plan(self, operation: OperationDefinitionNode) -> QueryPlan:
        """The plan for a normalised operation (``router.pipeline.normalise``: no fragment spreads)."""
        deadline = None
        if self.timeout_ms is not None:
            deadline = _Deadline(time.perf_counter() + self.timeout_ms / 1000, self.timeout_ms)
        return _Planner(self.supergraph, operation, deadline).plan()


def plan_operation(supergraph: Supergraph, operation: OperationDefinitionNode) -> QueryPlan:
    """The plan for a normalised operation, with no time budget."""
    return Planner(supergraph).plan(operation)


@dataclass(frozen=True, slots=True)
class _Deadline:
    at: float  # time.perf_counter()
    budget_ms: float

    def check(self) -> None:
        if time.perf_counter() > self.at:
            raise PlanningTimeoutError(self.budget_ms)


class _Planner:
    def __init__(self, supergraph: Supergraph, operation: OperationDefinitionNode, deadline: _Deadline | None) -> None:
        self.supergraph = supergraph
        self.schema = supergraph.planning_schema
        self.operation = operation
        self.deadline = deadline
        self.groups: list[_Group] = []
        self.entity_groups: dict[tuple[str, tuple[str, ...], bool, int], _Group] = {}
        # Fields being reached through an intermediate subgraph: a guard against endless detours.
        self.jumping: set[tuple[str, str]] = set()
        self.root_groups: list[_Group] = []
        # While re-planning a field elsewhere: the subgraphs that resolve what it was moved for.
        self.preferred: set[str] = set()
        self.moving: set[tuple[int, str, str]] = set()
        self.kind = operation.operation.value
        self.variable_definitions = {v.variable.name.value: print_ast(v) for v in operation.variable_definitions or ()}

    # --- walking ------------------------------------------------------------------------------

    def plan(self) -> QueryPlan:
        root = self.schema.get_root_type(self.operation.operation)
        if root is None:
            msg = f"the schema has no {self.kind} type"
            raise PlanningError(msg)
        root_groups = self.root_groups
        for root_field in self._collect_root_fields(root, self.operation.selection_set.selections):
            name = root_field.name.value
            if name == "__typename" or name in INTROSPECTION_ROOT_FIELDS:
                continue
            owners = self.supergraph.resolvers(root.name, name)
            if not owners:
                msg = f"no subgraph resolves {root.name}.{name}"
                raise PlanningError(msg)
            # A shareable root field goes to a subgraph that resolves most of it (an existing
            # fetch among the cheapest, so no request is added for nothing).
            costs = {owner: self._cost(owner, root.name, [root_field]) for owner in owners}
            cheapest = min(costs.values())
            group = self._root_group(root_groups, [o for o in owners if costs[o] == cheapest])
            self._plan_field(_At(group, group.selections, ()), root, root_field)
        return QueryPlan(node=self._layout(root_groups), operation_kind=self.kind)

    def _cost(
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
                    cost += 1 if self._reachable_from(subgraph, parent, name, provided) else UNREACHABLE_COST
                elif selection.selection_set is not None:
                    parent_type = self.schema.get_type(parent)
                    field_def = getattr(parent_type, "fields", {}).get(name)
                    if field_def is not None:
                        named = get_named_type(field_def.type).name
                        below = dict(provided.get(name) or {})
                        if join.provides:
                            below.update(_provided_tree(parse_field_set(join.provides).selections))
                        cost += self._cost(subgraph, named, selection.selection_set.selections, below)
                continue
            condition, _, inner = self._fragment_parts(selection)
            condition = condition or parent
            info = self.supergraph.types.get(condition)
            if info is not None and subgraph in info.subgraphs:
                cost += self._cost(subgraph, condition, inner, provided)
        return cost

    def _root_group(self, root_groups: list[_Group], owners: list[str]) -> _Group:
        if self.operation.operation == OperationType.MUTATION:
            # Mutation fields run in document order: only the last group may take the next field.
            if root_groups and root_groups[-1].subgraph in owners:
                return root_groups[-1]
        else:
            for group in root_groups:
                if group.subgraph in owners:
                    return group
        group = self._new_group(owners[0], (), len(root_groups), is_entity=False)
        root_groups.append(group)
        return group

    def _new_group(self, subgraph: str, path: tuple[str, ...], root_index: int, *, is_entity: bool) -> _Group:
        group = _Group(len(self.groups), subgraph, path, root_index, is_entity)
        self.groups.append(group)
        return group

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
                raise _not_normalised()
        return fields

    def _plan_selections(self, at: _At, parent: GraphQLCompositeType, selections: Seq[SelectionNode]) -> set[int]:
        """Plan ``selections`` on ``parent`` into ``at``; the ids of every group used.

        On an abstract type whose fields the group's subgraph cannot all resolve, the selections
        are planned once per object type the subgraph may return there (``... on T``), so each
        field of each type can then go to the subgraph that resolves it for that type.
        """
        if self.supergraph.is_interface_object(parent.name, at.group.subgraph):
            return self._plan_interface_object(at, parent, selections)
        if isinstance(parent, GraphQLObjectType) or self._all_local(at, parent, selections):
            return self._plan_on(at, parent, selections)
        used = {at.group.id}
        possible = self._possible_here(at, parent)
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
        self, at: _At, interface: GraphQLCompositeType, selections: Seq[SelectionNode]
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
                if name != "__typename" and self._has_locally(at, interface.name, name):
                    local.append(selection)
                    continue
                sibling = self._interface_object_source(at, interface.name, name)
                if sibling is None:
                    remote.append(selection)
                else:
                    # Another @interfaceObject subgraph has the field for every type: no need to
                    # learn the object's type first.
                    used |= self._plan_interface_jump(at, interface, selection, *sibling)
                continue
            condition, directives, inner = self._fragment_parts(selection)
            if (condition is None or condition == interface.name) and not directives:
                pending[:0] = inner
            else:
                remote.append(selection)
        used |= self._plan_on(at, interface, local)
        if not remote:
            return used
        source = self._interface_source(at, interface.name)
        if source is None:
            msg = f"cannot plan {interface.name} from subgraph {at.group.subgraph!r}: no subgraph has its type"
            raise PlanningError(msg)
        subgraph, key = source
        child = self._entity_group(subgraph, at.path, at.group.root_index, separate=False)
        child.depends_on.add(at.group.id)
        key_set = parse_field_set(key)
        at.target.add_field(PlanField("__typename"))
        _add_field_set(at.target, key_set.selections)
        representation = child.representations.setdefault(interface.name, Selections())
        representation.add_field(PlanField("__typename"))
        _add_field_set(representation, key_set.selections)
        target = child.selections.fragment(interface.name).selections
        target.add_field(PlanField("__typename"))
        return used | {child.id} | self._plan_selections(_At(child, target, at.path), interface, remote)

    def _interface_object_source(self, at: _At, interface: str, field_name: str) -> tuple[str, str] | None:
        """Another @interfaceObject subgraph resolving the interface's field, with a key we have."""
        for subgraph in self.supergraph.resolvers(interface, field_name):
            if subgraph == at.group.subgraph or not self.supergraph.is_interface_object(interface, subgraph):
                continue
            for key in self.supergraph.resolvable_keys(interface, subgraph):
                if all(self._has_locally(at, interface, f) for f in _top_level(key.fields)):
                    return subgraph, key.fields
        return None

    def _plan_interface_jump(
        self, at: _At, interface: GraphQLCompositeType, node: FieldNode, subgraph: str, key: str
    ) -> set[int]:
        child = self._entity_group(subgraph, at.path, at.group.root_index, separate=False)
        child.depends_on.add(at.group.id)
        key_set = parse_field_set(key)
        at.target.add_field(PlanField("__typename"))
        _add_field_set(at.target, key_set.selections)
        # The objects may already carry their object type (another fetch of this step learnt it):
        # each one sends the interface's name.
        possible = self.schema.get_possible_types(interface) if isinstance(interface, GraphQLInterfaceType) else []
        for type_name in (interface.name, *(t.name for t in possible)):
            representation = child.representations.setdefault(type_name, Selections())
            representation.add_field(PlanField("__typename"))
            _add_field_set(representation, key_set.selections)
            if type_name != interface.name:
                child.sent_typenames[type_name] = interface.name
        target = child.selections.fragment(interface.name).selections
        return {at.group.id} | self._plan_local_field(_At(child, target, at.path, up=at.up), interface, node, None)

    def _interface_source(self, at: _At, interface: str) -> tuple[str, str] | None:
        """A subgraph with the interface itself and a key of it the group's subgraph has."""
        for subgraph in self.supergraph.subgraphs:
            if self.supergraph.is_interface_object(interface, subgraph):
                continue
            for key in self.supergraph.resolvable_keys(interface, subgraph):
                if all(self._has_locally(at, interface, f) for f in _top_level(key.fields)):
                    return subgraph, key.fields
        return None

    def _possible_here(self, at: _At, parent: GraphQLCompositeType) -> list[str]:
        """The object types the group's subgraph may return here; for a union on a shareable path,
        only the members every subgraph that could resolve the path has."""
        possible = self.supergraph.possible_types_in(parent.name, at.group.subgraph)
        if isinstance(parent, GraphQLUnionType) and len(at.candidates) > 1:
            for candidate in at.candidates:
                members = self.supergraph.possible_types_in(parent.name, candidate)
                possible = [name for name in possible if name in members]
        return possible

    def _all_local(self, at: _At, parent: GraphQLCompositeType, selections: Seq[SelectionNode]) -> bool:
        """Whether the group's subgraph resolves every field selected directly on ``parent``."""
        for selection in selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                if name == "__typename":
                    continue
                if not self._has_locally(at, parent.name, name) or not all(
                    self._has_locally(at, t, name)
                    for t in self.supergraph.possible_types_in(parent.name, at.group.subgraph)
                ):
                    return False
                continue
            condition, _, inner = self._fragment_parts(selection)
            if (condition is None or condition == parent.name) and not self._all_local(at, parent, inner):
                return False
        return True

    def _fragment_parts(
        self, selection: SelectionNode
    ) -> tuple[str | None, tuple[DirectiveNode, ...], Seq[SelectionNode]]:
        if isinstance(selection, FragmentSpreadNode):
            raise _not_normalised()
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else None
            return condition, _conditionals(selection.directives), selection.selection_set.selections
        return None, (), ()

    def _plan_on(self, at: _At, parent: GraphQLCompositeType, selections: Seq[SelectionNode]) -> set[int]:
        used = {at.group.id}
        for selection in selections:
            if isinstance(selection, FieldNode):
                used |= self._plan_field(at, parent, selection)
                continue
            condition, directives, inner = self._fragment_parts(selection)
            for runtime in self._fragment_types(at, parent, condition):
                if runtime is parent and not directives:
                    used |= self._plan_selections(at, parent, inner)
                    continue
                fragment = at.target.fragment(runtime.name, directives)
                inside = replace(at, target=fragment.selections)
                used |= self._plan_selections(inside, runtime, inner)
        return used

    def _fragment_types(
        self, at: _At, parent: GraphQLCompositeType, condition: str | None
    ) -> list[GraphQLCompositeType]:
        """Where a fragment on ``condition`` inside ``parent`` applies, as types to plan it on."""
        if condition is None or condition == parent.name:
            return [parent]
        condition_type = self.schema.get_type(condition)
        if isinstance(parent, GraphQLObjectType):
            applies = isinstance(condition_type, GraphQLInterfaceType | GraphQLUnionType) and self.schema.is_sub_type(
                condition_type, parent
            )
            return [parent] if applies else []
        possible = self._possible_here(at, parent)
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

    def _plan_field(self, at: _At, parent: GraphQLCompositeType, node: FieldNode) -> set[int]:
        if self.deadline is not None:
            self.deadline.check()
        name = node.name.value
        if name == "__typename":
            at.target.add_field(_copy_field(node, with_selections=False))
            return {at.group.id}
        join = self.supergraph.field_join(parent.name, name, at.group.subgraph)
        local = join is not None and (join.resolvable or name in at.provided)
        if local and join is not None and not join.requires:
            return self._plan_local_field(at, parent, node, join.provides, join.type)
        return self._plan_remote_field(at, parent, node)

    def _plan_local_field(  # noqa: PLR0913 - a field, where it goes, what its subgraph says of it
        self,
        at: _At,
        parent: GraphQLCompositeType,
        node: FieldNode,
        provides: str | None,
        subgraph_type: str | None = None,
        *,
        origin: _At | None = None,
    ) -> set[int]:
        field_type = self._field_type(parent, node.name.value)
        copied = _copy_field(node, with_selections=node.selection_set is not None)
        if subgraph_type and node.selection_set is None and subgraph_type != str(field_type):
            # The subgraph's type differs from the supergraph's (``ID!`` here, ``ID`` on a sibling
            # type): two fragments could not share the response key, so this one is aliased.
            key = copied.response_key
            copied.alias = f"kcp_{key}_{_type_suffix(subgraph_type)}"
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
            added.selections.add_field(PlanField("__typename"))
        provided = _provided_tree(parse_field_set(provides).selections) if provides else {}
        below = at.provided.get(node.name.value)
        if below:
            provided = {**below, **provided}
        child_path = (*at.path, added.response_key, *_list_steps(field_type))
        # Where the field was planned from: the fetch before an entity jump, when there was one.
        origin = origin or at
        up = _Up(origin if origin.path or origin.up else None, parent, node)
        owners = frozenset(self.supergraph.resolvers(parent.name, node.name.value))
        candidates = owners if self.supergraph.is_entity(parent.name) or not at.candidates else owners & at.candidates
        inside = _At(at.group, added.selections, child_path, provided, up, candidates)
        # The subgraph may declare a narrower type (an object where the supergraph has a union):
        # selections are planned on what it really returns, so no fragment there is invalid.
        own_type = self.schema.get_type(subgraph_type.strip("[]!")) if subgraph_type else None
        if own_type is not None and own_type is not named and is_composite_type(own_type):
            named = own_type
        return self._plan_selections(inside, named, node.selection_set.selections)  # type: ignore[arg-type]

    def _plan_remote_field(self, at: _At, parent: GraphQLCompositeType, node: FieldNode) -> set[int]:
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
        target.add_field(PlanField("__typename"))
        providers: set[int] = set()
        if direct:
            _add_field_set(target, key_set.selections)
        else:
            providers |= self._plan_selections(at, parent, key_set.selections)
        required: tuple[SelectionNode, ...] = ()
        if requires:
            required = _alias_arguments(parse_field_set(requires).selections)
            providers |= self._plan_selections(at, parent, required)
        child = self._entity_group(
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
        representation = child.representations.setdefault(parent.name, Selections())
        representation.add_field(PlanField("__typename"))
        _add_field_set(representation, key_set.selections)
        _add_field_set(representation, required)
        entity_target = child.selections.fragment(entity_type).selections
        used |= self._plan_local_field(
            _At(child, entity_target, path, up=at.up),
            parent,
            node,
            join.provides if join is not None else None,
            join.type if join is not None else None,
            origin=at,
        )
        return used

    def _replan_elsewhere(self, up: _Up, parent: GraphQLCompositeType, node: FieldNode, failed_in: str) -> set[int]:
        """``node`` cannot be reached from where its parent field was fetched: fetch the parent
        field again, with just this selection, from a subgraph that resolves ``node`` there or can
        jump to one that does."""
        name = node.name.value
        field_owners = [
            owner
            for owner in self.supergraph.resolvers(up.parent.name, up.node.name.value)
            if owner != failed_in and self._reachable_from(owner, parent.name, name)
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
            group = self._root_group(self.root_groups, field_owners[:1])
            return self._plan_field(_At(group, group.selections, ()), up.parent, again)
        self.preferred = set(field_owners[:1])
        try:
            return self._plan_remote_field(up.at, up.parent, again)
        finally:
            self.preferred = set()

    def _reachable_from(
        self, subgraph: str, type_name: str, field_name: str, provided: Mapping[str, Any] | None = None
    ) -> bool:
        """Whether ``subgraph`` resolves the field or has a key of a subgraph that does."""
        provided = provided or {}
        if self.supergraph.can_resolve(type_name, field_name, subgraph):
            return True
        return any(
            all(self.supergraph.can_resolve(type_name, f, subgraph) or f in provided for f in _top_level(key.fields))
            for owner in self.supergraph.resolvers(type_name, field_name)
            for key in self._keys_in(type_name, owner)
        )

    def _choose_entity_source(self, at: _At, type_name: str, field_name: str) -> tuple[str, str, bool]:
        """A subgraph resolving the field, a key of it, and whether ``at``'s subgraph has that key.

        A key the current subgraph has is best, preferring a subgraph already fetched from at this
        place (one request fewer). Otherwise a key whose fields other subgraphs can provide: an
        entity jump through an intermediate subgraph.
        """
        current = at.group.subgraph
        candidates = self.supergraph.resolvers(type_name, field_name)
        if self.preferred:
            candidates = [c for c in candidates if c in self.preferred] or candidates
        existing = {g.subgraph for (_, p, _, _), g in self.entity_groups.items() if p == at.path}
        candidates.sort(key=lambda c: c not in existing)
        for candidate in candidates:
            for key in self._keys_in(type_name, candidate):
                if self._field_set_local(at, type_name, parse_field_set(key.fields).selections):
                    return candidate, key.fields, True
        if (type_name, field_name) not in self.jumping:
            self.jumping.add((type_name, field_name))
            for candidate in candidates:
                for key in self._keys_in(type_name, candidate):
                    if all(
                        self._has_locally(at, type_name, key_field)
                        or any(
                            s != candidate and self._reachable_from(current, type_name, key_field)
                            for s in self.supergraph.resolvers(type_name, key_field)
                        )
                        for key_field in _top_level(key.fields)
                    ):
                        return candidate, key.fields, False
        msg = (
            f"cannot plan {type_name}.{field_name}: no subgraph resolving it has a @key that "
            f"subgraph {current!r} can provide"
        )
        raise PlanningError(msg)

    def _field_set_local(self, at: _At, type_name: str, selections: Seq[SelectionNode]) -> bool:
        """Whether the group's subgraph resolves a whole field set (a key), nested fields too."""
        parent = self.schema.get_type(type_name)
        for selection in selections:
            if not isinstance(selection, FieldNode):
                return False
            name = selection.name.value
            if not self._has_locally(at, type_name, name):
                return False
            if selection.selection_set is not None:
                field_def = getattr(parent, "fields", {}).get(name)
                if field_def is None:
                    return False
                inner = _At(at.group, at.target, at.path, at.provided.get(name) or {})
                named = get_named_type(field_def.type).name
                if not self._field_set_local(inner, named, selection.selection_set.selections):
                    return False
        return True

    def _keys_in(self, type_name: str, subgraph: str) -> list[EntityKey]:
        return self.supergraph.resolvable_keys(self.supergraph.entity_type_in(type_name, subgraph), subgraph)

    def _has_locally(self, at: _At, type_name: str, field_name: str) -> bool:
        join = self.supergraph.field_join(type_name, field_name, at.group.subgraph)
        return join is not None and not join.requires and (join.resolvable or field_name in at.provided)

    def _entity_group(
        self,
        subgraph: str,
        path: tuple[str, ...],
        root_index: int,
        *,
        separate: bool,
        sends: tuple[str, Seq[SelectionNode]] | None = None,
    ) -> _Group:
        # A group with @requires fields is kept apart: it must wait for the required fields, the
        # plain group for the same subgraph and path need not. A group whose representations would
        # send one field twice with different arguments (``sends``: type and required fields) is
        # split again, since a representation has one value per field.
        variant = 0
        while True:
            key = (subgraph, path, separate, variant)
            group = self.entity_groups.get(key)
            if group is None:
                group = self._new_group(subgraph, path, root_index, is_entity=True)
                self.entity_groups[key] = group
                return group
            if sends is None or not _sends_conflict(group, *sends):
                return group
            variant += 1

    def _field_type(self, parent: GraphQLCompositeType, name: str) -> GraphQLOutputType:
        if isinstance(parent, GraphQLUnionType):
            msg = f"field {name!r} selected directly on union {parent.name}"
            raise PlanningError(msg)
        field_def = parent.fields.get(name)
        if field_def is None:
            msg = f"{parent.name} has no field {name!r}"
            raise PlanningError(msg)
        field_type: GraphQLOutputType = field_def.type
        return field_type

    # --- layout -------------------------------------------------------------------------------

    def _layout(self, root_groups: list[_Group]) -> PlanNode | None:
        if not root_groups:
            return None
        if self.operation.operation == OperationType.MUTATION:
            steps = [self._levels([g for g in self.groups if g.root_index == i]) for i in range(len(root_groups))]
            return _wrap(Sequence, [s for s in steps if s is not None])
        return self._levels(self.groups)

    def _levels(self, groups: list[_Group]) -> PlanNode | None:
        by_id = {g.id: g for g in self.groups}
        depth: dict[int, int] = {}

        def depth_of(group: _Group, seen: frozenset[int] = frozenset()) -> int:
            if group.id in depth:
                return depth[group.id]
            if group.id in seen:
                msg = "circular @requires dependency between fetches"
                raise PlanningError(msg)
            parents = [by_id[d] for d in group.depends_on if d != group.id]
            depth[group.id] = 1 + max((depth_of(p, seen | {group.id}) for p in parents), default=-1)
            return depth[group.id]

        levels: dict[int, list[_Group]] = {}
        for group in groups:
            levels.setdefault(depth_of(group), []).append(group)
        steps = [_wrap(Parallel, [self._fetch_node(batch) for batch in _batches(levels[i])]) for i in sorted(levels)]
        return _wrap(Sequence, [s for s in steps if s is not None])

    def _fetch_node(self, batch: list[_Group]) -> PlanNode:
        """The node for one group, or one entity fetch for a batch of groups of one step."""
        group = batch[0]
        if not group.is_entity:
            usages = list(dict.fromkeys(group.selections.variables()))
            definitions = [self.variable_definitions[v] for v in usages if v in self.variable_definitions]
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

    def _operation_name(self, group: _Group) -> str:
        if self.operation.name is None:
            return ""
        return f" {self.operation.name.value}__{group.subgraph}__{group.id}"

    def _entity_fetch(self, batch: list[_Group]) -> Fetch:
        """One ``_entities`` request for the union of the batch's selections."""
        group = batch[0]
        if len(batch) > 1:
            selections = Selections()
            for member in batch:
                selections.merge(member.selections)
            group = replace(group, selections=selections)
        usages = list(dict.fromkeys(group.selections.variables()))
        definitions = [self.variable_definitions[v] for v in usages if v in self.variable_definitions]
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


def _batches(groups: list[_Group]) -> list[list[_Group]]:
    """One plan step's groups, batched: entity groups join the first earlier batch they can share
    a request with, so a step sends one ``_entities`` request per subgraph where that is safe."""
    batches: list[list[_Group]] = []
    for group in groups:
        batch = next((b for b in batches if _can_share_request(b, group)), None)
        if batch is None:
            batches.append([group])
        else:
            batch.append(group)
    return batches


def _can_share_request(batch: list[_Group], group: _Group) -> bool:
    """Same subgraph, the same representations (keys and ``@requires`` per type), and no response
    key that means one field in the batch and another in ``group``."""
    first = batch[0]
    if not (first.is_entity and group.is_entity and first.subgraph == group.subgraph):
        return False
    if _representation_text(first) != _representation_text(group):
        return False
    return not any(member.selections.conflicts_with(group.selections) for member in batch)


def _representation_text(group: _Group) -> dict[str, str]:
    return {type_name: selections.print() for type_name, selections in group.representations.items()}


def _wrap(kind: type[Sequence | Parallel], nodes: list[PlanNode]) -> PlanNode | None:
    if not nodes:
        return None
    if len(nodes) == 1:
        return nodes[0]
    return kind(tuple(nodes))


def _conditionals(directives: Iterable[DirectiveNode] | None) -> tuple[DirectiveNode, ...]:
    return tuple(d for d in directives or () if d.name.value in CONDITIONAL_DIRECTIVES)


def _copy_field(node: FieldNode, *, with_selections: bool) -> PlanField:
    return PlanField(
        name=node.name.value,
        alias=node.alias.value if node.alias else None,
        arguments=tuple(node.arguments or ()),
        directives=_conditionals(node.directives),
        selections=Selections() if with_selections else None,
    )


def _type_suffix(type_string: str) -> str:
    return type_string.replace("!", "_nonnull").replace("[", "list_").replace("]", "")


def _add_field_set(target: Selections, selections: Seq[SelectionNode]) -> None:
    for selection in selections:
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else None
            _add_field_set(target.fragment(condition).selections, selection.selection_set.selections)
            continue
        if not isinstance(selection, FieldNode):
            continue
        added = target.add_field(_copy_field(selection, with_selections=selection.selection_set is not None))
        if selection.selection_set is not None and added.selections is not None:
            _add_field_set(added.selections, selection.selection_set.selections)


def _sends_conflict(group: _Group, type_name: str, required: Seq[SelectionNode]) -> bool:
    """Whether ``group``'s representation of ``type_name`` already sends one of these fields,
    read under another alias (the same field with other arguments)."""
    representation = group.representations.get(type_name)
    if representation is None:
        return False
    sent = {item.name: item.alias for item in representation.items if isinstance(item, PlanField)}
    for selection in required:
        if isinstance(selection, FieldNode) and selection.name.value in sent:
            alias = selection.alias.value if selection.alias else None
            if sent[selection.name.value] != alias:
                return True
    return False


def _alias_arguments(selections: Seq[SelectionNode]) -> tuple[SelectionNode, ...]:
    """Required fields with arguments, aliased: the client may ask for the same field with other
    arguments at the same place, and one request cannot hold both under one response key."""
    out: list[SelectionNode] = []
    for selection in selections:
        if isinstance(selection, FieldNode) and selection.arguments:
            digest = hashlib.sha1(print_ast(selection).encode(), usedforsecurity=False).hexdigest()[:8]
            alias = NameNode(value=f"kcp_requires_{selection.name.value}_{digest}")
            selection = replace(selection, alias=alias)  # noqa: PLW2901 - the aliased copy replaces it
        out.append(selection)
    return tuple(out)


def _provided_tree(selections: Seq[SelectionNode]) -> dict[str, Any]:
    """A ``@provides`` field set as nested names (fragments folded in)."""
    tree: dict[str, Any] = {}
    for selection in selections:
        if isinstance(selection, FieldNode):
            sub = _provided_tree(selection.selection_set.selections) if selection.selection_set else {}
            tree[selection.name.value] = {**tree.get(selection.name.value, {}), **sub}
        elif isinstance(selection, InlineFragmentNode):
            tree.update(_provided_tree(selection.selection_set.selections))
    return tree


def _top_level(field_set: str) -> list[str]:
    return [s.name.value for s in parse_field_set(field_set).selections if isinstance(s, FieldNode)]


def _list_steps(field_type: GraphQLOutputType) -> tuple[str, ...]:
    steps: list[str] = []
    current: object = field_type
    while isinstance(current, GraphQLNonNull | GraphQLList):
        if isinstance(current, GraphQLList):
            steps.append("@")
        current = current.of_type
    return tuple(steps)

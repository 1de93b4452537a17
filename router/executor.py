"""Run a query plan against the subgraphs, through a transport that sends each fetch.

The executor depends on one method of its transport (``Transport.fetch``: a GraphQL request to a
subgraph in, its JSON answer or a ``FetchFailure`` out; ``router.transport`` sends it over HTTP).
Each ``Flatten`` sends one ``_entities`` request with every distinct representation found at any
of its paths (a batched ``Flatten`` has several), then merges each result into all the objects
that share that representation, each object taking only the fields its own path asked for. When a
batched answer carries errors its paths are fetched again one by one, so an error (and the null it
causes) stays where its field was asked. A failed subgraph never fails the request: its fields stay
missing (shaping turns them into nulls) and an error names the subgraph and the affected path.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

from kcp.errors import ErrorCode
from router.errors import build_error, forwarded_error
from router.planner.plan import Fetch, Flatten, Parallel, Sequence
from router.response_tree import collect, collect_with_paths, merge, project, project_present, rename_aliases
from router.transport import FetchFailure, dump_json

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from router.planner.plan import FlattenPath, PlanNode, QueryPlan, Representation
    from router.supergraph import Supergraph

Path = list[str | int]


class Transport(Protocol):
    """What the executor needs of the code that talks to subgraphs."""

    async def fetch(
        self, subgraph: str, url: str, body: Mapping[str, Any], headers: Mapping[str, str], *, may_join: bool
    ) -> dict[str, Any] | FetchFailure:
        """One GraphQL request; ``may_join``: a query, which may share an identical request in flight."""
        ...


@dataclass(slots=True)
class ExecutionState:
    """The merged response tree and the errors of one client request."""

    data: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    # Paths left null by a subgraph that already said why (a request-level error, no path):
    # shaping must not add a second, misleading "Cannot return null" error for them.
    explained: list[Path] = field(default_factory=list)
    # The representations and targets of entity fetches since the tree last changed: parallel
    # fetches at the same paths with the same representations (the TestQuery's inventory and
    # products fetches) walk the tree once. Emptied by every merge into the tree.
    walked: list[tuple[tuple[tuple[str, ...], ...], tuple[Representation, ...], Walked]] = field(default_factory=list)
    # What the client's ``extensions`` carries from the subgraphs' answers (``forward_extensions``).
    extensions: dict[str, Any] = field(default_factory=dict)


def forward_extensions(result: Mapping[str, Any], state: ExecutionState) -> None:
    """Keep the one subgraph response extension clients are told to read: ``retrieval.degraded``
    (knowledge answered a semantic or hybrid search with keywords only, and why). Any other
    extension stays between the router and its subgraph. Several fetches' reasons are joined."""
    extensions = result.get("extensions")
    retrieval = extensions.get("retrieval") if isinstance(extensions, dict) else None
    degraded = retrieval.get("degraded") if isinstance(retrieval, dict) else None
    if not isinstance(degraded, str) or not degraded:
        return
    forwarded = state.extensions.setdefault("retrieval", {})
    reasons = [r for r in str(forwarded.get("degraded", "")).split(",") if r]
    for reason in degraded.split(","):
        if reason not in reasons:
            reasons.append(reason)
    forwarded["degraded"] = ",".join(reasons)


# The representations an entity fetch sends, and where their objects are.
Walked: TypeAlias = "tuple[list[dict[str, Any]], _Found]"
# What re-paths an entity fetch's errors: its objects, its paths, and the response tree.
Located: TypeAlias = "tuple[_Found, tuple[FlattenPath, ...], dict[str, Any]]"


class Executor:
    """Runs plans for one supergraph, sending each fetch through ``transport``."""

    def __init__(self, supergraph: Supergraph, transport: Transport) -> None:
        self.supergraph = supergraph
        self.transport = transport

    async def execute(
        self,
        plan: QueryPlan,
        variables: Mapping[str, Any],
        headers: Mapping[str, str],
        state: ExecutionState | None = None,
    ) -> ExecutionState:
        state = state or ExecutionState()
        if plan.node is not None:
            await self._run(plan.node, state, variables, headers)
        return state

    async def _run(
        self, node: PlanNode, state: ExecutionState, variables: Mapping[str, Any], headers: Mapping[str, str]
    ) -> None:
        if isinstance(node, Sequence):
            for child in node.nodes:
                await self._run(child, state, variables, headers)
        elif isinstance(node, Parallel):
            await asyncio.gather(*(self._run(c, state, variables, headers) for c in node.nodes))
        elif isinstance(node, Flatten):
            await self._run_entities(node, state, variables, headers)
        else:
            await self._run_root(node, state, variables, headers)

    def _variables(self, fetch: Fetch, variables: Mapping[str, Any]) -> dict[str, Any]:
        # Only the variables this fetch uses; absent ones fall back to their declared defaults.
        return {name: variables[name] for name in fetch.variable_usages if name in variables}

    async def _send(
        self, fetch: Fetch, variables: dict[str, Any], headers: Mapping[str, str]
    ) -> dict[str, Any] | FetchFailure:
        body = {"query": fetch.operation, "variables": variables}
        url = self.supergraph.subgraphs[fetch.subgraph].url
        # A mutation always runs; a query may join an identical one in flight.
        return await self.transport.fetch(fetch.subgraph, url, body, headers, may_join=fetch.operation_kind == "query")

    def _failure_error(self, fetch: Fetch, failure: FetchFailure, path: Path | None) -> dict[str, Any]:
        message = f"HTTP fetch failed from {fetch.subgraph!r}: {failure.reason}"
        return build_error(message, failure.code, path, serviceName=fetch.subgraph)

    async def _run_root(
        self, fetch: Fetch, state: ExecutionState, variables: Mapping[str, Any], headers: Mapping[str, str]
    ) -> None:
        result = await self._send(fetch, self._variables(fetch, variables), headers)
        if isinstance(result, FetchFailure):
            for key in fetch.response_keys or ("",):
                state.errors.append(self._failure_error(fetch, result, [key] if key else None))
            return
        forward_extensions(result, state)
        data = result.get("data")
        if isinstance(data, dict):
            if fetch.renames:
                rename_aliases(data, fetch.renames)
            merge(state.data, data)
            state.walked.clear()
        errors = [e for error in result.get("errors") or () for e in _subgraph_errors(error, fetch.subgraph, None)]
        state.errors.extend(errors)
        if not isinstance(data, dict) and any("path" not in error for error in errors):
            state.explained.extend([key] for key in fetch.response_keys)

    async def _run_entities(
        self, node: Flatten, state: ExecutionState, variables: Mapping[str, Any], headers: Mapping[str, str]
    ) -> None:
        fetch = node.node
        representations, found = _walk(fetch, node.paths, state)
        if not representations:
            return
        request_variables = {**self._variables(fetch, variables), "representations": representations}
        result = await self._send(fetch, request_variables, headers)
        if isinstance(result, FetchFailure):
            for slot, position, obj, _ in found.targets():
                first_key = next(iter(node.paths[slot].response_keys), None)
                path = found.path(state.data, slot, position, obj)
                state.errors.append(self._failure_error(fetch, result, [*path, first_key] if first_key else path))
            return
        forward_extensions(result, state)
        entities = (result.get("data") or {}).get("_entities")
        errors = result.get("errors") or []
        if errors and node.unbatched:
            # Paths that asked for different fields, and an error: the subgraph may have nulled an
            # entity for a field only one path asked for. Each path is fetched on its own instead,
            # so an error lands (with its null) only where its field was asked (plan.Flatten).
            await asyncio.gather(*(self._run_entities(alone, state, variables, headers) for alone in node.unbatched))
            return
        if isinstance(entities, list):
            if fetch.renames:
                rename_aliases(entities, tuple(replace(r, path=("@", *r.path)) for r in fetch.renames))
            # Paths that all keep the same fields take each entity whole, like a single path.
            batched = len(node.paths) > 1 and any(p.keeps != node.paths[0].keeps for p in node.paths)
            self._fill(fetch.subgraph, found, node.paths, entities, errors, state=state, batched=batched)
        for error in errors:
            state.errors.extend(_subgraph_errors(error, fetch.subgraph, (found, node.paths, state.data)))

    def _fill(  # noqa: PLR0913 - an entity fetch's answer and where it goes
        self,
        subgraph: str,
        found: _Found,
        paths: tuple[FlattenPath, ...],
        entities: list[Any],
        errors: list[Any],
        *,
        state: ExecutionState,
        batched: bool,
    ) -> None:
        """Merge each entity into the objects that sent its representation."""
        explained = _errored_indexes(errors)
        count = len(entities)
        state.walked.clear()  # the merges below change the tree
        for slot, objects in enumerate(found.objects):
            keeps = paths[slot].keeps
            # Lists built side by side (strict=False: the check costs a call per fill, not worth it).
            for position, (obj, index) in enumerate(zip(objects, found.indexes[slot], strict=False)):
                if index is None:
                    continue
                entity = entities[index] if index < count else None
                if isinstance(entity, dict):
                    if "__typename" in entity and "__typename" in obj:
                        self._keep_concrete_typename(obj, entity)
                    # In a batched result each object takes only its own path's fields; a single
                    # path asked for exactly what it gets, so the projection is skipped (hot path).
                    merge(obj, project_present(entity, keeps) if batched else entity)
                elif index not in explained:
                    # null without an error: the subgraph does not know this entity (a dangling
                    # reference). Say so where it is referenced, not as a server fault below it.
                    path = found.path(state.data, slot, position, obj)
                    state.errors.append(_not_found_error(subgraph, obj, path))

    def _keep_concrete_typename(self, obj: Mapping[str, Any], entity: dict[str, Any]) -> None:
        """An @interfaceObject subgraph answers with the interface's name: keep the object type
        already known, and let a subgraph that knows the object type replace the interface's."""
        known = obj.get("__typename")
        if "__typename" in entity and known is not None:
            info = self.supergraph.types.get(str(known))
            if info is not None and info.kind.startswith("Object"):
                del entity["__typename"]


class _Found:
    """What a walk of an entity fetch's paths found: per path (its slot), the objects in walk order
    and each one's representation index (None: not an entity this fetch fills). Shared by parallel
    fetches at the same paths (``_walk``).

    Lists side by side rather than an object per target: the TestQuery of bench/gateways fills
    ~465 objects, and only errors need more than an object and its index.
    """

    __slots__ = ("_located", "indexes", "objects", "steps")

    def __init__(self, steps: tuple[tuple[str, ...], ...]) -> None:
        self.steps = steps
        self.objects: list[list[dict[str, Any]]] = []
        self.indexes: list[list[int | None]] = []
        self._located: dict[int, list[tuple[dict[str, Any], Path]]] = {}

    def targets(self) -> Iterator[tuple[int, int, dict[str, Any], int]]:
        """(slot, position, object, representation index) of every object the fetch fills."""
        for slot, objects in enumerate(self.objects):
            for position, (obj, index) in enumerate(zip(objects, self.indexes[slot], strict=True)):
                if index is not None:
                    yield slot, position, obj, index

    def path(self, data: Any, slot: int, position: int, obj: dict[str, Any]) -> Path:
        """An object's path in the response, for an error: the walk before the fetch builds no paths,
        so the slot's path is walked again (once) with them. The walk finds the objects in the same
        order as ``collect``; an object a parallel fetch has replaced meanwhile is looked up by
        identity, else it gets its path's field names."""
        places = self._located.get(slot)
        if places is None:
            places = self._located[slot] = collect_with_paths(data, self.steps[slot])
        if position < len(places) and places[position][0] is obj:
            return places[position][1]
        same = [path for found, path in places if found is obj]
        return same[0] if same else [step for step in self.steps[slot] if step != "@"]


def _walk(fetch: Fetch, paths: tuple[FlattenPath, ...], state: ExecutionState) -> Walked:
    """``_representations``, or what a walk of the same paths for the same representations found
    since the last merge (what each path keeps does not matter: targets name their path's slot)."""
    steps = tuple(where.path for where in paths)
    for walked_steps, walked_representations, walked in state.walked:
        if walked_steps == steps and walked_representations == fetch.representations:
            return walked
    walked = _representations(fetch, steps, state.data)
    state.walked.append((steps, fetch.representations, walked))
    return walked


def _representations(fetch: Fetch, steps: tuple[tuple[str, ...], ...], data: dict[str, Any]) -> Walked:
    """The distinct representations to send for the objects at each path of ``steps``, and for
    each object the index of its own."""
    shapes = {rep.type_name: (rep, _PlainFields.of(rep)) for rep in fetch.representations}
    distinct = _DistinctRepresentations()
    found = _Found(steps)
    for path in steps:
        objects = collect(data, path)
        indexes: list[int | None] = []
        for obj in objects:
            typename = obj.get("__typename")
            rep, plain = shapes.get(typename, _NO_SHAPE) if isinstance(typename, str) else _NO_SHAPE
            index = None
            if rep is not None:
                index = None if plain is None else distinct.plain(obj, rep, plain)
                if index is None:
                    index = distinct.projected(obj, rep)
            indexes.append(index)
        found.objects.append(objects)
        found.indexes.append(indexes)
    return distinct.sent, found


class _PlainFields:
    """A representation whose fields are all plain scalars read under their own name, with a C
    getter for their values (``itemgetter``: no Python-level loop per object)."""

    __slots__ = ("names", "read")

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        getter = itemgetter(*names)
        # itemgetter of one name answers the value itself, of several a tuple of them.
        self.read: Callable[[Mapping[str, Any]], tuple[Any, ...]] = (
            getter if len(names) > 1 else lambda obj: (getter(obj),)
        )

    @classmethod
    def of(cls, rep: Representation) -> _PlainFields | None:
        if not rep.shape or any(sub is not None or "?" in name or ":" in name for name, sub in rep.shape):
            return None
        return cls(tuple(name for name, _ in rep.shape))


class _DistinctRepresentations:
    """Equal representations (the same user on many tickets, or as customer and as author in a
    batched fetch) are sent once: each gets an index in ``sent``."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self._index_of: dict[object, int] = {}

    def plain(self, obj: Mapping[str, Any], rep: Representation, plain: _PlainFields) -> int | None:
        """Keys and @requires fields that are plain scalars (the common case): an object whose
        representation was seen already costs a tuple and a look-up, no dictionary. None when a
        field is missing or is not a scalar. (Values compare as Python values: a field of one
        GraphQL type never mixes the ones that differ only in JSON, such as 1 and true.)"""
        try:
            values = plain.read(obj)
            key = (rep.type_name, values)
            index = self._index_of.get(key)
        except (KeyError, TypeError):  # a field missing (not an entity yet), or an object value
            return None
        if index is None:
            representation = dict(zip(plain.names, values, strict=True))
            if rep.sent_typename is not None:
                representation["__typename"] = rep.sent_typename
            index = self._index_of[key] = len(self.sent)
            self.sent.append(representation)
        return index

    def projected(self, obj: Mapping[str, Any], rep: Representation) -> int | None:
        """Any shape: the representation projected, keyed by its items (sorted JSON when a value is
        an object, which is unhashable). None when a field it needs is missing."""
        representation = project(obj, rep.shape)
        if representation is None:
            return None
        if rep.sent_typename is not None:
            representation["__typename"] = rep.sent_typename
        key: object = tuple(representation.items())
        try:
            index = self._index_of.get(key)
        except TypeError:
            key = dump_json(representation, sort_keys=True)
            index = self._index_of.get(key)
        if index is None:
            index = self._index_of[key] = len(self.sent)
            self.sent.append(representation)
        return index


_NO_SHAPE: tuple[None, None] = (None, None)


def _errored_indexes(errors: list[Any]) -> set[int]:
    """The representations an ``_entities`` response reported errors for."""
    indexes: set[int] = set()
    for error in errors:
        path = error.get("path") if isinstance(error, dict) else None
        if isinstance(path, list) and path[:1] == ["_entities"] and len(path) > 1 and isinstance(path[1], int):
            indexes.add(path[1])
    return indexes


def _not_found_error(subgraph: str, obj: Mapping[str, Any], path: Path) -> dict[str, Any]:
    typename = obj.get("__typename", "entity")
    ident = obj.get("id")
    what = typename if ident is None else f"{typename} {ident!r}"
    return build_error(f"{what} was not found by {subgraph!r}", ErrorCode.NOT_FOUND, path, serviceName=subgraph)


def _entity_error_paths(error_path: list[Any], located: Located) -> list[Path] | None:
    """An ``_entities.<i>...`` error path in the client's response: under every object of that
    representation whose path asked for the failing field. A representation is sent once for all
    the objects that share it, but each of them asked for the field, and each answers null for it:
    each gets its error, as it would had its representation been sent on its own."""
    if error_path[:1] != ["_entities"] or len(error_path) <= 1 or not isinstance(error_path[1], int):
        return None
    rest = error_path[2:]
    found, paths, data = located
    candidates = [(slot, position, obj) for slot, position, obj, index in found.targets() if index == error_path[1]]
    asked = [c for c in candidates if not rest or rest[0] in dict(paths[c[0]].keeps)]
    chosen = asked or candidates[:1]
    return [[*found.path(data, *target), *rest] for target in chosen] if chosen else None


def _subgraph_errors(error: object, subgraph: str, targets: Located | None) -> list[dict[str, Any]]:
    """A subgraph's GraphQL error, re-pathed to the client's response and tagged with its service.

    ``targets`` are an entity fetch's objects, to re-path its errors by (one error per object
    the error applies to); root fetches keep theirs.
    """
    source: Mapping[str, Any] = error if isinstance(error, dict) else {"message": str(error)}
    path = source.get("path")
    if not isinstance(path, list):
        return [forwarded_error(source, subgraph, None)]
    if targets is None:
        return [forwarded_error(source, subgraph, path)]
    repathed = _entity_error_paths(path, targets)
    if repathed is None:
        return [forwarded_error(source, subgraph, None)]
    return [forwarded_error(source, subgraph, where) for where in repathed]

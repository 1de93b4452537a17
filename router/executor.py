"""Run a query plan against the subgraphs: the only code in the router that calls them.

One shared ``SubgraphClient`` (HTTP/1.1 keep-alive, router/subgraph_client.py). Each ``Flatten``
sends one ``_entities`` request with every distinct representation found at any of its paths (a
batched ``Flatten`` has several), then merges each result into all the objects that share that
representation, each object taking only the fields its own path asked for. When a batched answer
carries errors its paths are fetched again one by one, so an error (and the null it causes) stays
where its field was asked. A failed subgraph never fails the request: its fields stay missing
(shaping turns them into nulls) and an error names the subgraph and the affected path.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field, replace
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeAlias

import orjson
import structlog
from prometheus_client import Counter, Histogram

from kcp.errors import ErrorCode
from kcp.identity.signed_headers import IDENTITY_HEADER, SIGNATURE_HEADER
from router.planner.plan import Fetch, Flatten, Parallel, Sequence
from router.subgraph_client import SubgraphClient, SubgraphConnectError, SubgraphProtocolError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from router.inflight import InflightRequests
    from router.planner.plan import FieldShape, FlattenPath, PlanNode, QueryPlan, Rename, Representation

    # Identical subgraph requests in flight share one exchange: keyed by URL, body and headers.
    SubgraphInflight: TypeAlias = InflightRequests[
        tuple[str, bytes, tuple[tuple[str, str], ...]], "tuple[int, bytes] | FetchFailure"
    ]
    from router.supergraph import Supergraph

log = structlog.get_logger(__name__)

SUBGRAPH_DURATION = Histogram(
    "router_subgraph_request_duration_seconds",
    "Time for one subgraph request (including a joined in-flight one), by subgraph.",
    ["subgraph"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
SUBGRAPH_ERRORS = Counter(
    "router_subgraph_errors_total",
    "Subgraph requests that failed (transport, HTTP or JSON) or answered with GraphQL errors, by code.",
    ["subgraph", "code"],
)

Path = list[str | int]
ACCEPT = "application/graphql-response+json, application/json;q=0.9"
HTTP_OK = 200
HTTP_MULTIPLE_CHOICES = 300
# Client headers passed on to every subgraph.
# The identity pair is the router's own (client-sent ones are stripped by the identity stage), and
# so is x-forwarded-for (the client's address, for auth's login throttling).
# Forwarded headers that differ per request but never change a subgraph's answer.
PER_REQUEST_HEADERS = frozenset({"x-forwarded-for", "traceparent"})
FORWARDED_HEADERS = ("authorization", IDENTITY_HEADER, SIGNATURE_HEADER, "x-forwarded-for", "traceparent")


@dataclass(slots=True)
class FetchFailure:
    """Why a subgraph request produced no usable GraphQL response."""

    code: ErrorCode
    reason: str


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


# The representations an entity fetch sends, and where their objects are.
Walked: TypeAlias = "tuple[list[dict[str, Any]], _Found]"
# What re-paths an entity fetch's errors: its objects, its paths, and the response tree.
Located: TypeAlias = "tuple[_Found, tuple[FlattenPath, ...], dict[str, Any]]"


def create_client(pool_size: int = 20) -> SubgraphClient:
    """The router's one HTTP client: keep-alive connections, at most ``pool_size`` per subgraph."""
    return SubgraphClient(max_per_origin=pool_size)


async def post_graphql(  # noqa: PLR0913 - the request, its limits and whether it may join an identical one
    client: SubgraphClient,
    url: str,
    body: Mapping[str, Any],
    *,
    timeout_seconds: float,
    headers: Mapping[str, str] | None = None,
    inflight: SubgraphInflight | None = None,
) -> dict[str, Any] | FetchFailure:
    """POST one GraphQL request; the JSON response object, or the reason there is none.

    With ``inflight``, an identical request already in flight is joined instead of sent again.
    """
    request_headers = {"accept": ACCEPT, "content-type": "application/json", **(headers or {})}
    data = _dump_json(body)
    if inflight is None:
        exchanged = await _exchange(client, url, data, request_headers, timeout_seconds)
    else:
        # A trace or a client address does not change the answer: requests differing only there join.
        shared = sorted((name, value) for name, value in request_headers.items() if name not in PER_REQUEST_HEADERS)
        key = (url, data, tuple(shared))
        exchanged = await inflight.run(key, lambda: _exchange(client, url, data, request_headers, timeout_seconds))
    if isinstance(exchanged, FetchFailure):
        return exchanged
    status, raw = exchanged
    if not HTTP_OK <= status < HTTP_MULTIPLE_CHOICES:
        return FetchFailure(ErrorCode.SUBREQUEST_HTTP_ERROR, f"HTTP status {status}")
    try:
        payload = _parse_json(raw)
    except ValueError:
        return FetchFailure(ErrorCode.SUBREQUEST_HTTP_ERROR, "the response is not valid JSON")
    if not isinstance(payload, dict) or not ("data" in payload or "errors" in payload):
        return FetchFailure(ErrorCode.SUBREQUEST_HTTP_ERROR, "the response is not a GraphQL response")
    return payload


async def _exchange(
    client: SubgraphClient, url: str, data: bytes, headers: Mapping[str, str], timeout_seconds: float
) -> tuple[int, bytes] | FetchFailure:
    """One HTTP POST: the status and raw body, or why there is none."""
    try:
        return await client.post(url, data, headers, timeout_seconds=timeout_seconds)
    except SubgraphConnectError as exc:
        return FetchFailure(ErrorCode.SUBGRAPH_UNAVAILABLE, f"cannot connect ({exc})")
    except TimeoutError:
        return FetchFailure(ErrorCode.SUBREQUEST_HTTP_ERROR, f"no response within {timeout_seconds:g} s")
    except (SubgraphProtocolError, ValueError) as exc:
        return FetchFailure(ErrorCode.SUBREQUEST_HTTP_ERROR, str(exc))


def _parse_json(raw: bytes) -> Any:
    # orjson parses the subgraph's JSON ~5x faster; the standard library still reads what orjson
    # refuses but Python's json accepts (lone surrogate escapes). orjson reads an integer beyond
    # 64 bits as a float, as JavaScript gateways do: only a custom scalar could carry one.
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw)


def _dump_json(value: Any, *, sort_keys: bool = False) -> bytes:
    # orjson, with the standard library for the integers beyond 64 bits that orjson refuses to write
    # (a client's variables, read by the standard library, may hold them).
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else None)
    except orjson.JSONEncodeError:
        return json.dumps(value, sort_keys=sort_keys, separators=(",", ":")).encode()


async def fetch_service_sdl(client: SubgraphClient, url: str, *, timeout_seconds: float) -> str | FetchFailure:
    """A subgraph's SDL from ``{ _service { sdl } }``."""
    payload = await post_graphql(client, url, {"query": "{ _service { sdl } }"}, timeout_seconds=timeout_seconds)
    if isinstance(payload, FetchFailure):
        return payload
    sdl = ((payload.get("data") or {}).get("_service") or {}).get("sdl")
    if not isinstance(sdl, str):
        return FetchFailure(ErrorCode.SUBREQUEST_HTTP_ERROR, "no _service.sdl in the response")
    return sdl


class Executor:
    """Runs plans for one supergraph with a shared client and a per-subgraph timeout."""

    def __init__(
        self,
        supergraph: Supergraph,
        client: SubgraphClient,
        *,
        timeout: float,
        inflight: SubgraphInflight | None = None,
    ) -> None:
        self.supergraph = supergraph
        self.client = client
        self.timeout = timeout
        # Set when identical in-flight subgraph queries are deduplicated (router/inflight.py).
        self.inflight = inflight
        self._durations: dict[str, Histogram] = {}

    async def execute(
        self,
        plan: QueryPlan,
        variables: Mapping[str, Any],
        headers: Mapping[str, str],
        state: ExecutionState | None = None,
    ) -> ExecutionState:
        state = state or ExecutionState()
        forwarded = {k: v for k, v in headers.items() if k.lower() in FORWARDED_HEADERS}
        if plan.node is not None:
            await self._run(plan.node, state, variables, forwarded)
        return state

    async def _run(
        self, node: PlanNode, state: ExecutionState, variables: Mapping[str, Any], headers: dict[str, str]
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
        self, fetch: Fetch, variables: dict[str, Any], headers: dict[str, str]
    ) -> dict[str, Any] | FetchFailure:
        subgraph = self.supergraph.subgraphs[fetch.subgraph]
        body = {"query": fetch.operation, "variables": variables}
        inflight = self.inflight if fetch.operation_kind == "query" else None  # a mutation always runs
        started = time.perf_counter()
        result = await post_graphql(
            self.client, subgraph.url, body, timeout_seconds=self.timeout, headers=headers, inflight=inflight
        )
        duration = self._durations.get(fetch.subgraph)
        if duration is None:  # labels() takes a lock and builds its key each time: once per subgraph
            duration = self._durations[fetch.subgraph] = SUBGRAPH_DURATION.labels(fetch.subgraph)
        duration.observe(time.perf_counter() - started)
        if isinstance(result, FetchFailure):
            SUBGRAPH_ERRORS.labels(fetch.subgraph, str(result.code)).inc()
            log.warning(
                "router.subgraph_fetch_failed", subgraph=fetch.subgraph, code=str(result.code), reason=result.reason
            )
        elif result.get("errors"):
            SUBGRAPH_ERRORS.labels(fetch.subgraph, "GRAPHQL_ERRORS").inc()
        return result

    def _failure_error(self, fetch: Fetch, failure: FetchFailure, path: Path | None) -> dict[str, Any]:
        error: dict[str, Any] = {
            "message": f"HTTP fetch failed from {fetch.subgraph!r}: {failure.reason}",
            "extensions": {"code": str(failure.code), "serviceName": fetch.subgraph},
        }
        if path is not None:
            error["path"] = path
        return error

    async def _run_root(
        self, fetch: Fetch, state: ExecutionState, variables: Mapping[str, Any], headers: dict[str, str]
    ) -> None:
        result = await self._send(fetch, self._variables(fetch, variables), headers)
        if isinstance(result, FetchFailure):
            for key in fetch.response_keys or ("",):
                state.errors.append(self._failure_error(fetch, result, [key] if key else None))
            return
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
        self, node: Flatten, state: ExecutionState, variables: Mapping[str, Any], headers: dict[str, str]
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
            key = _dump_json(representation, sort_keys=True)
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
    return {
        "message": f"{what} was not found by {subgraph!r}",
        "path": path,
        "extensions": {"code": str(ErrorCode.NOT_FOUND), "serviceName": subgraph},
    }


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
    if not isinstance(error, dict):
        error = {"message": str(error)}
    out: dict[str, Any] = {"message": str(error.get("message", "subgraph error"))}
    raw_extensions = error.get("extensions")
    extensions: dict[str, Any] = dict(raw_extensions) if isinstance(raw_extensions, dict) else {}
    extensions.setdefault("serviceName", subgraph)
    out["extensions"] = extensions
    # A subgraph's locations point into the fetch document the router wrote, not into the
    # client's; passing them on would mislead, so they are dropped (the path says where).
    path = error.get("path")
    if not isinstance(path, list):
        return [out]
    if targets is None:
        return [{**out, "path": path}]
    repathed = _entity_error_paths(path, targets)
    if repathed is None:
        return [out]
    return [{**out, "path": where, "extensions": dict(extensions)} for where in repathed]


def collect(data: Any, path: tuple[str, ...]) -> list[dict[str, Any]]:
    """Every object at ``path`` in the response tree (``@`` steps into lists, lists of lists too).

    One level at a time, without a call per value: each entity fetch walks the tree before it
    sends (seven walks over ~1,700 values per TestQuery of bench/gateways). The objects come in
    the order ``collect_with_paths`` finds them.
    """
    level: list[Any] = [data]
    for step in path:
        if step == "@":
            level = [item for value in level if isinstance(value, list) for item in value if item is not None]
        else:
            level = [item for value in level if isinstance(value, dict) and (item := value.get(step)) is not None]
    found: list[dict[str, Any]] = []
    for value in level:
        if isinstance(value, dict):
            found.append(value)
        elif isinstance(value, list):
            # A list-typed field whose list step was not in the path: step in anyway.
            _collect_items(value, found)
    return found


def _collect_items(items: list[Any], found: list[dict[str, Any]]) -> None:
    for item in items:
        if isinstance(item, dict):
            found.append(item)
        elif isinstance(item, list):
            _collect_items(item, found)


# A walk over JSON by path: each branch is one kind of step, and reads best in one place.
def collect_with_paths(data: Any, path: tuple[str, ...]) -> list[tuple[dict[str, Any], Path]]:  # noqa: C901
    """``collect`` with each object's path in the response (for errors: slower)."""
    found: list[tuple[dict[str, Any], Path]] = []

    def walk(value: Any, index: int, current: Path) -> None:
        if value is None:
            return
        if index == len(path):
            if isinstance(value, dict):
                found.append((value, current))
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    walk(item, index, [*current, i])
            return
        step = path[index]
        if step == "@":
            if isinstance(value, list):
                for i, item in enumerate(value):
                    walk(item, index + 1, [*current, i])
            return
        if isinstance(value, dict):
            walk(value.get(step), index + 1, [*current, step])

    walk(data, 0, [])
    return found


def project(obj: Mapping[str, Any], shape: FieldShape) -> dict[str, Any] | None:
    """The part of ``obj`` a representation sends; None when a field of it is missing."""
    out: dict[str, Any] = {}
    for name, sub in shape:
        # Most fields are plain names present in the object (a response key never has "?" or ":").
        value = obj.get(name, _MISSING)
        if value is not _MISSING:
            out[name] = value if sub is None else _project_value(value, sub)
            continue
        key = name
        optional = name.startswith("?")  # inside a type condition: only objects of that type have it
        if optional:
            key = name = name[1:]  # noqa: PLW2901 - the field's own name is what is sent
        if ":" in name:  # ``alias:name``: a required field with arguments, read under its alias
            key, name = name.split(":", 1)  # noqa: PLW2901 - the field's own name is what is sent
        if key not in obj:
            if optional:
                continue
            return None
        out[name] = obj[key] if sub is None else _project_value(obj[key], sub)
    return out


_MISSING = object()


def _project_value(value: Any, shape: FieldShape) -> Any:
    if isinstance(value, list):
        return [_project_value(v, shape) for v in value]
    if isinstance(value, dict):
        return project(value, shape)
    return value


def project_present(obj: Mapping[str, Any], shape: FieldShape) -> dict[str, Any]:
    """The part of ``obj`` that ``shape`` names, at every depth; missing fields stay missing."""
    return {key: obj[key] if sub is None else _project_present_value(obj[key], sub) for key, sub in shape if key in obj}


def _project_present_value(value: Any, shape: FieldShape) -> Any:
    if isinstance(value, list):
        return [_project_present_value(v, shape) for v in value]
    if isinstance(value, dict):
        return project_present(value, shape)
    return value


def rename_aliases(data: Any, renames: tuple[Rename, ...]) -> None:
    """Give aliased fields back their client keys, in place (see ``Fetch.renames``)."""
    for rename in renames:
        for obj in collect(data, rename.path):
            if rename.alias in obj:
                obj[rename.key] = obj.pop(rename.alias)


def merge(target: dict[str, Any], source: Mapping[str, Any]) -> None:
    """Deep-merge one fetch's result into the response tree (in place, keeping object identity)."""
    for key, value in source.items():
        # Only objects and lists merge with what is there; anything else replaces it (most values).
        if key in target and isinstance(value, dict | list):
            target[key] = _merged(target[key], value)
        else:
            target[key] = value


def _merged(old: Any, new: Any) -> Any:
    if isinstance(old, dict) and isinstance(new, dict):
        merge(old, new)
        return old
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            old[i] = _merged(a, b)
        return old
    return new

"""Do our router and Apollo Gateway answer an operation alike?

Compared: ``data`` exactly, and the errors as a multiset of (path, ``extensions.code``). Not
compared, because two correct gateways may differ there: error messages and their wording,
locations, stack traces, every other extension, the order of errors. Normalised by rule:

- Errors below a null: which of several failing fields under a parent a subgraph nulled gets
  reported depends on the order its resolvers finished, so errors whose path runs through a null
  are compared by the place of that null and their code, once each (``_anchor``).
- Value completion: a null in a non-null position that no subgraph error explains is reported by
  our router in ``errors`` ("Cannot return null for non-nullable field ...", the wording both
  gateways use, and no ``serviceName``: no subgraph said it); Apollo Gateway keeps such errors
  out of ``errors`` (``extensions.valueCompletion``, and only when no subgraph failed). They are
  dropped; the null itself, and where it bubbled to, is compared.
- A field whose whole sub-selection ``@skip``/``@include`` excluded: the spec answers ``{}`` (and
  the subgraph is asked); Apollo Gateway answers null without asking the subgraph when that field
  is itself under a variable condition (so an error the subgraph would report is missing too).
  The value at such a field, and errors at or under it, are set aside on both sides.

A remaining difference is explained when our response carries an error of a divergence we chose,
recognised by its code, never by sample:

- ``COST_LIMIT_EXCEEDED``, ``OPERATION_LIMIT_EXCEEDED``: our cost, depth, alias and root-field
  limits refuse operations Apollo Gateway runs.
- ``UNAUTHORIZED_FIELD_OR_TYPE``: our router enforces ``@authenticated``/``@requiresScopes`` itself
  and removes the field; Apollo Gateway asks the subgraph. The field's value (and errors at or
  under it) are set aside on both sides first; the rest must still agree.
- ``RATE_LIMITED``: our rate limit (the runs raise it, so it never fires unless misconfigured).

One difference neither gateway makes, recognised by the operation's shape:

- An operation that records analytics events and reads analytics in the same request
  (``self_observed_selections``): a first-page ``search`` or an ``ask`` records a search event for
  each request, so the second gateway asked reads the event the first one's request recorded (a
  product's ``analytics { searches lastEventAt }``, ``metrics { searchVolume }``). The values of
  the analytics fields are set aside on both sides only after everything else was compared and
  found different there alone: the rest of the answer must still agree.

And one divergence of Apollo Gateway's own, recognised by where its error is:

- An error at or under a field that ``@skip``/``@include`` excluded (and no other selection of the
  same response key included): Apollo Gateway 2.14.4 fetches a field carrying a literal
  ``@skip(if: true)`` inside a fragment spread under a variable condition, and reports what the
  subgraph says of it; the spec says the field is not executed (``excluded_selections``).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLBoolean,
    InlineFragmentNode,
    NullValueNode,
    OperationDefinitionNode,
    VariableNode,
    parse,
    value_from_ast,
)

from kcp.errors import ErrorCode

if TYPE_CHECKING:
    from collections.abc import Mapping

    from graphql import DocumentNode, SelectionNode, SelectionSetNode

# Our refusals of a whole operation that Apollo Gateway has no counterpart for.
LIMIT_CODES = frozenset({str(ErrorCode.COST_LIMIT_EXCEEDED), str(ErrorCode.OPERATION_LIMIT_EXCEEDED)})
RATE_CODES = frozenset({str(ErrorCode.RATE_LIMITED)})
VALUE_COMPLETION = "Cannot return null for non-nullable"

ErrorKey = tuple[str, str]  # (path as JSON, code)


@dataclass(frozen=True, slots=True)
class Verdict:
    """``same``, ``explained`` (with the rule) or ``different`` (with what differs)."""

    outcome: str
    rule: str = ""
    detail: str = ""


def compare(
    ours: dict[str, Any],
    theirs: dict[str, Any],
    *,
    emptied: tuple[tuple[str, ...], ...] = (),
    excluded: tuple[tuple[str, ...], ...] = (),
    self_observed: tuple[tuple[str, ...], ...] = (),
) -> Verdict:
    """The verdict on two GraphQL responses to the same operation and caller.

    ``emptied``: the response paths (keys only) of fields whose sub-selection the request's
    directives excluded entirely (``emptied_selections``); ``excluded``: those of the fields the
    directives excluded themselves (``excluded_selections``); ``self_observed``: those of the
    analytics fields the operation's own events move (``self_observed_selections``).
    """
    our_errors = [e for e in _errors(ours) if not _value_completion(e)]
    their_errors = _errors(theirs)
    if emptied:
        ours = {**ours, "data": _blanked(ours.get("data"), emptied)}
        theirs = {**theirs, "data": _blanked(theirs.get("data"), emptied)}
        our_errors = [e for e in our_errors if not any(_under(e, path) for path in emptied)]
        their_errors = [e for e in their_errors if not any(_under(e, path) for path in emptied)]
    codes = {_code(e) for e in our_errors}
    if codes & LIMIT_CODES and not _same(ours.get("data"), our_errors, theirs.get("data"), their_errors):
        return Verdict("explained", "our operation limits")
    if codes & RATE_CODES:
        return Verdict("explained", "our rate limit")
    our_data, their_data = ours.get("data"), theirs.get("data")
    removed = tuple(tuple(e.get("path") or ()) for e in our_errors if _code(e) == ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE)
    if removed:
        their_data = _blanked(their_data, removed)
        their_errors = [e for e in their_errors if not any(_under(e, path) for path in removed)]
        our_errors = [e for e in our_errors if _code(e) != ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE]
    if _same(our_data, our_errors, their_data, their_errors):
        return Verdict("explained", "our router-level scope checks") if removed else Verdict("same")
    if any(_under(error, path) for error in their_errors for path in excluded):
        return Verdict("explained", "Apollo Gateway executes a field @skip/@include excluded")
    if self_observed and _same(
        _blanked(our_data, self_observed), our_errors, _blanked(their_data, self_observed), their_errors
    ):
        return Verdict("explained", "the operation records the analytics it reads")
    return Verdict("different", detail=_describe(our_data, our_errors, their_data, their_errors))


def _errors(body: dict[str, Any]) -> list[dict[str, Any]]:
    errors = body.get("errors") or []
    return [e for e in errors if isinstance(e, dict)]


def _code(error: dict[str, Any]) -> str:
    extensions = error.get("extensions")
    return str(extensions.get("code", "")) if isinstance(extensions, dict) else ""


def _value_completion(error: dict[str, Any]) -> bool:
    extensions = error.get("extensions") or {}
    return str(error.get("message", "")).startswith(VALUE_COMPLETION) and "serviceName" not in extensions


def _keys(errors: list[dict[str, Any]], data: Any) -> Counter[ErrorKey]:
    """The errors as (path, code), each error once, except below a null (see ``_anchor``): there
    each (place of the null, code) once."""
    exact: Counter[ErrorKey] = Counter()
    below_null: set[ErrorKey] = set()
    for error in errors:
        path = error.get("path")
        anchor = _anchor(data, path) if isinstance(path, list) else None
        if anchor is None:
            exact[json.dumps(path), _code(error)] += 1
        else:
            below_null.add((json.dumps(path[:anchor]) + " (or below)", _code(error)))  # type: ignore[index]
    return exact + Counter(below_null)


def _anchor(data: Any, path: list[Any]) -> int | None:
    """The length of the shortest prefix of ``path`` whose value in ``data`` is null, when that
    is shorter than the path: the error lies below a null. Which of several failing fields below
    a null a subgraph reports depends on the order its resolvers finish (the first non-null
    failure nulls the parent, and errors of the fields already cut off are dropped), so there the
    errors are compared by where the null is and their codes, not one by one."""
    value = data
    for length, step in enumerate(path):
        if value is None:
            return length
        if isinstance(step, int) and isinstance(value, list) and step < len(value):
            value = value[step]
        elif isinstance(step, str) and isinstance(value, dict):
            value = value.get(step)
        else:
            return length
    return None


def _same(our_data: Any, our_errors: list[dict[str, Any]], their_data: Any, their_errors: list[dict[str, Any]]) -> bool:
    return bool(our_data == their_data and _keys(our_errors, our_data) == _keys(their_errors, their_data))


def _under(error: dict[str, Any], removed: tuple[str, ...]) -> bool:
    """Whether an error's path is at or below a removed field (list indexes aside)."""
    keys = tuple(step for step in error.get("path") or () if isinstance(step, str))
    return keys[: len(removed)] == removed


def emptied_selections(query: str, variables: Mapping[str, Any]) -> tuple[tuple[str, ...], ...]:
    """The response paths (keys only) of the fields whose every sub-selection is excluded by
    ``@skip``/``@include`` with these variables (fragments followed whatever their type)."""
    return _Emptied(parse(query), variables).paths()


def excluded_selections(query: str, variables: Mapping[str, Any]) -> tuple[tuple[str, ...], ...]:
    """The response paths (keys only) of the fields ``@skip``/``@include`` excluded with these
    variables, on the field or on a fragment around it, that no other selection of the same
    response key includes."""
    return _Emptied(parse(query), variables).excluded()


# Root fields whose every first-page request records an analytics event (knowledge's search
# service and answer service emit SEARCH), and the fields that read those events back.
EVENT_RECORDING_ROOT_FIELDS = frozenset({"search", "ask"})
ANALYTICS_FIELDS = frozenset({"analytics"})
ANALYTICS_ROOT_FIELDS = frozenset({"metrics"})


def self_observed_selections(query: str, variables: Mapping[str, Any]) -> tuple[tuple[str, ...], ...]:
    """The response paths (keys only) of the analytics fields an operation reads when the same
    operation also records analytics events (a first-page ``search``, an ``ask``); else none."""
    walk = _Emptied(parse(query), variables)
    roots = [
        node
        for definition in walk.document.definitions
        if isinstance(definition, OperationDefinitionNode)
        for node in walk.fields(definition.selection_set)
    ]
    if not any(node.name.value in EVENT_RECORDING_ROOT_FIELDS and _first_page(node, variables) for node in roots):
        return ()
    found: list[tuple[str, ...]] = []
    for node in roots:
        key = ((node.alias or node.name).value,)
        if node.name.value in ANALYTICS_ROOT_FIELDS:
            found.append(key)
        elif node.selection_set is not None:
            walk.named(node.selection_set, key, ANALYTICS_FIELDS, found)
    return tuple(found)


def _first_page(node: FieldNode, variables: Mapping[str, Any]) -> bool:
    """Whether a search asks its first page (a page turn records no event; ``ask`` has no pages)."""
    argument = next((a for a in node.arguments or () if a.name.value == "after"), None)
    if argument is None:
        return True
    if isinstance(argument.value, VariableNode):
        return variables.get(argument.value.name.value) is None
    return isinstance(argument.value, NullValueNode)


class _Emptied:
    """A walk of an operation's selections with its directives decided."""

    def __init__(self, document: DocumentNode, variables: Mapping[str, Any]) -> None:
        self.document = document
        self.variables = dict(variables)
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}

    def paths(self) -> tuple[tuple[str, ...], ...]:
        found: list[tuple[str, ...]] = []
        for definition in self.document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                self._walk(definition.selection_set, (), found)
        return tuple(found)

    def excluded(self) -> tuple[tuple[str, ...], ...]:
        included: set[tuple[str, ...]] = set()
        excluded: set[tuple[str, ...]] = set()
        for definition in self.document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                self._sort(definition.selection_set, (), active=True, into=(included, excluded), seen=frozenset())
        return tuple(sorted(excluded - included))

    def _sort(
        self,
        selection_set: SelectionSetNode,
        path: tuple[str, ...],
        *,
        active: bool,
        into: tuple[set[tuple[str, ...]], set[tuple[str, ...]]],
        seen: frozenset[str],
    ) -> None:
        """Every field below ``selection_set`` into included or excluded by its response path."""
        for node in selection_set.selections:
            here = active and self._included(node)
            if isinstance(node, FieldNode):
                key = (*path, (node.alias or node.name).value)
                into[0 if here else 1].add(key)
                if node.selection_set is not None:
                    self._sort(node.selection_set, key, active=here, into=into, seen=seen)
            elif isinstance(node, InlineFragmentNode):
                self._sort(node.selection_set, path, active=here, into=into, seen=seen)
            elif isinstance(node, FragmentSpreadNode) and node.name.value not in seen:
                fragment = self.fragments.get(node.name.value)
                if fragment is not None:
                    self._sort(fragment.selection_set, path, active=here, into=into, seen=seen | {node.name.value})

    def named(
        self,
        selection_set: SelectionSetNode,
        path: tuple[str, ...],
        names: frozenset[str],
        found: list[tuple[str, ...]],
    ) -> None:
        """The response paths of the included fields called one of ``names`` below ``selection_set``."""
        for node in self._fields(selection_set, frozenset()):
            key = (*path, (node.alias or node.name).value)
            if node.name.value in names:
                found.append(key)
            elif node.selection_set is not None:
                self.named(node.selection_set, key, names, found)

    def fields(self, selection_set: SelectionSetNode) -> list[FieldNode]:
        """The included fields of a selection set, fragments followed."""
        return self._fields(selection_set, frozenset())

    def _walk(self, selection_set: SelectionSetNode, path: tuple[str, ...], found: list[tuple[str, ...]]) -> None:
        for node in self._fields(selection_set, frozenset()):
            if node.selection_set is None:
                continue
            key = (node.alias or node.name).value
            if self._fields(node.selection_set, frozenset()):
                self._walk(node.selection_set, (*path, key), found)
            else:
                found.append((*path, key))

    def _fields(self, selection_set: SelectionSetNode, seen: frozenset[str]) -> list[FieldNode]:
        out: list[FieldNode] = []
        for node in selection_set.selections:
            if not self._included(node):
                continue
            if isinstance(node, FieldNode):
                out.append(node)
            elif isinstance(node, InlineFragmentNode):
                out.extend(self._fields(node.selection_set, seen))
            elif isinstance(node, FragmentSpreadNode) and node.name.value not in seen:
                fragment = self.fragments.get(node.name.value)
                if fragment is not None:
                    out.extend(self._fields(fragment.selection_set, seen | {node.name.value}))
        return out

    def _included(self, node: SelectionNode) -> bool:
        for directive in node.directives or ():
            if directive.name.value not in {"skip", "include"}:
                continue
            argument = next((a for a in directive.arguments or () if a.name.value == "if"), None)
            condition = argument is not None and bool(value_from_ast(argument.value, GraphQLBoolean, self.variables))
            if condition == (directive.name.value == "skip"):
                return False
        return True


def _blanked(data: Any, paths: tuple[tuple[str, ...], ...]) -> Any:
    """A copy of ``data`` with the value at each path set to null."""
    copied = json.loads(json.dumps(data))
    for path in paths:
        _blank(copied, path)
    return copied


def _blank(data: Any, path: tuple[str, ...]) -> None:
    """Set the value at ``path`` to null wherever it occurs (stepping through lists)."""
    if not path:
        return
    if isinstance(data, list):
        for item in data:
            _blank(item, path)
        return
    if not isinstance(data, dict) or path[0] not in data:
        return
    if len(path) == 1:
        data[path[0]] = None
    else:
        _blank(data[path[0]], path[1:])


def _describe(
    our_data: Any, our_errors: list[dict[str, Any]], their_data: Any, their_errors: list[dict[str, Any]]
) -> str:
    lines: list[str] = []
    if our_data != their_data:
        lines.extend(
            f"data {where}: ours {a} / apollo {b}" for where, a, b in _data_differences(our_data, their_data, "data")
        )
    ours, theirs = _keys(our_errors, our_data), _keys(their_errors, their_data)
    lines.extend(f"error only ours: {path} {code}" for (path, code) in sorted((ours - theirs).elements()))
    lines.extend(f"error only apollo: {path} {code}" for (path, code) in sorted((theirs - ours).elements()))
    return "\n".join(lines)


def _data_differences(a: Any, b: Any, where: str) -> list[tuple[str, str, str]]:
    """The first few places two JSON values differ, with short renderings of each side."""
    if isinstance(a, dict) and isinstance(b, dict):
        found: list[tuple[str, str, str]] = []
        for key in [*a, *(k for k in b if k not in a)]:
            if a.get(key, _ABSENT) != b.get(key, _ABSENT):
                found.extend(_data_differences(a.get(key, _ABSENT), b.get(key, _ABSENT), f"{where}.{key}"))
        return found[:5]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            if x != y
            for d in _data_differences(x, y, f"{where}.{i}")
        ][:5]
    return [(where, _short(a), _short(b))]


_ABSENT = "<absent>"


def _short(value: Any) -> str:
    text = json.dumps(value) if value is not _ABSENT else _ABSENT
    return text if len(text) <= 200 else text[:200] + "..."  # noqa: PLR2004 - a line a difference

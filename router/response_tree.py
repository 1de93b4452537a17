"""The merged response tree: find objects by path, project representations, merge fetch results.

Plain functions over JSON values (dicts and lists), used by the executor between fetches. Written
for the hot path: each entity fetch walks the tree before it sends and merges into it after.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from router.planner.plan import FieldShape, Rename

Path = list[str | int]


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


_MISSING = object()

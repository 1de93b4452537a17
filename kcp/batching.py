"""DataLoader factories: one store round trip per batch of keys, not one per object.

Strawberry's ``DataLoader`` wants a function from a batch of keys to one result per key, in
the keys' order. Stores answer with whatever they found; each factory here turns such an answer
into that list, so a subgraph only says how to fetch a batch. Loaders are built once per request
(in each subgraph's context), so nothing cached outlives the request that loaded it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, TypeVar

from strawberry.dataloader import DataLoader

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping

K = TypeVar("K", bound="Hashable")
T = TypeVar("T")
D = TypeVar("D")


def records_by_id(
    fetch: Callable[[list[K]], Awaitable[Iterable[T]]],
    key: Callable[[T], K],
    *,
    max_batch_size: int | None = None,
) -> DataLoader[K, T | None]:
    """Records by id, ``key`` naming each fetched record's id; a missing id loads as ``None``."""

    async def load(ids: list[K]) -> list[T | None]:
        found = {key(record): record for record in await fetch(ids)}
        return [found.get(record_id) for record_id in ids]

    return DataLoader(load_fn=load, max_batch_size=max_batch_size)


def values_by_id(
    fetch: Callable[[list[K]], Awaitable[Mapping[K, T]]],
    default: D,
    *,
    max_batch_size: int | None = None,
) -> DataLoader[K, T | D]:
    """The value the fetched mapping holds for each key; ``default`` for a key it lacks.

    ``default`` is shared by every key that lacks a value: pass an immutable one (``None``, a
    number, a frozen record); for lists use ``grouped_by_id``.
    """

    async def load(ids: list[K]) -> list[T | D]:
        found = await fetch(ids)
        return [found.get(record_id, default) for record_id in ids]

    return DataLoader(load_fn=load, max_batch_size=max_batch_size)


def grouped_by_id(
    fetch: Callable[[list[K]], Awaitable[Mapping[K, list[T]]]], *, max_batch_size: int | None = None
) -> DataLoader[K, list[T]]:
    """The list of children of each parent id, already grouped by the fetch; empty when none."""

    async def load(ids: list[K]) -> list[list[T]]:
        groups = await fetch(ids)
        return [groups.get(parent_id, []) for parent_id in ids]

    return DataLoader(load_fn=load, max_batch_size=max_batch_size)


def grouped_records(
    fetch: Callable[[list[K]], Awaitable[Iterable[T]]],
    parent: Callable[[T], K],
    *,
    max_batch_size: int | None = None,
) -> DataLoader[K, list[T]]:
    """The children of each parent id, grouped here by ``parent`` in the order they were fetched."""

    async def load(ids: list[K]) -> list[list[T]]:
        groups: dict[K, list[T]] = defaultdict(list)
        for record in await fetch(ids):
            groups[parent(record)].append(record)
        return [groups.get(parent_id, []) for parent_id in ids]

    return DataLoader(load_fn=load, max_batch_size=max_batch_size)

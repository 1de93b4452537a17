"""DataLoader factories: one store round trip per level of a query, not per object."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from strawberry.dataloader import DataLoader

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Sequence

T = TypeVar("T")


def records_by_id(
    fetch: Callable[[list[str]], Awaitable[Sequence[T]]], key: Callable[[T], str]
) -> DataLoader[str, T | None]:
    """Load records by id with one fetch per batch; a missing id loads as ``None``."""

    async def load(ids: list[str]) -> list[T | None]:
        found = {key(record): record for record in await fetch(ids)}
        return [found.get(record_id) for record_id in ids]

    return DataLoader(load_fn=load)


def grouped_by_id(fetch: Callable[[list[str]], Awaitable[dict[str, list[T]]]]) -> DataLoader[str, list[T]]:
    """Load the list of children of each parent id with one fetch per batch."""

    async def load(ids: list[str]) -> list[list[T]]:
        groups = await fetch(ids)
        return [groups.get(parent_id, []) for parent_id in ids]

    return DataLoader(load_fn=load)

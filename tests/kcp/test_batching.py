"""The kernel's DataLoader factories: one fetch per batch, results in the keys' order."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from kcp.batching import grouped_by_id, grouped_records, records_by_id, values_by_id


@dataclass(frozen=True)
class Row:
    id: str
    parent: str


ROWS = [Row("a", "p1"), Row("b", "p2"), Row("c", "p1")]


class Fetches:
    """A store stand-in that records every batch it is asked for."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    async def rows(self, ids: list[str]) -> list[Row]:
        self.batches.append(ids)
        return [row for row in ROWS if row.id in ids]

    async def children(self, parents: list[str]) -> list[Row]:
        self.batches.append(parents)
        return [row for row in ROWS if row.parent in parents]


@pytest.mark.asyncio
async def test_records_by_id_fetches_once_per_batch_and_loads_missing_ids_as_none() -> None:
    fetches = Fetches()
    loader = records_by_id(fetches.rows, lambda row: row.id)
    found = await asyncio.gather(loader.load("c"), loader.load("missing"), loader.load("a"))
    assert found == [ROWS[2], None, ROWS[0]]
    assert fetches.batches == [["c", "missing", "a"]]


@pytest.mark.asyncio
async def test_grouped_records_keep_the_fetched_order_and_give_an_empty_list_for_no_children() -> None:
    fetches = Fetches()
    loader = grouped_records(fetches.children, lambda row: row.parent)
    assert await loader.load_many(["p1", "p3", "p2"]) == [[ROWS[0], ROWS[2]], [], [ROWS[1]]]
    assert len(fetches.batches) == 1


@pytest.mark.asyncio
async def test_values_and_groups_by_id_fill_what_the_mapping_lacks() -> None:
    async def counts(ids: list[str]) -> dict[str, int]:
        return {"x": 3} if "x" in ids else {}

    async def groups(ids: list[str]) -> dict[str, list[int]]:
        return {"x": [1, 2]} if "x" in ids else {}

    assert await values_by_id(counts, 0).load_many(["x", "y"]) == [3, 0]
    empty_groups = await grouped_by_id(groups).load_many(["y", "z"])
    assert empty_groups == [[], []]
    assert empty_groups[0] is not empty_groups[1]  # a fresh list each, never one shared default


@pytest.mark.asyncio
async def test_max_batch_size_splits_a_batch() -> None:
    fetches = Fetches()
    loader = records_by_id(fetches.rows, lambda row: row.id, max_batch_size=2)
    await loader.load_many(["a", "b", "c"])
    assert fetches.batches == [["a", "b"], ["c"]]

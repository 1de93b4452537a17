"""Per-request DataLoaders of graph traversals: one Cypher query per traversal per level."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from kcp.batching import grouped_by_id

if TYPE_CHECKING:
    from strawberry.dataloader import DataLoader

    from subgraphs.knowledge.relations.repository import RelationRepository, Traversal

T = TypeVar("T")


class RelationLoaders:
    """A loader per traversal, created on first use within the request."""

    def __init__(self, repository: RelationRepository) -> None:
        self._repository = repository
        self._loaders: dict[Traversal, DataLoader[str, list[str]]] = {}
        self._neighbourhoods: dict[tuple[int, tuple[str, ...]], DataLoader[str, list[tuple[str, str, int]]]] = {}

    def __getitem__(self, traversal: Traversal) -> DataLoader[str, list[str]]:
        loader = self._loaders.get(traversal)
        if loader is None:
            repository = self._repository

            async def fetch(ids: list[str]) -> dict[str, list[str]]:
                return await repository.related(traversal, ids)

            loader = self._loaders[traversal] = grouped_by_id(fetch)
        return loader

    def neighbourhood(self, depth: int, labels: tuple[str, ...]) -> DataLoader[str, list[tuple[str, str, int]]]:
        """(label, id, distance) of the records near each id: one graph query per level of a query."""
        key = (depth, labels)
        loader = self._neighbourhoods.get(key)
        if loader is None:
            repository = self._repository

            async def fetch(ids: list[str]) -> dict[str, list[tuple[str, str, int]]]:
                return await repository.neighbourhood(ids, depth=depth, labels=labels)

            loader = self._neighbourhoods[key] = grouped_by_id(fetch)
        return loader

    async def follow(self, traversal: Traversal, parent_id: str, records: DataLoader[str, T | None]) -> list[T]:
        """The records related to ``parent_id``: one batched graph query, then one batched record load."""
        ids = await self[traversal].load(parent_id)
        return [record for record in await records.load_many(ids) if record is not None]

"""Graph traversals with bounds (related records, paths) and the editors' graph links."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from subgraphs.knowledge.relations.errors import InvalidLinkError, RecordNotFoundError, TraversalLimitError
from subgraphs.knowledge.relations.repository import MAX_PATH_DEPTH, MAX_TRAVERSAL_DEPTH
from subgraphs.knowledge.relations.schema import RESOLVED_BY
from subgraphs.knowledge.scopes import KNOWLEDGE_WRITE

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from kcp.identity import Identity
    from subgraphs.knowledge.relations.repository import RelationRepository
    from subgraphs.knowledge.relations.schema import RelationType

MAX_RELATED = 50
MAX_POSITION = 1000

# label -> "does a record with this id exist?" (batched loaders of the relational store)
Exists = Callable[[str], Awaitable[bool]]


def check_related(depth: int, first: int) -> None:
    if not 1 <= depth <= MAX_TRAVERSAL_DEPTH:
        raise TraversalLimitError("depth", depth, MAX_TRAVERSAL_DEPTH)
    if not 1 <= first <= MAX_RELATED:
        raise TraversalLimitError("first", first, MAX_RELATED)


class RelationService:
    def __init__(self, repository: RelationRepository, exists: Mapping[str, Exists], identity: Identity) -> None:
        self._repository = repository
        self._exists = exists
        self._identity = identity

    async def path(self, source: str, target: str, max_depth: int) -> list[tuple[str, str]] | None:
        if not 1 <= max_depth <= MAX_PATH_DEPTH:
            raise TraversalLimitError("maxDepth", max_depth, MAX_PATH_DEPTH)
        if source == target:
            raise InvalidLinkError("`from` and `to` are the same record: a path needs two.")
        return await self._repository.shortest_path(source, target, max_depth=max_depth)

    async def link(self, relation: RelationType, source: str, target: str, position: int | None) -> bool:
        """Create the link between two stored records; True when it is new."""
        self._identity.require(KNOWLEDGE_WRITE)
        await self._check_ends(relation, source, target)
        if relation is RESOLVED_BY:
            if position is None or not 1 <= position <= MAX_POSITION:
                msg = f"RESOLVED_BY needs `position` between 1 and {MAX_POSITION} (the order to try the solution in)."
                raise InvalidLinkError(msg)
        elif position is not None:
            msg = f"Only RESOLVED_BY links carry a `position`, not {relation.name}."
            raise InvalidLinkError(msg)
        return await self._repository.link(relation, source, target, position)

    async def unlink(self, relation: RelationType, source: str, target: str) -> bool:
        """Remove the link; True when there was one."""
        self._identity.require(KNOWLEDGE_WRITE)
        await self._check_ends(relation, source, target)
        return await self._repository.unlink(relation, source, target)

    async def _check_ends(self, relation: RelationType, source: str, target: str) -> None:
        if source == target:
            msg = f"A {relation.name} link needs two different records."
            raise InvalidLinkError(msg)
        ends: Sequence[tuple[str, str, str]] = (("from", relation.source, source), ("to", relation.target, target))
        for role, label, record_id in ends:
            if not await self._exists[label](record_id):
                raise RecordNotFoundError(role, label, record_id)

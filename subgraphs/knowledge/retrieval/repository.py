"""All relational access for retrieval passages (``chunks``) and the published records they come from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, update

from subgraphs.knowledge.tables import ArticleRow, ChunkRow, KnownIssueRow, ProductRow, SolutionRow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kcp.stores.relational import RelationalStore
    from subgraphs.knowledge.retrieval.chunking import Passage

PUBLISHED = "published"


@dataclass(frozen=True, slots=True)
class StoredPassage:
    """A passage as retrieval reads it: plain values, not an ORM object. A hybrid search reads ~80
    passages; building tracked ``ChunkRow`` objects for them cost more than the query itself."""

    key: int
    source_kind: str
    source_id: str
    version: int
    locale: str | None
    title: str
    heading: str
    start: int
    end: int
    text: str


_PASSAGE_COLUMNS = (
    ChunkRow.key,
    ChunkRow.source_kind,
    ChunkRow.source_id,
    ChunkRow.version,
    ChunkRow.locale,
    ChunkRow.title,
    ChunkRow.heading,
    ChunkRow.start,
    ChunkRow.end,
    ChunkRow.text,
)


def _passage(row: Sequence[Any]) -> StoredPassage:
    return StoredPassage(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9])


class ChunkRepository:
    def __init__(self, relational: RelationalStore) -> None:
        self._relational = relational

    async def replace_source(
        self, kind: str, source_id: str, passages: Sequence[Passage]
    ) -> tuple[list[int], list[ChunkRow]]:
        """Swap a record's passages for new ones in one transaction: (the old keys, the new rows)."""
        async with self._relational.transaction() as session:
            old = list(
                await session.scalars(
                    select(ChunkRow.key).where(ChunkRow.source_kind == kind, ChunkRow.source_id == source_id)
                )
            )
            if old:
                await session.execute(delete(ChunkRow).where(ChunkRow.key.in_(old)))
            rows = [
                ChunkRow(
                    source_kind=p.source_kind,
                    source_id=p.source_id,
                    version=p.version,
                    locale=p.locale,
                    title=p.title[:300],
                    heading=p.heading[:300],
                    start=p.start,
                    end=p.end,
                    text=p.text,
                    model="",
                )
                for p in passages
            ]
            session.add_all(rows)
            await session.flush()
            session.expunge_all()
        return old, rows

    async def chunks(self, keys: Sequence[int]) -> dict[int, StoredPassage]:
        if not keys:
            return {}
        statement = select(*_PASSAGE_COLUMNS).where(ChunkRow.key.in_(keys))
        async with self._relational.reading() as session:
            return {row[0]: _passage(row) for row in (await session.execute(statement)).all()}

    async def chunks_of(self, source_ids: Sequence[str]) -> list[StoredPassage]:
        if not source_ids:
            return []
        statement = select(*_PASSAGE_COLUMNS).where(ChunkRow.source_id.in_(source_ids)).order_by(ChunkRow.key)
        async with self._relational.reading() as session:
            return [_passage(row) for row in (await session.execute(statement)).all()]

    async def has_locale(self, locale: str) -> bool:
        """Whether any published article in ``locale`` has passages."""
        async with self._relational.reading() as session:
            return (await session.scalar(select(ChunkRow.key).where(ChunkRow.locale == locale).limit(1))) is not None

    async def indexed_versions(self) -> dict[tuple[str, str], int]:
        """(kind, id) -> version of every record that has passages."""
        statement = select(ChunkRow.source_kind, ChunkRow.source_id, ChunkRow.version).distinct()
        async with self._relational.reading() as session:
            return {(kind, source_id): version for kind, source_id, version in (await session.execute(statement)).all()}

    async def unembedded(self, model: str, limit: int) -> list[ChunkRow]:
        statement = select(ChunkRow).where(ChunkRow.model != model).order_by(ChunkRow.key).limit(limit)
        async with self._relational.reading() as session:
            return list(await session.scalars(statement))

    async def count_unembedded(self, model: str) -> int:
        async with self._relational.reading() as session:
            return int(await session.scalar(select(func.count()).where(ChunkRow.model != model)) or 0)

    async def count_embedded(self, model: str) -> int:
        async with self._relational.reading() as session:
            return int(await session.scalar(select(func.count()).where(ChunkRow.model == model)) or 0)

    async def mark_embedded(self, keys: Sequence[int], model: str) -> None:
        async with self._relational.transaction() as session:
            await session.execute(update(ChunkRow).where(ChunkRow.key.in_(keys)).values(model=model))

    async def forget_vectors(self) -> None:
        """Every passage needs a new vector (the model changed or the vector store was emptied)."""
        async with self._relational.transaction() as session:
            await session.execute(update(ChunkRow).values(model=""))

    async def published_articles(self) -> list[ArticleRow]:
        async with self._relational.reading() as session:
            return list(await session.scalars(select(ArticleRow).where(ArticleRow.status == PUBLISHED)))

    async def solutions(self) -> list[SolutionRow]:
        async with self._relational.reading() as session:
            return list(await session.scalars(select(SolutionRow)))

    async def known_issues(self) -> list[KnownIssueRow]:
        async with self._relational.reading() as session:
            return list(await session.scalars(select(KnownIssueRow)))

    async def product_names(self) -> list[tuple[str, str]]:
        """(id, name) of every product: what a question may name."""
        async with self._relational.reading() as session:
            return [(pid, name) for pid, name in (await session.execute(select(ProductRow.id, ProductRow.name))).all()]

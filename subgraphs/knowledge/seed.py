"""Load the knowledge slice of the demo dataset: records into SQL, relations into the graph.

Idempotent: records are inserted only when their id is new and relations are MERGEd, so seeding
twice changes nothing. Run it before the service starts: only one process may open the embedded
graph at a time.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import structlog

from kcp.seeding import chunks
from subgraphs.knowledge.relations.repository import RelationRepository
from subgraphs.knowledge.relations.schema import (
    AFFECTED_BY,
    COMPATIBLE_WITH,
    DOCUMENTED_IN,
    HAS_FEATURE,
    RESOLVED_BY,
    SUCCEEDS,
    RelationType,
)
from subgraphs.knowledge.stores import KnowledgeStores
from subgraphs.knowledge.tables import ArticleRow, Base, CategoryRow, FeatureRow, KnownIssueRow, ProductRow, SolutionRow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from demo.model import DemoData
    from kcp.seeding import SeedProgress
    from kcp.settings import Settings

log = structlog.get_logger()


def _rows(records: Sequence[Any]) -> list[dict[str, Any]]:
    rows = []
    for record in records:
        row = asdict(record)
        for key, value in row.items():
            if isinstance(value, tuple):  # JSON columns hold lists
                row[key] = list(value)
        rows.append(row)
    return rows


async def seed(settings: Settings, data: DemoData, progress: SeedProgress) -> None:
    """Seed the knowledge stores from ``data``, reporting progress by records and relations."""
    stores = KnowledgeStores.open(settings)
    try:
        await stores.ensure_schema()
        await _seed_records(stores, data, progress)
        await _seed_relations(RelationRepository(stores.graph), data, progress)
    finally:
        await stores.close()
    log.info("knowledge.seeded", products=len(data.products), articles=len(data.articles))


async def _seed_records(stores: KnowledgeStores, data: DemoData, progress: SeedProgress) -> None:
    tables: list[tuple[type[Base], Sequence[Any]]] = [
        (CategoryRow, data.categories),  # before products: the foreign key
        (ProductRow, data.products),
        (FeatureRow, data.features),
        (KnownIssueRow, data.known_issues),
        (SolutionRow, data.solutions),
        (ArticleRow, data.articles),
    ]
    progress.start("knowledge records", sum(len(records) for _, records in tables))
    for model, records in tables:
        for chunk in chunks(records):
            await stores.insert_missing(model, _rows(chunk))
            progress.advance(len(chunk))


async def _seed_relations(relations: RelationRepository, data: DemoData, progress: SeedProgress) -> None:
    nodes: list[tuple[str, list[str]]] = [
        ("Product", [record.id for record in data.products]),
        ("Feature", [record.id for record in data.features]),
        ("KnownIssue", [record.id for record in data.known_issues]),
        ("Solution", [record.id for record in data.solutions]),
        ("Article", [record.id for record in data.articles]),
    ]
    edges: list[tuple[RelationType, Sequence[tuple[Any, ...]]]] = [
        (HAS_FEATURE, data.has_feature),
        (COMPATIBLE_WITH, data.compatible_with),
        (AFFECTED_BY, data.affected_by),
        (RESOLVED_BY, data.resolved_by),
        (DOCUMENTED_IN, data.documented_in),
        (SUCCEEDS, data.succeeds),
    ]
    total = sum(len(ids) for _, ids in nodes) + sum(len(rows) for _, rows in edges)
    progress.start("knowledge graph", total)
    for label, ids in nodes:
        for chunk in chunks(ids):
            await relations.merge_nodes(label, chunk)
            progress.advance(len(chunk))
    for relation, rows in edges:
        for edge_chunk in chunks(rows):
            await relations.merge_relations(relation, edge_chunk)
            progress.advance(len(edge_chunk))

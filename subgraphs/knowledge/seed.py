"""Load the knowledge slice of the demo dataset: records into SQL, relations into the graph.

Idempotent: records are inserted only when their id is new and relations are MERGEd, so seeding
twice changes nothing. Run it before the service starts: only one process may open the embedded
graph at a time.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import structlog
from sqlalchemy import func, select, update

from kcp.seeding import chunks
from subgraphs.knowledge.relations.repository import RelationRepository
from subgraphs.knowledge.relations.schema import (
    ACCESSORY_FOR,
    AFFECTED_BY,
    AFFECTS_FIRMWARE,
    COMPATIBLE_WITH,
    DOCUMENTED_IN,
    HAS_FEATURE,
    HAS_FIRMWARE,
    RESOLVED_BY,
    SUCCEEDS,
    RelationType,
)
from subgraphs.knowledge.search.connect import open_search
from subgraphs.knowledge.stores import KnowledgeStores
from subgraphs.knowledge.tables import (
    ArticleRow,
    ArticleVersionRow,
    Base,
    CategoryRow,
    FeatureRow,
    FirmwareRow,
    KnownIssueRow,
    ProductRow,
    SolutionRow,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from demo.model import DemoArticle, DemoArticleVersion, DemoData
    from kcp.seeding import SeedProgress
    from kcp.settings import Settings

log = structlog.get_logger()
IMPORTED_AT = datetime(2026, 1, 1, tzinfo=UTC)  # when an article without a history entered the store


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
        await _seed_search_index(stores, progress)
        await _seed_relations(RelationRepository(stores.graph), data, progress)
    finally:
        await stores.close()
    log.info("knowledge.seeded", products=len(data.products), articles=len(data.articles))


def _histories(data: DemoData) -> dict[str, list[DemoArticleVersion]]:
    """Each article's versions, oldest first; an article the data gives none for gets one (created)."""
    from demo.model import DemoArticleVersion  # noqa: PLC0415 - demo records are needed only when seeding

    histories: dict[str, list[DemoArticleVersion]] = {}
    for version in data.article_versions:
        histories.setdefault(version.article_id, []).append(version)
    for article in data.articles:
        if article.id not in histories:
            histories[article.id] = [
                DemoArticleVersion(
                    article_id=article.id,
                    number=1,
                    change="created",
                    title=article.title,
                    body=article.body,
                    status=article.status,
                    author_id=None,
                    created_at=article.published_at or IMPORTED_AT,
                )
            ]
    return {article_id: sorted(versions, key=lambda v: v.number) for article_id, versions in histories.items()}


Histories = dict[str, list["DemoArticleVersion"]]


def _article_rows(articles: Sequence[DemoArticle], histories: Histories) -> list[dict[str, Any]]:
    rows = _rows(articles)
    for row in rows:
        latest = histories[row["id"]][-1]
        row["version"], row["updated_at"] = latest.number, latest.created_at
    return rows


def _version_rows(articles: Sequence[DemoArticle], histories: Histories) -> list[dict[str, Any]]:
    locale_tags = {article.id: (article.locale, list(article.tags)) for article in articles}
    rows = []
    for article_id, versions in histories.items():
        locale, tags = locale_tags[article_id]
        rows += [{**asdict(version), "locale": locale, "tags": tags} for version in versions]
    return rows


async def _seed_records(stores: KnowledgeStores, data: DemoData, progress: SeedProgress) -> None:
    histories = _histories(data)
    tables: list[tuple[type[Base], list[dict[str, Any]]]] = [
        (CategoryRow, _rows(data.categories)),  # before products: the foreign key
        (ProductRow, _rows(data.products)),
        (FirmwareRow, _rows(data.firmware)),
        (FeatureRow, _rows(data.features)),
        (KnownIssueRow, _rows(data.known_issues)),
        (SolutionRow, _rows(data.solutions)),
        (ArticleRow, _article_rows(data.articles, histories)),
        (ArticleVersionRow, _version_rows(data.articles, histories)),
    ]
    progress.start("knowledge records", sum(len(rows) for _, rows in tables))
    for model, rows in tables:
        for chunk in chunks(rows):
            await stores.insert_missing(model, chunk)
            progress.advance(len(chunk))
    await _catch_up_versions(stores)


async def _catch_up_versions(stores: KnowledgeStores) -> None:
    """Articles stored before their history was (a data folder from before versions): at its newest number.

    Otherwise the next edit would write a version number the history already holds.
    """
    newest = (
        select(func.max(ArticleVersionRow.number))
        .where(ArticleVersionRow.article_id == ArticleRow.id)
        .scalar_subquery()
    )
    async with stores.relational.transaction() as session:
        await session.execute(update(ArticleRow).where(ArticleRow.version < newest).values(version=newest))


async def _seed_search_index(stores: KnowledgeStores, progress: SeedProgress) -> None:
    """Index the stored articles and solutions not indexed yet (edits made since seeding are kept)."""
    async with stores.relational.reading() as session:
        articles = list(await session.scalars(select(ArticleRow)))
        solutions = list(await session.scalars(select(SolutionRow)))
    progress.start("knowledge search index", len(articles) + len(solutions))
    await open_search(stores.relational).index_missing(articles, solutions)
    progress.advance(len(articles) + len(solutions))


async def _seed_relations(relations: RelationRepository, data: DemoData, progress: SeedProgress) -> None:
    nodes: list[tuple[str, list[str]]] = [
        ("Product", [record.id for record in data.products]),
        ("Feature", [record.id for record in data.features]),
        ("KnownIssue", [record.id for record in data.known_issues]),
        ("Solution", [record.id for record in data.solutions]),
        ("Article", [record.id for record in data.articles]),
        ("Firmware", [record.id for record in data.firmware]),
    ]
    edges: list[tuple[RelationType, Sequence[tuple[Any, ...]]]] = [
        (HAS_FEATURE, data.has_feature),
        (COMPATIBLE_WITH, data.compatible_with),
        (AFFECTED_BY, data.affected_by),
        (RESOLVED_BY, data.resolved_by),
        (DOCUMENTED_IN, data.documented_in),
        (SUCCEEDS, data.succeeds),
        (ACCESSORY_FOR, data.accessory_for),
        (HAS_FIRMWARE, [(record.product_id, record.id) for record in data.firmware]),
        (AFFECTS_FIRMWARE, data.affects_firmware),
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

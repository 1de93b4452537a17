"""Seeding: idempotent, with progress, and fast enough on the full demo dataset."""

from __future__ import annotations

import dataclasses
import time
from typing import TYPE_CHECKING

import pytest
from knowledge_support import small_demo
from sqlalchemy import text

import demo
from subgraphs.knowledge.relations.repository import RelationRepository
from subgraphs.knowledge.seed import seed
from subgraphs.knowledge.stores import KnowledgeStores
from subgraphs.knowledge.tables import (
    ArticleRow,
    ArticleVersionRow,
    CategoryRow,
    FeatureRow,
    FirmwareRow,
    KnownIssueRow,
    ProductRow,
    SolutionRow,
)

if TYPE_CHECKING:
    from kcp.settings import Settings

MODELS = (CategoryRow, ProductRow, FirmwareRow, FeatureRow, KnownIssueRow, SolutionRow, ArticleRow, ArticleVersionRow)


async def counts(settings: Settings) -> dict[str, int]:
    stores = KnowledgeStores.open(settings)
    try:
        found = {model.__tablename__: await stores.count(model) for model in MODELS}
        relations = RelationRepository(stores.graph)
        found["nodes"] = await relations.count_nodes()
        found["relations"] = await relations.count_relations()
        async with stores.relational.reading() as session:
            found["search_index"] = int((await session.execute(text("SELECT count(*) FROM search_index"))).scalar_one())
    finally:
        await stores.close()
    return found


@pytest.mark.asyncio
async def test_seeding_twice_changes_nothing(settings: Settings, progress, new_progress) -> None:
    data = small_demo()

    await seed(settings, data, progress)
    first = await counts(settings)
    await seed(settings, data, new_progress())
    second = await counts(settings)

    assert first == {
        "categories": 3,
        "products": 5,
        "firmware": 10,
        "features": 3,
        "known_issues": 2,
        "solutions": 3,
        "articles": 6,
        "article_versions": 9,  # four for the article with a history, one for each of the five others
        "nodes": 29,
        "relations": 31,
        "search_index": 9,  # six articles, three solutions
    }
    assert second == first
    assert progress.steps == [("knowledge records", 41), ("knowledge search index", 9), ("knowledge graph", 60)]
    assert progress.done_by_label == {"knowledge records": 41, "knowledge search index": 9, "knowledge graph": 60}


@pytest.mark.asyncio
async def test_reseeding_keeps_stored_records_and_solution_order(settings: Settings, new_progress) -> None:
    data = small_demo()
    await seed(settings, data, new_progress())
    stores = KnowledgeStores.open(settings)
    try:
        async with stores.relational.transaction() as session:
            product = await session.get(ProductRow, "prd-space-one")
            assert product is not None
            product.name = "Space One (edited)"
    finally:
        await stores.close()

    await seed(settings, data, new_progress())

    stores = KnowledgeStores.open(settings)
    try:
        async with stores.relational.reading() as session:
            product = await session.get(ProductRow, "prd-space-one")
        from subgraphs.knowledge.relations.repository import Traversal  # noqa: PLC0415

        order = await RelationRepository(stores.graph).related(Traversal.SOLUTIONS_OF_ISSUE, ["iss-pairing"])
    finally:
        await stores.close()
    assert product is not None
    assert product.name == "Space One (edited)"
    assert order == {"iss-pairing": ["sol-firmware", "sol-reset"]}


@pytest.mark.asyncio
async def test_full_demo_dataset_seeds(settings: Settings, capsys: pytest.CaptureFixture[str], new_progress) -> None:
    data = demo.generate()
    started = time.perf_counter()
    await seed(settings, data, new_progress())
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\nknowledge seed of the full demo dataset: {elapsed:.2f} s")

    found = await counts(settings)
    assert found["products"] == len(data.products)
    assert found["articles"] == len(data.articles)
    assert found["known_issues"] == len(data.known_issues)
    assert found["firmware"] == len(data.firmware)
    assert found["article_versions"] == len(data.article_versions)
    assert found["search_index"] == len(data.articles) + len(data.solutions)
    pairs = [
        data.has_feature,
        data.compatible_with,
        data.affected_by,
        data.documented_in,
        data.succeeds,
        data.accessory_for,
        data.affects_firmware,
    ]
    resolved_by = {(issue, solution) for issue, solution, _ in data.resolved_by}
    has_firmware = len(data.firmware)
    assert found["relations"] == sum(len(set(relation)) for relation in pairs) + len(resolved_by) + has_firmware


@pytest.mark.asyncio
async def test_history_seeded_later_brings_the_article_to_its_newest_version(
    settings: Settings, new_progress, serve, editor
) -> None:
    data = small_demo()
    first = dataclasses.replace(
        data, article_versions=tuple(v for v in data.article_versions if v.article_id != "art-fix-pairing")
    )
    await seed(settings, first, new_progress())
    await seed(settings, data, new_progress())  # its four versions arrive; the seeded one-version row is kept

    async with serve(settings) as api:
        edited = await api.gql(
            'mutation { editArticle(id: "art-fix-pairing", input: {title: "Pairing, fixed"}) { version } }',
            headers=editor,
        )

    assert "errors" not in edited, edited
    assert edited["data"]["editArticle"] == {"version": 5}

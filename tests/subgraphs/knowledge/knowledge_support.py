"""The small hand-built knowledge dataset, and counting what the app asks of its stores."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import event

from demo.knowledge_links import firmware_records
from demo.model import (
    DemoArticle,
    DemoArticleVersion,
    DemoCategory,
    DemoData,
    DemoFeature,
    DemoFirmware,
    DemoKnownIssue,
    DemoProduct,
    DemoSolution,
)
from subgraphs.knowledge.relations.repository import Traversal

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from subgraphs.knowledge.relations.repository import RelationRepository


SECRET = "knowledge-test-secret"  # noqa: S105 - a test-only signing secret for identity headers


def at(day: int) -> datetime:
    return datetime(2024, 1, day, 12, 0, tzinfo=UTC)


def product(pid: str, name: str, category: str, series: str, day: int) -> DemoProduct:
    return DemoProduct(
        id=f"prd-{pid}",
        slug=pid,
        name=name,
        category_id=category,
        series=series,
        sku=f"SKU-{pid.upper()}",
        description=f"The {name}.",
        price_cents=9999,
        released_at=at(day),
        specs={"Battery life": "50 h", "Bluetooth": "5.3"},
        firmware_versions=("1.0.0", "1.1.0"),
    )


def article(  # noqa: PLR0913 - keyword defaults keep the dataset readable
    aid: str, title: str, body: str, *, kind: str = "troubleshooting", status: str = "published", day: int = 1
) -> DemoArticle:
    return DemoArticle(
        id=f"art-{aid}",
        slug=aid,
        title=title,
        kind=kind,
        body=body,
        locale="en-US",
        status=status,
        tags=("earbuds",),
        published_at=at(day) if status in ("published", "archived") else None,
    )


def firmware_of(products: tuple[DemoProduct, ...]) -> tuple[DemoFirmware, ...]:
    """Each product's firmware 1.0.0 at launch and 1.1.0 a day later."""
    return firmware_records(
        products,
        {p.id: tuple(p.released_at + timedelta(days=n) for n in range(len(p.firmware_versions))) for p in products},
    )


EDITOR = "usr-editor"


def small_demo() -> DemoData:
    """Five products (one accessory), two issues with ordered solutions, six articles in every status."""
    products = (
        product("liberty-4-nc", "Liberty 4 NC", "cat-earbuds", "Liberty", 20),
        product("liberty-3-pro", "Liberty 3 Pro", "cat-earbuds", "Liberty", 10),
        product("space-one", "Space One", "cat-headphones", "Space", 15),
        product("life-q30", "Life Q30", "cat-headphones", "Life", 5),
        product("ear-tips", "Foam Ear Tips", "cat-accessories", "Accessories", 8),
    )
    return DemoData(
        categories=(
            DemoCategory("cat-earbuds", "earbuds", "Earbuds"),
            DemoCategory("cat-headphones", "headphones", "Headphones"),
            DemoCategory("cat-accessories", "accessories", "Accessories"),
        ),
        products=products,
        features=(
            DemoFeature("fea-anc", "Adaptive ANC", "Noise cancelling that adapts to the ear."),
            DemoFeature("fea-ldac", "LDAC", "Hi-res wireless audio."),
            DemoFeature("fea-multipoint", "Multipoint", "Two devices at once."),
        ),
        known_issues=(
            DemoKnownIssue(
                "iss-pairing",
                "Right earbud does not pair",
                "After an update the right bud stays silent.",
                "high",
                "open",
                ("right bud silent", "LED blinks red"),
                at(21),
            ),
            DemoKnownIssue(
                "iss-crackle",
                "Crackling with LDAC",
                "Crackling audio when LDAC is on.",
                "low",
                "resolved",
                ("crackling",),
                at(22),
            ),
        ),
        solutions=(
            DemoSolution(
                "sol-reset", "Factory reset", ("Put both buds in the case", "Hold the button 10 s", "Pair again"), 0.8
            ),
            DemoSolution("sol-firmware", "Update the firmware", ("Open the app", "Install 1.1.0"), 0.6),
            DemoSolution("sol-ldac-off", "Turn LDAC off", ("Open the app", "Switch LDAC off"), 0.9),
        ),
        articles=(
            article("fix-pairing", "How to fix right earbud pairing", "Reset the earbuds: hold the button.", day=3),
            article(
                "update-firmware",
                "Updating firmware",
                "Open the Soundcore app to update the pairing module.",
                kind="guide",
                day=2,
            ),
            article("ldac-faq", "LDAC FAQ", "What is LDAC? Hi-res audio.", kind="faq", day=1),
            article("draft-pairing", "Pairing draft", "Unpublished pairing notes.", status="draft"),
            article(
                "review-anc", "ANC explained", "How adaptive noise cancelling works.", kind="guide", status="review"
            ),
            article(
                "old-release",
                "Firmware 1.0.0 notes",
                "The first firmware release.",
                kind="release_note",
                status="archived",
                day=4,
            ),
        ),
        article_versions=(
            DemoArticleVersion(
                "art-fix-pairing",
                1,
                "created",
                "How to fix right earbud pairing",
                "Reset the earbuds.",
                "draft",
                EDITOR,
                at(1),
            ),
            DemoArticleVersion(
                "art-fix-pairing",
                2,
                "edited",
                "How to fix right earbud pairing",
                "Reset the earbuds: hold the button.",
                "draft",
                EDITOR,
                at(2),
            ),
            DemoArticleVersion(
                "art-fix-pairing",
                3,
                "status_changed",
                "How to fix right earbud pairing",
                "Reset the earbuds: hold the button.",
                "review",
                EDITOR,
                at(2),
            ),
            DemoArticleVersion(
                "art-fix-pairing",
                4,
                "status_changed",
                "How to fix right earbud pairing",
                "Reset the earbuds: hold the button.",
                "published",
                "usr-admin",
                at(3),
            ),
        ),
        firmware=firmware_of(products),
        users=(),
        content_items=(),
        tickets=(),
        events=(),
        has_feature=(
            ("prd-liberty-4-nc", "fea-anc"),
            ("prd-liberty-4-nc", "fea-ldac"),
            ("prd-liberty-4-nc", "fea-multipoint"),
            ("prd-space-one", "fea-anc"),
        ),
        compatible_with=(("prd-liberty-4-nc", "prd-space-one"), ("prd-life-q30", "prd-liberty-4-nc")),
        affected_by=(
            ("prd-liberty-4-nc", "iss-pairing"),
            ("prd-liberty-4-nc", "iss-crackle"),
            ("prd-liberty-3-pro", "iss-pairing"),
        ),
        resolved_by=(
            ("iss-pairing", "sol-reset", 2),
            ("iss-pairing", "sol-firmware", 1),
            ("iss-crackle", "sol-ldac-off", 1),
        ),
        documented_in=(
            ("sol-reset", "art-fix-pairing"),
            ("sol-firmware", "art-update-firmware"),
            ("sol-ldac-off", "art-ldac-faq"),
        ),
        succeeds=(("prd-liberty-4-nc", "prd-liberty-3-pro"),),
        accessory_for=(("prd-ear-tips", "prd-liberty-4-nc"), ("prd-ear-tips", "prd-liberty-3-pro")),
        affects_firmware=(
            ("iss-pairing", "prd-liberty-4-nc@1.1.0"),
            ("iss-pairing", "prd-liberty-3-pro@1.1.0"),
            ("iss-crackle", "prd-liberty-4-nc@1.0.0"),
        ),
    )


@dataclass
class StoreCalls:
    """Counts the statements the app sends to its relational store and its graph."""

    sql: int = 0
    graph: int = 0

    @classmethod
    def install(cls, app: Starlette) -> StoreCalls:
        calls = cls()
        stores = app.state.stores

        def count_sql(*_args: object) -> None:
            calls.sql += 1

        event.listen(stores.relational.engine.sync_engine, "before_cursor_execute", count_sql)
        run = stores.graph.run

        async def counted_run(cypher: str, parameters: dict[str, Any] | None = None) -> list[dict[str, Any]]:
            calls.graph += 1
            rows: list[dict[str, Any]] = await run(cypher, parameters)
            return rows

        stores.graph.run = counted_run
        return calls

    @property
    def total(self) -> int:
        return self.sql + self.graph


async def assert_batched_hops_agree(relations: RelationRepository) -> None:
    """Retrieval's one-query hops answer what the one-hop traversals answer, in the same order."""
    issues = [row["id"] for row in await relations._graph.run("MATCH (i:KnownIssue) RETURN i.id AS id ORDER BY id")]  # noqa: SLF001 - the test reads the graph it checks
    products = [row["id"] for row in await relations._graph.run("MATCH (p:Product) RETURN p.id AS id ORDER BY id")]  # noqa: SLF001 - same
    solutions = await relations.related(Traversal.SOLUTIONS_OF_ISSUE, issues)
    articles = await relations.related(
        Traversal.ARTICLES_OF_SOLUTION, sorted({s for f in solutions.values() for s in f})
    )
    expected = {i: [(s, articles.get(s, [])) for s in found] for i, found in solutions.items()}
    assert expected
    assert dict(await relations.resolutions(issues)) == expected
    for product in products:
        linked = await relations.linked_to_products([product])
        solutions_of = await relations.related(Traversal.SOLUTIONS_OF_PRODUCT, [product])
        articles_of = await relations.related(Traversal.ARTICLES_OF_PRODUCT, [product])
        assert linked == (set(solutions_of.get(product, [])), set(articles_of.get(product, [])))

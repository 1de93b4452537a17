"""Queries of the knowledge subgraph over HTTP, against the small seeded dataset."""

from __future__ import annotations

import dataclasses

import pytest
from knowledge_support import small_demo

from subgraphs.knowledge.seed import seed

PRODUCT = """
query Product($slug: String!) {
  productBySlug(slug: $slug) {
    id name sku priceCents releasedAt firmwareVersions
    specs { name value }
    category { slug name }
    features { id name }
    knownIssues { id severity status symptoms solutions { id steps successRate articles { slug } } }
    compatibleWith { id }
    successor { id }
    predecessor { id name successor { id } }
    articles { slug }
  }
}
"""


@pytest.mark.asyncio
async def test_product_by_slug_resolves_nested_relations(api) -> None:
    body = await api.gql(PRODUCT, {"slug": "liberty-4-nc"})

    assert "errors" not in body
    product = body["data"]["productBySlug"]
    assert product["id"] == "prd-liberty-4-nc"
    assert product["releasedAt"] == "2024-01-20T12:00:00+00:00"
    assert product["specs"] == [{"name": "Battery life", "value": "50 h"}, {"name": "Bluetooth", "value": "5.3"}]
    assert product["firmwareVersions"] == ["1.0.0", "1.1.0"]
    assert product["category"] == {"slug": "earbuds", "name": "Earbuds"}
    assert [f["id"] for f in product["features"]] == ["fea-anc", "fea-ldac", "fea-multipoint"]
    issues = {issue["id"]: issue for issue in product["knownIssues"]}
    assert set(issues) == {"iss-crackle", "iss-pairing"}
    pairing = issues["iss-pairing"]
    assert pairing["severity"] == "HIGH"
    assert pairing["status"] == "OPEN"
    assert pairing["symptoms"] == ["right bud silent", "LED blinks red"]
    # Solutions in RESOLVED_BY position order, steps in their stored order.
    assert [s["id"] for s in pairing["solutions"]] == ["sol-firmware", "sol-reset"]
    assert pairing["solutions"][1]["steps"] == ["Put both buds in the case", "Hold the button 10 s", "Pair again"]
    assert pairing["solutions"][1]["successRate"] == 0.8
    assert pairing["solutions"][1]["articles"] == [{"slug": "fix-pairing"}]
    # Compatibility is symmetric: one edge recorded each way.
    assert [p["id"] for p in product["compatibleWith"]] == ["prd-life-q30", "prd-space-one"]
    assert product["successor"] is None
    assert product["predecessor"] == {
        "id": "prd-liberty-3-pro",
        "name": "Liberty 3 Pro",
        "successor": {"id": "prd-liberty-4-nc"},
    }
    assert sorted(a["slug"] for a in product["articles"]) == ["fix-pairing", "ldac-faq", "update-firmware"]


@pytest.mark.asyncio
async def test_unknown_ids_and_slugs_are_null_not_errors(api) -> None:
    body = await api.gql(
        '{ productBySlug(slug: "nope") { id } product(id: "prd-nope") { id } '
        'knownIssue(id: "iss-nope") { id } article(id: "art-nope") { id } articleBySlug(slug: "nope") { id } }'
    )

    assert body == {
        "data": {"productBySlug": None, "product": None, "knownIssue": None, "article": None, "articleBySlug": None}
    }


@pytest.mark.asyncio
async def test_known_issues_filter_by_severity_and_status(api) -> None:
    body = await api.gql(
        '{ product(id: "prd-liberty-4-nc") { high: knownIssues(severity: HIGH) { id } '
        "resolved: knownIssues(status: RESOLVED) { id } none: knownIssues(severity: CRITICAL) { id } } }"
    )

    assert body["data"]["product"] == {"high": [{"id": "iss-pairing"}], "resolved": [{"id": "iss-crackle"}], "none": []}


@pytest.mark.asyncio
async def test_reverse_relations(api) -> None:
    body = await api.gql(
        '{ knownIssue(id: "iss-pairing") { title affectedProducts { id } } '
        "categories { slug products { id } } "
        'product(id: "prd-space-one") { features { name products { id } } } }'
    )

    assert "errors" not in body
    data = body["data"]
    assert data["knownIssue"]["affectedProducts"] == [{"id": "prd-liberty-3-pro"}, {"id": "prd-liberty-4-nc"}]
    assert data["categories"] == [
        {"slug": "earbuds", "products": [{"id": "prd-liberty-3-pro"}, {"id": "prd-liberty-4-nc"}]},
        {"slug": "headphones", "products": [{"id": "prd-life-q30"}, {"id": "prd-space-one"}]},
    ]
    assert data["product"]["features"] == [
        {"name": "Adaptive ANC", "products": [{"id": "prd-liberty-4-nc"}, {"id": "prd-space-one"}]}
    ]


@pytest.mark.asyncio
async def test_products_page_by_category_and_cursor(api) -> None:
    body = await api.gql(
        '{ all: products(first: 3) { id } next: products(first: 3, after: "prd-liberty-4-nc") { id } '
        'earbuds: products(category: "earbuds") { id } unknown: products(category: "nope") { id } }'
    )

    assert body["data"] == {
        "all": [{"id": "prd-liberty-3-pro"}, {"id": "prd-liberty-4-nc"}, {"id": "prd-life-q30"}],
        "next": [{"id": "prd-life-q30"}, {"id": "prd-space-one"}],
        "earbuds": [{"id": "prd-liberty-3-pro"}, {"id": "prd-liberty-4-nc"}],
        "unknown": [],
    }


@pytest.mark.asyncio
async def test_articles_by_kind_and_slug(api) -> None:
    body = await api.gql(
        "{ articles { slug } guides: articles(kind: GUIDE) { slug kind } "
        "drafts: articles(status: DRAFT) { slug status } "
        'articleBySlug(slug: "ldac-faq") { id kind locale tags publishedAt } }'
    )

    assert "errors" not in body
    data = body["data"]
    assert [a["slug"] for a in data["articles"]] == ["fix-pairing", "update-firmware", "ldac-faq"]
    assert data["guides"] == [{"slug": "update-firmware", "kind": "GUIDE"}]
    assert data["drafts"] == [{"slug": "draft-pairing", "status": "DRAFT"}]
    assert data["articleBySlug"] == {
        "id": "art-ldac-faq",
        "kind": "FAQ",
        "locale": "en-US",
        "tags": ["earbuds"],
        "publishedAt": "2024-01-01T12:00:00+00:00",
    }


@pytest.mark.asyncio
async def test_search_articles_matches_every_word_title_first_published_only(api) -> None:
    body = await api.gql(
        '{ pairing: searchArticles(query: "PAIRING") { slug } '
        'both: searchArticles(query: "pairing  firmware") { slug } '
        'literal: searchArticles(query: "100%") { slug } '
        'one: searchArticles(query: "pairing", first: 1) { slug } }'
    )

    assert "errors" not in body
    data = body["data"]
    # Title hits first; the draft that mentions pairing is never returned.
    assert [a["slug"] for a in data["pairing"]] == ["fix-pairing", "update-firmware"]
    assert [a["slug"] for a in data["both"]] == ["update-firmware"]
    assert data["literal"] == []
    assert data["one"] == [{"slug": "fix-pairing"}]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("document", "needle"),
    [
        ("{ products(first: 101) { id } }", "between 1 and 100, got 101"),
        ("{ products(first: 0) { id } }", "between 1 and 100, got 0"),
        ("{ articles(first: 500) { id } }", "between 1 and 100, got 500"),
        ('{ searchArticles(query: "a", first: -1) { id } }', "between 1 and 100, got -1"),
        ('{ searchArticles(query: "   ") { id } }', "at least one non-blank character"),
        ('{ searchArticles(query: "' + "x" * 201 + '") { id } }', "at most 200 characters"),
    ],
)
async def test_bad_input_is_a_coded_error(api, document: str, needle: str) -> None:
    body = await api.gql(document)

    # The root lists are nullable: the failing field alone is null.
    assert list(body["data"].values()) == [None]
    [error] = body["errors"]
    assert needle in error["message"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}


@pytest.mark.asyncio
async def test_health_and_readiness_name_both_stores(api) -> None:
    ready = await api.http.get("/ready")
    health = await api.http.get("/health")

    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "service": "knowledge"}
    assert health.json() == {"status": "ok", "service": "knowledge"}


@pytest.mark.asyncio
async def test_relations_show_published_articles_only(settings, new_progress, serve) -> None:
    # The draft documents the factory reset too, and only a direct lookup may show it.
    data = small_demo()
    data = dataclasses.replace(data, documented_in=(*data.documented_in, ("sol-reset", "art-draft-pairing")))
    await seed(settings, data, new_progress())

    async with serve(settings) as api:
        body = await api.gql(
            '{ productBySlug(slug: "liberty-4-nc") { '
            "knownIssues { id solutions { id articles { slug status } } } articles { slug status } } "
            'article(id: "art-draft-pairing") { slug status } }'
        )

    assert "errors" not in body
    product = body["data"]["productBySlug"]
    pairing = next(issue for issue in product["knownIssues"] if issue["id"] == "iss-pairing")
    assert pairing["solutions"] == [
        {"id": "sol-firmware", "articles": [{"slug": "update-firmware", "status": "PUBLISHED"}]},
        {"id": "sol-reset", "articles": [{"slug": "fix-pairing", "status": "PUBLISHED"}]},
    ]
    assert sorted(a["slug"] for a in product["articles"]) == ["fix-pairing", "ldac-faq", "update-firmware"]
    assert {a["status"] for a in product["articles"]} == {"PUBLISHED"}
    assert body["data"]["article"] == {"slug": "draft-pairing", "status": "DRAFT"}

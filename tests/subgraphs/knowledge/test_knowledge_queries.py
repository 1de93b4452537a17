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
        {"slug": "accessories", "products": [{"id": "prd-ear-tips"}]},
        {"slug": "earbuds", "products": [{"id": "prd-liberty-3-pro"}, {"id": "prd-liberty-4-nc"}]},
        {"slug": "headphones", "products": [{"id": "prd-life-q30"}, {"id": "prd-space-one"}]},
    ]
    assert data["product"]["features"] == [
        {"name": "Adaptive ANC", "products": [{"id": "prd-liberty-4-nc"}, {"id": "prd-space-one"}]}
    ]


def ids(connection: dict) -> list[str]:
    return [edge["node"]["id"] for edge in connection["edges"]]


@pytest.mark.asyncio
async def test_products_filter_sort_and_page_with_total_count(api) -> None:
    first = await api.gql(
        "{ page: products(first: 2) { totalCount edges { cursor node { id } } "
        "pageInfo { hasNextPage hasPreviousPage endCursor } } }"
    )
    page = first["data"]["page"]
    assert page["totalCount"] == 5
    assert ids(page) == ["prd-ear-tips", "prd-liberty-3-pro"]  # by name
    assert page["pageInfo"]["hasNextPage"] is True
    assert page["pageInfo"]["hasPreviousPage"] is False

    body = await api.gql(
        """query($after: String) {
          next: products(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage hasPreviousPage } }
          earbuds: products(category: "earbuds") { totalCount edges { node { id } } }
          liberty: products(series: "LIBERTY", sort: NEWEST) { edges { node { id } } }
          anc: products(feature: "fea-anc", sort: OLDEST) { totalCount edges { node { id } } }
          cheapFirst: products(sort: PRICE_LOW_TO_HIGH, first: 1) { edges { node { id } } }
          unknown: products(category: "nope") { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } }
          noFeature: products(feature: "fea-nope") { totalCount }
        }""",
        {"after": page["pageInfo"]["endCursor"]},
    )

    assert "errors" not in body, body
    data = body["data"]
    assert ids(data["next"]) == ["prd-liberty-4-nc", "prd-life-q30"]
    assert data["next"]["pageInfo"] == {"hasNextPage": True, "hasPreviousPage": True}
    assert data["earbuds"]["totalCount"] == 2
    assert ids(data["earbuds"]) == ["prd-liberty-3-pro", "prd-liberty-4-nc"]
    assert ids(data["liberty"]) == ["prd-liberty-4-nc", "prd-liberty-3-pro"]
    assert data["anc"] == {
        "totalCount": 2,
        "edges": [{"node": {"id": "prd-space-one"}}, {"node": {"id": "prd-liberty-4-nc"}}],
    }
    assert len(ids(data["cheapFirst"])) == 1
    assert data["unknown"] == {"totalCount": 0, "edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}
    assert data["noFeature"] == {"totalCount": 0}


@pytest.mark.asyncio
async def test_features_firmware_and_accessories(api) -> None:
    body = await api.gql(
        '{ features { id name } feature(id: "fea-ldac") { products { id } } '
        'product(id: "prd-liberty-4-nc") { firmware { id version releasedAt product { id } knownIssues { id } } '
        "accessories { id accessoryFor { id } } "
        "knownIssues(severity: HIGH) { affectedFirmware { id version product { slug } } } } }"
    )

    assert "errors" not in body, body
    data = body["data"]
    assert [f["name"] for f in data["features"]] == ["Adaptive ANC", "LDAC", "Multipoint"]
    assert data["feature"] == {"products": [{"id": "prd-liberty-4-nc"}]}
    product = data["product"]
    assert product["firmware"] == [
        {
            "id": "prd-liberty-4-nc@1.0.0",
            "version": "1.0.0",
            "releasedAt": "2024-01-20T12:00:00+00:00",
            "product": {"id": "prd-liberty-4-nc"},
            "knownIssues": [{"id": "iss-crackle"}],
        },
        {
            "id": "prd-liberty-4-nc@1.1.0",
            "version": "1.1.0",
            "releasedAt": "2024-01-21T12:00:00+00:00",
            "product": {"id": "prd-liberty-4-nc"},
            "knownIssues": [{"id": "iss-pairing"}],
        },
    ]
    assert product["accessories"] == [
        {"id": "prd-ear-tips", "accessoryFor": [{"id": "prd-liberty-3-pro"}, {"id": "prd-liberty-4-nc"}]}
    ]
    assert product["knownIssues"] == [
        {
            "affectedFirmware": [
                {"id": "prd-liberty-3-pro@1.1.0", "version": "1.1.0", "product": {"slug": "liberty-3-pro"}},
                {"id": "prd-liberty-4-nc@1.1.0", "version": "1.1.0", "product": {"slug": "liberty-4-nc"}},
            ]
        }
    ]


@pytest.mark.asyncio
async def test_articles_list_published_ones_by_kind_locale_and_tag(api) -> None:
    body = await api.gql(
        "{ all: articles { totalCount edges { node { slug } } } "
        "guides: articles(kind: GUIDE) { edges { node { slug kind } } } "
        'tagged: articles(tag: "earbuds", locale: "en-US", first: 1) { totalCount pageInfo { hasNextPage } } '
        'otherLocale: articles(locale: "de-DE") { totalCount } '
        'articleBySlug(slug: "ldac-faq") { id kind locale tags publishedAt version } }'
    )

    assert "errors" not in body, body
    data = body["data"]
    assert data["all"]["totalCount"] == 3
    assert [e["node"]["slug"] for e in data["all"]["edges"]] == ["fix-pairing", "update-firmware", "ldac-faq"]
    assert data["guides"] == {"edges": [{"node": {"slug": "update-firmware", "kind": "GUIDE"}}]}
    assert data["tagged"] == {"totalCount": 3, "pageInfo": {"hasNextPage": True}}
    assert data["otherLocale"] == {"totalCount": 0}
    assert data["articleBySlug"] == {
        "id": "art-ldac-faq",
        "kind": "FAQ",
        "locale": "en-US",
        "tags": ["earbuds"],
        "publishedAt": "2024-01-01T12:00:00+00:00",
        "version": 1,
    }


@pytest.mark.asyncio
async def test_unpublished_articles_need_knowledge_read(api, as_user, error_codes) -> None:
    document = (
        "{ articles(statuses: [DRAFT, REVIEW, ARCHIVED]) { edges { node { slug status } } } "
        'draft: article(id: "art-draft-pairing") { slug } archived: articleBySlug(slug: "old-release") { status } }'
    )

    anonymous = await api.gql(document)
    reader = await api.gql(document, headers=as_user("knowledge:read"))
    other_scope = await api.gql(document, headers=as_user("support:read"))

    assert anonymous["data"] == {"articles": None, "draft": None, "archived": None}
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    assert error_codes(other_scope) == ["FORBIDDEN"]
    assert "errors" not in reader, reader
    assert [e["node"] for e in reader["data"]["articles"]["edges"]] == [
        {"slug": "old-release", "status": "ARCHIVED"},
        {"slug": "draft-pairing", "status": "DRAFT"},
        {"slug": "review-anc", "status": "REVIEW"},
    ]
    assert reader["data"]["draft"] == {"slug": "draft-pairing"}
    assert reader["data"]["archived"] == {"status": "ARCHIVED"}


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("document", "needle"),
    [
        ("{ products(first: 101) { totalCount } }", "between 1 and 100, got 101"),
        ("{ products(first: 0) { totalCount } }", "between 1 and 100, got 0"),
        ('{ products(after: "bogus") { totalCount } }', "not a cursor this API issued"),
        ("{ articles(first: 500) { totalCount } }", "between 1 and 100, got 500"),
        ('{ search(query: "a", first: -1) { totalCount } }', "between 1 and 100, got -1"),
        ('{ search(query: " ?! ") { totalCount } }', "at least one word"),
        ('{ search(query: "' + "x" * 201 + '") { totalCount } }', "at most 200 characters"),
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
async def test_relations_show_published_articles_only(settings, new_progress, serve, as_user) -> None:
    # The draft documents the factory reset too, and only a direct lookup may show it.
    data = small_demo()
    data = dataclasses.replace(data, documented_in=(*data.documented_in, ("sol-reset", "art-draft-pairing")))
    await seed(settings, data, new_progress())

    async with serve(settings) as api:
        body = await api.gql(
            '{ productBySlug(slug: "liberty-4-nc") { '
            "knownIssues { id solutions { id articles { slug status } } } articles { slug status } } "
            'article(id: "art-draft-pairing") { slug status } }',
            headers=as_user("knowledge:read"),
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


@pytest.mark.asyncio
async def test_known_issues_list_newest_first_filtered_by_severity_and_status(api) -> None:
    body = await api.gql(
        "{ all: knownIssues { totalCount edges { node { id reportedAt } } } "
        "high: knownIssues(severity: HIGH, status: OPEN) { totalCount edges { node { id } } } "
        "none: knownIssues(severity: CRITICAL) { totalCount edges { node { id } } } "
        "page: knownIssues(first: 1) { pageInfo { hasNextPage } } }"
    )

    assert "errors" not in body, body
    data = body["data"]
    assert [edge["node"]["id"] for edge in data["all"]["edges"]] == ["iss-crackle", "iss-pairing"]
    assert data["all"]["totalCount"] == 2
    assert data["high"] == {"totalCount": 1, "edges": [{"node": {"id": "iss-pairing"}}]}
    assert data["none"] == {"totalCount": 0, "edges": []}
    assert data["page"] == {"pageInfo": {"hasNextPage": True}}

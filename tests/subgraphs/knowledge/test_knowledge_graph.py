"""The knowledge graph as nested fields: related records, paths, bounds, and editors' links."""

from __future__ import annotations

import pytest
from knowledge_support import assert_batched_hops_agree, small_demo

from kcp.stores.connect import open_graph_store
from subgraphs.knowledge.relations.repository import RelationRepository
from subgraphs.knowledge.seed import seed

NODE = "... on Product { id } ... on Feature { id } ... on KnownIssue { id } ... on Solution { id } "
NODE += "... on Article { id } ... on FirmwareVersion { id }"
LINK = f"""
mutation($input: LinkInput!) {{
  linkRecords(input: $input) {{ relation changed position source {{ {NODE} }} target {{ {NODE} }} }}
}}
"""
UNLINK = f"""
mutation($input: LinkInput!) {{
  unlinkRecords(input: $input) {{ relation changed source {{ {NODE} }} target {{ {NODE} }} }}
}}
"""


@pytest.mark.asyncio
async def test_related_walks_the_graph_by_depth_and_kind(api) -> None:
    body = await api.gql(
        '{ product(id: "prd-liberty-4-nc") { '
        f"near: related {{ kind distance node {{ {NODE} }} }} "
        f"fixes: related(depth: 3, kinds: [SOLUTION, ARTICLE]) {{ kind distance node {{ {NODE} }} }} "
        "two: related(depth: 2, first: 2) { kind } } }"
    )

    assert "errors" not in body, body
    product = body["data"]["product"]
    assert [(r["kind"], r["node"]["id"]) for r in product["near"]] == [
        ("FEATURE", "fea-anc"),
        ("FEATURE", "fea-ldac"),
        ("FEATURE", "fea-multipoint"),
        ("FIRMWARE", "prd-liberty-4-nc@1.0.0"),
        ("FIRMWARE", "prd-liberty-4-nc@1.1.0"),
        ("KNOWN_ISSUE", "iss-crackle"),
        ("KNOWN_ISSUE", "iss-pairing"),
        ("PRODUCT", "prd-ear-tips"),
        ("PRODUCT", "prd-liberty-3-pro"),
        ("PRODUCT", "prd-life-q30"),
        ("PRODUCT", "prd-space-one"),
    ]
    assert {r["distance"] for r in product["near"]} == {1}
    # Solutions two hops away, their published articles three; the draft never shows.
    assert [(r["kind"], r["distance"], r["node"]["id"]) for r in product["fixes"]] == [
        ("SOLUTION", 2, "sol-firmware"),
        ("SOLUTION", 2, "sol-ldac-off"),
        ("SOLUTION", 2, "sol-reset"),
        ("ARTICLE", 3, "art-fix-pairing"),
        ("ARTICLE", 3, "art-ldac-faq"),
        ("ARTICLE", 3, "art-update-firmware"),
    ]
    assert len(product["two"]) == 2


@pytest.mark.asyncio
async def test_path_between_two_records(api) -> None:
    body = await api.gql(
        f'{{ fix: path(from: "prd-ear-tips", to: "art-ldac-faq") {{ length nodes {{ __typename {NODE} }} }} '
        'tooShort: path(from: "prd-ear-tips", to: "art-ldac-faq", maxDepth: 3) { length } '
        'unknown: path(from: "prd-nope", to: "art-ldac-faq") { length } }'
    )

    assert "errors" not in body, body
    assert body["data"]["fix"] == {
        "length": 4,
        "nodes": [
            {"__typename": "Product", "id": "prd-ear-tips"},
            {"__typename": "Product", "id": "prd-liberty-4-nc"},
            {"__typename": "KnownIssue", "id": "iss-crackle"},
            {"__typename": "Solution", "id": "sol-ldac-off"},
            {"__typename": "Article", "id": "art-ldac-faq"},
        ],
    }
    assert body["data"]["tooShort"] is None
    assert body["data"]["unknown"] is None


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("document", "needle"),
    [
        (
            '{ product(id: "prd-liberty-4-nc") { related(depth: 4) { kind } } }',
            "`depth` must be between 1 and 3, got 4",
        ),
        (
            '{ product(id: "prd-liberty-4-nc") { related(depth: 0) { kind } } }',
            "`depth` must be between 1 and 3, got 0",
        ),
        ('{ product(id: "prd-liberty-4-nc") { related(first: 51) { kind } } }', "`first` must be between 1 and 50"),
        (
            '{ path(from: "prd-ear-tips", to: "art-ldac-faq", maxDepth: 7) { length } }',
            "`maxDepth` must be between 1 and 6",
        ),
        ('{ path(from: "prd-ear-tips", to: "prd-ear-tips") { length } }', "the same record"),
    ],
)
async def test_asking_for_more_than_the_bounds_is_a_clear_error(api, document: str, needle: str) -> None:
    body = await api.gql(document)

    [error] = body["errors"]
    assert needle in error["message"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.asyncio
async def test_editors_link_and_unlink_records(api, editor) -> None:
    link = {"relation": "DOCUMENTED_IN", "sourceId": "sol-firmware", "targetId": "art-ldac-faq"}
    query = '{ solution(id: "sol-firmware") { articles { slug } } }'

    created = await api.gql(LINK, {"input": link}, headers=editor)
    again = await api.gql(LINK, {"input": link}, headers=editor)
    linked = await api.gql(query)
    removed = await api.gql(UNLINK, {"input": link}, headers=editor)
    gone = await api.gql(UNLINK, {"input": link}, headers=editor)
    unlinked = await api.gql(query)

    assert created["data"]["linkRecords"] == {
        "relation": "DOCUMENTED_IN",
        "changed": True,
        "position": None,
        "source": {"id": "sol-firmware"},
        "target": {"id": "art-ldac-faq"},
    }
    assert again["data"]["linkRecords"]["changed"] is False
    assert linked["data"]["solution"]["articles"] == [{"slug": "ldac-faq"}, {"slug": "update-firmware"}]
    assert removed["data"]["unlinkRecords"]["changed"] is True
    assert gone["data"]["unlinkRecords"]["changed"] is False
    assert unlinked["data"]["solution"]["articles"] == [{"slug": "update-firmware"}]


@pytest.mark.asyncio
async def test_a_new_article_and_an_ordered_solution_can_be_linked(api, editor) -> None:
    article = await api.gql(
        'mutation { createArticle(input: {slug: "multipoint-guide", title: "Multipoint", kind: GUIDE, '
        'body: "Two phones."}) { id } }',
        headers=editor,
    )
    article_id = article["data"]["createArticle"]["id"]
    first = {"relation": "RESOLVED_BY", "sourceId": "iss-crackle", "targetId": "sol-reset", "position": 0}
    resolved = await api.gql(LINK, {"input": {**first, "position": 0}}, headers=editor)
    ordered = await api.gql(LINK, {"input": {**first, "position": 1}}, headers=editor)
    documented = await api.gql(
        LINK, {"input": {"relation": "DOCUMENTED_IN", "sourceId": "sol-reset", "targetId": article_id}}, headers=editor
    )
    issue = await api.gql('{ knownIssue(id: "iss-crackle") { solutions { id } } }')

    assert resolved["errors"][0]["message"].startswith("RESOLVED_BY needs `position` between 1 and 1000")
    assert ordered["data"]["linkRecords"]["position"] == 1
    assert documented["data"]["linkRecords"]["target"] == {"id": article_id}  # a draft the editor may see
    assert issue["data"]["knownIssue"]["solutions"] == [{"id": "sol-ldac-off"}, {"id": "sol-reset"}]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("link", "code", "needle"),
    [
        ({"relation": "HAS_FEATURE", "sourceId": "prd-nope", "targetId": "fea-anc"}, "NOT_FOUND", "`from` 'prd-nope'"),
        (
            {"relation": "HAS_FEATURE", "sourceId": "prd-space-one", "targetId": "iss-pairing"},
            "NOT_FOUND",
            "not a Feature",
        ),
        (
            {"relation": "SUCCEEDS", "sourceId": "prd-space-one", "targetId": "prd-space-one"},
            "BAD_USER_INPUT",
            "two different",
        ),
        (
            {"relation": "HAS_FEATURE", "sourceId": "prd-space-one", "targetId": "fea-ldac", "position": 2},
            "BAD_USER_INPUT",
            "Only RESOLVED_BY",
        ),
    ],
)
async def test_bad_links_are_refused_and_change_nothing(api, editor, link, code, needle) -> None:
    count = '{ product(id: "prd-space-one") { related(depth: 1, first: 50) { kind } } }'
    before = await api.gql(count)

    body = await api.gql(LINK, {"input": link}, headers=editor)

    [error] = body["errors"]
    assert error["extensions"]["code"] == code
    assert needle in error["message"]
    assert await api.gql(count) == before


@pytest.mark.asyncio
async def test_links_need_knowledge_write(api, as_user, error_codes) -> None:
    link = {"relation": "HAS_FEATURE", "sourceId": "prd-space-one", "targetId": "fea-ldac"}

    anonymous = await api.gql(LINK, {"input": link})
    reader = await api.gql(UNLINK, {"input": link}, headers=as_user("knowledge:read"))

    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    assert error_codes(reader) == ["FORBIDDEN"]


@pytest.mark.asyncio
async def test_retrievals_batched_hops_agree_with_the_one_hop_traversals(settings, new_progress) -> None:
    await seed(settings, small_demo(), new_progress())
    graph = open_graph_store(settings, "knowledge")
    try:
        await assert_batched_hops_agree(RelationRepository(graph))
    finally:
        await graph.close()

"""The knowledge graph on a Neo4j server (skipped without KCP_TEST_NEO4J_URI; the database is emptied).

Records stay in the embedded relational store; every traversal, bound, path and link answers as
on the embedded graph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio
from knowledge_support import SECRET, assert_batched_hops_agree, small_demo

from kcp.settings import Settings
from kcp.stores.connect import open_graph_store
from subgraphs.knowledge.relations.repository import RelationRepository
from subgraphs.knowledge.seed import seed

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

NODE = "... on Product { id } ... on KnownIssue { id } ... on Solution { id } ... on Article { id }"


@pytest.fixture
def settings(tmp_path: Path, neo4j_server: dict[str, str]) -> Settings:
    return Settings(
        kcp_data_dir=tmp_path,
        kcp_identity_secret=SECRET,
        neo4j_uri=neo4j_server["uri"],
        neo4j_user=neo4j_server["user"],
        neo4j_password=neo4j_server["password"],
    )


@pytest_asyncio.fixture
async def neo_api(settings: Settings, new_progress, serve) -> AsyncIterator[Any]:
    graph = open_graph_store(settings, "knowledge")
    try:
        await graph.run("MATCH (n) DETACH DELETE n")
    finally:
        await graph.close()
    await seed(settings, small_demo(), new_progress())
    await seed(settings, small_demo(), new_progress())  # MERGE: nothing doubles
    async with serve(settings) as served:
        yield served


@pytest.mark.asyncio
async def test_graph_fields_related_and_path_on_neo4j(neo_api) -> None:
    body = await neo_api.gql(
        '{ product(id: "prd-liberty-4-nc") { features { id } compatibleWith { id } accessories { id } '
        "predecessor { id } knownIssues { id affectedFirmware { id } solutions { id articles { slug } } } "
        f"fixes: related(depth: 3, kinds: [SOLUTION, ARTICLE]) {{ kind distance node {{ {NODE} }} }} }} "
        f'path(from: "prd-ear-tips", to: "art-ldac-faq") {{ length nodes {{ __typename {NODE} }} }} }}'
    )

    assert "errors" not in body, body
    product = body["data"]["product"]
    assert [f["id"] for f in product["features"]] == ["fea-anc", "fea-ldac", "fea-multipoint"]
    assert [p["id"] for p in product["compatibleWith"]] == ["prd-life-q30", "prd-space-one"]
    assert product["accessories"] == [{"id": "prd-ear-tips"}]
    assert product["predecessor"] == {"id": "prd-liberty-3-pro"}
    pairing = next(i for i in product["knownIssues"] if i["id"] == "iss-pairing")
    assert [s["id"] for s in pairing["solutions"]] == ["sol-firmware", "sol-reset"]
    assert [(r["kind"], r["distance"], r["node"]["id"]) for r in product["fixes"]] == [
        ("SOLUTION", 2, "sol-firmware"),
        ("SOLUTION", 2, "sol-ldac-off"),
        ("SOLUTION", 2, "sol-reset"),
        ("ARTICLE", 3, "art-fix-pairing"),
        ("ARTICLE", 3, "art-ldac-faq"),
        ("ARTICLE", 3, "art-update-firmware"),
    ]
    assert body["data"]["path"]["length"] == 4
    assert [n["id"] for n in body["data"]["path"]["nodes"]] == [
        "prd-ear-tips",
        "prd-liberty-4-nc",
        "iss-crackle",
        "sol-ldac-off",
        "art-ldac-faq",
    ]


@pytest.mark.asyncio
async def test_links_on_neo4j(neo_api, editor) -> None:
    link = "mutation($i: LinkInput!) { linkRecords(input: $i) { changed } }"
    unlink = "mutation($i: LinkInput!) { unlinkRecords(input: $i) { changed } }"
    edge = {"relation": "HAS_FEATURE", "sourceId": "prd-space-one", "targetId": "fea-ldac"}

    created = await neo_api.gql(link, {"i": edge}, headers=editor)
    again = await neo_api.gql(link, {"i": edge}, headers=editor)
    features = await neo_api.gql('{ product(id: "prd-space-one") { features { id } } }')
    removed = await neo_api.gql(unlink, {"i": edge}, headers=editor)

    assert created["data"]["linkRecords"] == {"changed": True}
    assert again["data"]["linkRecords"] == {"changed": False}
    assert features["data"]["product"]["features"] == [{"id": "fea-anc"}, {"id": "fea-ldac"}]
    assert removed["data"]["unlinkRecords"] == {"changed": True}


@pytest.mark.asyncio
async def test_retrievals_batched_hops_on_neo4j(neo_api, settings) -> None:
    del neo_api  # seeded it
    graph = open_graph_store(settings, "knowledge")
    try:
        await assert_batched_hops_agree(RelationRepository(graph))
    finally:
        await graph.close()

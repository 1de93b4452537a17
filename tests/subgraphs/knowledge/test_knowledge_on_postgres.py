"""The knowledge subgraph with its records on PostgreSQL (skipped without KCP_TEST_DATABASE_URL).

The graph stays embedded; what differs is the relational store: JSON tag filters and full-text
search (``tsvector`` instead of FTS5) must answer as on SQLite.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio
from knowledge_support import SECRET, small_demo

from kcp.settings import Settings
from subgraphs.knowledge.seed import seed

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path


@pytest.fixture
def settings(tmp_path: Path, postgres_url: str) -> Settings:
    return Settings(kcp_data_dir=tmp_path, database_url=postgres_url, kcp_identity_secret=SECRET)


@pytest_asyncio.fixture
async def pg_api(settings: Settings, new_progress, serve) -> AsyncIterator[Any]:
    await seed(settings, small_demo(), new_progress())
    await seed(settings, small_demo(), new_progress())  # idempotent on PostgreSQL too
    async with serve(settings) as served:
        yield served


def hits(body: dict[str, Any]) -> list[str]:
    return [
        edge["node"]["result"].get("slug") or edge["node"]["result"]["id"] for edge in body["data"]["search"]["edges"]
    ]


@pytest.mark.asyncio
async def test_lists_filters_and_tags_on_postgres(pg_api) -> None:
    body = await pg_api.gql(
        '{ products(series: "liberty", sort: NEWEST) { totalCount edges { node { id } } } '
        'articles(tag: "earbuds", first: 2) { totalCount edges { node { slug } } pageInfo { hasNextPage } } '
        "knownIssues(severity: HIGH) { totalCount } }"
    )

    assert "errors" not in body, body
    data = body["data"]
    assert [e["node"]["id"] for e in data["products"]["edges"]] == ["prd-liberty-4-nc", "prd-liberty-3-pro"]
    assert data["articles"]["totalCount"] == 3
    assert data["articles"]["pageInfo"] == {"hasNextPage": True}
    assert data["knownIssues"] == {"totalCount": 1}


@pytest.mark.asyncio
async def test_search_and_suggestions_on_postgres(pg_api) -> None:
    search = await pg_api.gql(
        '{ search(query: "LDAC") { totalCount edges { node { titleHighlight highlight '
        "result { ... on Article { slug } ... on Solution { id } } } } } }"
    )
    prefix = await pg_api.gql(
        '{ search(query: "pair") { edges { node { result { ... on Article { slug } ... on Solution { id } } } } } }'
    )
    entities = await pg_api.gql(
        "query($r: [_Any!]!) { _entities(representations: $r) { ... on Ticket { suggestedSolutions { id } } } }",
        {
            "r": [
                {"__typename": "Ticket", "id": "t", "subject": "Crackling with LDAC", "description": "Audio crackles."}
            ]
        },
    )

    assert "errors" not in search, search
    assert hits(search) == ["ldac-faq", "sol-ldac-off"]
    assert search["data"]["search"]["edges"][0]["node"]["titleHighlight"] == "<mark>LDAC</mark> FAQ"
    assert "<mark>LDAC</mark>" in search["data"]["search"]["edges"][0]["node"]["highlight"]
    assert set(hits(prefix)) == {"fix-pairing", "update-firmware", "sol-reset"}
    assert entities["data"]["_entities"] == [{"suggestedSolutions": [{"id": "sol-ldac-off"}]}]


@pytest.mark.asyncio
async def test_article_workflow_on_postgres(pg_api, editor) -> None:
    created = await pg_api.gql(
        'mutation { createArticle(input: {slug: "pg-guide", title: "Postgres guide", kind: GUIDE, '
        'body: "Quokka steps.", tags: ["pg"]}) { id } }',
        headers=editor,
    )
    article_id = created["data"]["createArticle"]["id"]
    move = "mutation($id: ID!, $to: ArticleStatus!) { transitionArticle(id: $id, to: $to) { status version } }"
    await pg_api.gql(move, {"id": article_id, "to": "REVIEW"}, headers=editor)
    published = await pg_api.gql(move, {"id": article_id, "to": "PUBLISHED"}, headers=editor)
    taken = await pg_api.gql(
        'mutation { createArticle(input: {slug: "pg-guide", title: "Again", kind: GUIDE, body: "x"}) { id } }',
        headers=editor,
    )
    found = await pg_api.gql('{ search(query: "quokka") { totalCount } articles(tag: "pg") { totalCount } }')

    assert published["data"]["transitionArticle"] == {"status": "PUBLISHED", "version": 3}
    assert "is taken" in taken["errors"][0]["message"]
    assert found["data"] == {"search": {"totalCount": 1}, "articles": {"totalCount": 1}}

"""Generation grounded in retrieval, through the router: a support macro cites the product's own passages.

The platform runs on a copy of the session's seeded data folder, unindexed: building the vector
index of the whole catalogue (``kcp index``) takes ~90 s on this machine, too much for the suite.
So knowledge's hybrid search answers with keywords only and the job says so
(``retrievalDegraded``); the vector path is proven against the knowledge app in
``tests/subgraphs/content/test_content_grounding.py``.
"""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from launching import launch

import demo

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from commands.launcher import Platform

pytestmark = pytest.mark.e2e

LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }"
GENERATE = """mutation($p: ID!) { generateContent(input: {productId: $p, kind: SUPPORT_MACRO}) {
  id status facts grounded ungroundedReason retrievalDegraded
  citations { number kind sourceId title version passage }
  contentItem { product { name } currentRevision { body } }
} }"""
JOB = """query($id: ID!) { generationJob(id: $id) { grounded citations { number sourceId } } }"""


def gql(platform: Platform, query: str, variables: dict[str, Any], token: str | None = None) -> Any:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    body = {"query": query, "variables": variables}
    response = httpx.post(platform.router_url, json=body, headers=headers, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def own_platform(seeded_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    if os.environ.get("KCP_TEST_E2E_ON_REAL_STORES") == "1":
        pytest.skip("the shared real stores cannot be copied; test_content_through_router covers them")
    data_dir = tmp_path_factory.mktemp("kcp-grounding") / "data"
    shutil.copytree(seeded_data_dir, data_dir)
    running = launch(data_dir, tmp_path_factory.mktemp("logs"))
    try:
        yield running
    finally:
        running.stop()


def documented_product() -> tuple[Any, set[str]]:
    """A demo product with a known issue whose solution a published article documents, and the
    ids of every solution and article linked to the product (what its drafts may cite)."""
    data = demo.generate()
    published = {a.id for a in data.articles if a.status == "published"}
    for product in data.products:
        issues = {issue for owner, issue in data.affected_by if owner == product.id}
        solutions = {solution for issue, solution, _ in data.resolved_by if issue in issues}
        articles = {article for solution, article in data.documented_in if solution in solutions} & published
        if articles:
            return product, solutions | articles
    pytest.fail("the demo catalogue has no product with a documented fix")


def test_a_support_macro_cites_the_products_own_passages(own_platform: Platform) -> None:
    login = {"e": "editor@soundcore.example", "p": demo.generate().demo_password}
    editor = gql(own_platform, LOGIN, login)["data"]["login"]["accessToken"]
    product, linked = documented_product()

    body = gql(own_platform, GENERATE, {"p": product.id}, editor)
    assert "errors" not in body, body["errors"]
    job = body["data"]["generateContent"]

    assert (job["status"], job["grounded"], job["ungroundedReason"]) == ("SUCCEEDED", True, None)
    assert job["retrievalDegraded"] == "KEYWORD_ONLY:NOT_INDEXED"  # knowledge's label, carried onto the job
    citations = job["citations"]
    assert citations
    assert {c["sourceId"] for c in citations} <= linked  # only the product's own records
    assert [c["number"] for c in citations] == list(range(1, len(citations) + 1))
    assert {c["kind"] for c in citations} <= {"article", "solution"}
    draft = job["contentItem"]["currentRevision"]["body"]
    assert job["contentItem"]["product"] == {"name": product.name}
    _, sources = draft.split("\n## Sources\n")
    for citation in citations:
        assert f"{citation['passage']} [{citation['number']}]" in draft
        assert f"[{citation['number']}] {citation['title']}" in sources
        assert any(fact.startswith(f"source [{citation['number']}]: {citation['title']}") for fact in job["facts"])

    again = gql(own_platform, JOB, {"id": job["id"]}, editor)
    assert again["data"]["generationJob"] == {
        "grounded": True,
        "citations": [{"number": c["number"], "sourceId": c["sourceId"]} for c in citations],
    }

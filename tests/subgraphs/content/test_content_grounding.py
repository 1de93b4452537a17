"""generateContent grounded in knowledge's retrieval, against the real knowledge app served in-process.

Knowledge is seeded with a product, its known issue, the solution and an article documenting it,
and indexed with the real offline embedder (MiniLM); content asks it for passages over HTTP.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import pytest
from llm_standins import StandIn, serve_standin
from test_content_generation import AT, gql, knowledge_data, studio, studio_settings

from demo.model import DemoArticle, DemoData
from kcp.edge.signature import signed_json
from subgraphs.knowledge.retrieval.indexing import Indexer
from subgraphs.knowledge.retrieval.repository import ChunkRepository
from subgraphs.knowledge.seed import seed as seed_knowledge
from subgraphs.knowledge.stores import KnowledgeStores

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from kcp.settings import Settings

GROUNDED = """mutation($input: GenerateContentInput!) { generateContent(input: $input) {
  id status provider facts note grounded ungroundedReason retrievalDegraded
  citations { number kind sourceId title version passage }
  contentItem { currentRevision { body } }
} }"""
JOB = "query($id: ID!) { generationJob(id: $id) { grounded ungroundedReason citations { number sourceId } } }"
CRACKLE_ARTICLE = DemoArticle(
    id="art-crackle",
    slug="left-cup-crackles",
    title="Crackling in the left ear cup",
    kind="troubleshooting",
    body=(
        "If the left ear cup of your Space One crackles or pops during playback, the cause is usually "
        "old firmware.\n\n## Fix\n\nOpen the soundcore app, install firmware 1.2.0 and restart the headphones."
    ),
    locale="en-US",
    status="published",
    tags=("crackle",),
    published_at=AT,
)


def documented_knowledge() -> DemoData:
    """The generation suite's product, with an article documenting the fix of its known issue."""
    return dataclasses.replace(
        knowledge_data(), articles=(CRACKLE_ARTICLE,), documented_in=(("sol-0001", "art-crackle"),)
    )


async def index_knowledge(settings: Settings, new_progress) -> None:
    await seed_knowledge(settings, documented_knowledge(), new_progress())
    stores = KnowledgeStores.open(settings)
    await stores.ensure_schema()
    await Indexer(ChunkRepository(stores.relational), stores.vectors).index_all()
    await stores.close()


def generate(kind: str) -> dict[str, Any]:
    return {"input": {"productId": "prd-space-one", "kind": kind}}


@pytest.fixture
def standin() -> Iterator[StandIn]:
    yield from serve_standin()


@pytest.mark.asyncio
async def test_a_template_draft_uses_and_cites_the_retrieved_passages(tmp_path: Path, new_progress, editor) -> None:
    settings = studio_settings(tmp_path)
    await index_knowledge(settings, new_progress)
    async with studio(settings, new_progress) as (content, _analytics, _app):
        body = await gql(content, GROUNDED, generate("SUPPORT_MACRO"), editor)
        assert "errors" not in body, body
        job = body["data"]["generateContent"]

        assert (job["grounded"], job["ungroundedReason"], job["retrievalDegraded"]) == (True, None, None)
        cited = {c["sourceId"]: c for c in job["citations"]}
        assert {"art-crackle", "sol-0001"} <= set(cited)
        assert [c["number"] for c in job["citations"]] == list(range(1, len(job["citations"]) + 1))
        article = cited["art-crackle"]
        assert (article["kind"], article["title"], article["version"]) == (
            "article",
            "Crackling in the left ear cup",
            1,
        )
        assert article["passage"].startswith("If the left ear cup of your Space One crackles")
        assert "#" not in article["passage"]
        assert (cited["sol-0001"]["kind"], cited["sol-0001"]["version"]) == ("solution", None)
        assert cited["sol-0001"]["passage"] == "1. Open the app 2. Install 1.2.0"

        draft = job["contentItem"]["currentRevision"]["body"]
        assert draft.startswith("Thanks for contacting Soundcore about your Space One.")
        _, sources = draft.split("\n## Sources\n")
        for citation in job["citations"]:
            assert f"{citation['passage']} [{citation['number']}]" in draft
            assert f"[{citation['number']}] {citation['title']}" in sources
        assert (
            f"source [{article['number']}]: Crackling in the left ear cup (article art-crackle, version 1)"
            in (job["facts"])
        )
        assert "Grounded in" in job["note"]

        again = await gql(content, JOB, {"id": job["id"]}, editor)
        assert again["data"]["generationJob"] == {
            "grounded": True,
            "ungroundedReason": None,
            "citations": [{"number": c["number"], "sourceId": c["sourceId"]} for c in job["citations"]],
        }


@pytest.mark.asyncio
async def test_nothing_retrieved_still_drafts_from_facts_and_says_it_is_ungrounded(
    tmp_path: Path, new_progress, editor
) -> None:
    # Not indexed: knowledge's hybrid search answers with keywords only, and no record holds every word.
    async with studio(studio_settings(tmp_path), new_progress) as (content, _analytics, _app):
        body = await gql(content, GROUNDED, generate("FAQ_DRAFT"), editor)
        assert "errors" not in body, body
        job = body["data"]["generateContent"]

        assert job["status"] == "SUCCEEDED"
        assert (job["grounded"], job["ungroundedReason"], job["citations"]) == (False, "NO_PASSAGES", [])
        assert job["retrievalDegraded"] == "KEYWORD_ONLY:NOT_INDEXED"
        assert "Not grounded in retrieval (NO_PASSAGES)" in job["note"]
        assert "Sources" not in job["contentItem"]["currentRevision"]["body"]
        assert not [fact for fact in job["facts"] if fact.startswith("source")]


@pytest.mark.asyncio
async def test_a_knowledge_base_that_refuses_retrieval_leaves_the_draft_ungrounded_and_says_why(
    tmp_path: Path, new_progress, editor
) -> None:
    settings = studio_settings(tmp_path, enable_rag_engine=False)
    await index_knowledge(settings, new_progress)
    async with studio(settings, new_progress) as (content, _analytics, _app):
        body = await gql(content, GROUNDED, generate("PRODUCT_DESCRIPTION"), editor)
        assert "errors" not in body, body
        job = body["data"]["generateContent"]

        assert (job["status"], job["grounded"]) == ("SUCCEEDED", False)
        assert job["ungroundedReason"] == "RETRIEVAL_REFUSED:FEATURE_DISABLED"
        assert job["contentItem"]["currentRevision"]["body"].startswith("# Space One\n")


@pytest.mark.asyncio
async def test_an_llm_gets_the_passages_and_is_told_to_cite_them(
    tmp_path: Path, new_progress, editor, standin: StandIn
) -> None:
    # Anthropic writes; knowledge keeps its offline embedder (OpenAI's key would switch it to OpenAI's).
    standin.reply = "Crackles? Update to 1.2.0 [1].\n\n## Sources\n[1] Crackling in the left ear cup"
    settings = studio_settings(tmp_path, anthropic_api_key="ak-test", anthropic_base_url=standin.url, llm_max_retries=0)
    await index_knowledge(settings, new_progress)
    async with studio(settings, new_progress) as (content, _analytics, _app):
        body = await gql(content, GROUNDED, generate("SUPPORT_MACRO"), editor)
        assert "errors" not in body, body
        job = body["data"]["generateContent"]

    assert (job["provider"], job["grounded"]) == ("anthropic", True)
    ((vendor, _headers, sent),) = standin.received
    assert vendor == "anthropic"
    prompt = sent["messages"][-1]["content"]
    assert "cite it with its number in square brackets" in prompt
    for citation in job["citations"]:
        assert f"[{citation['number']}] {citation['title']}" in prompt
        assert citation["passage"] in prompt
    assert job["contentItem"]["currentRevision"]["body"] == standin.reply


@pytest.mark.asyncio
async def test_a_knowledge_that_accepts_only_signed_requests_still_grounds_the_draft(
    tmp_path: Path, new_progress, editor
) -> None:
    # As in production: every subgraph refuses a request without the router signature, so
    # content's calls to knowledge (facts and passages) must be signed as well.
    settings = studio_settings(tmp_path, kcp_subgraph_require_router_signature=True)
    await index_knowledge(settings, new_progress)
    async with studio(settings, new_progress) as (content, _analytics, _app):
        unsigned = await content.post("/graphql", json={"query": GROUNDED, "variables": generate("SUPPORT_MACRO")})
        assert unsigned.status_code == 401
        secret = settings.kcp_identity_secret.get_secret_value() if settings.kcp_identity_secret else ""
        body, headers = signed_json(
            "http://content/graphql", {"query": GROUNDED, "variables": generate("FAQ_DRAFT")}, secret
        )
        response = await content.post("/graphql", content=body, headers={**headers, **editor})
        job = response.json()["data"]["generateContent"]
        assert (job["grounded"], job["ungroundedReason"]) == (True, None)
        assert {c["sourceId"] for c in job["citations"]} >= {"sol-0001"}

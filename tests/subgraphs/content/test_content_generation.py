"""generateContent against the real knowledge and analytics apps, served in-process."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from conftest import SECRET, small_content

from demo.model import DemoCategory, DemoData, DemoFeature, DemoKnownIssue, DemoProduct, DemoSolution
from kcp.settings import Settings
from subgraphs.analytics.app import create_app as create_analytics
from subgraphs.content.app import create_app as create_content
from subgraphs.content.seed import seed as seed_content
from subgraphs.knowledge.app import create_app as create_knowledge
from subgraphs.knowledge.seed import seed as seed_knowledge

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

GENERATE = """mutation($input: GenerateContentInput!) { generateContent(input: $input) {
  id kind locale status provider facts note product { id } createdBy { id } template { id }
  contentItem { id kind title locale status currentRevision { body note authorId } }
} }"""
COUNTS = "{ contentItems(first: 100) { totalCount } generationJobs { id } }"
AT = datetime(2025, 1, 10, tzinfo=UTC)


def knowledge_data() -> DemoData:
    return DemoData(
        categories=(DemoCategory("cat-headphones", "headphones", "Headphones"),),
        products=(
            DemoProduct(
                id="prd-space-one", slug="space-one", name="Space One", category_id="cat-headphones", series="Space",
                sku="A3035", description="Over-ear headphones that quiet the room.", price_cents=9999,
                released_at=AT, specs={"Battery life": "40 h"}, firmware_versions=("1.0.0", "1.2.0"),
            ),
        ),
        features=(DemoFeature("ftr-anc", "Adaptive ANC", "Noise cancelling that adapts to the room."),),
        known_issues=(
            DemoKnownIssue("kis-0001", "Left cup crackles", "Crackles.", "medium", "open", ("crackle",), AT),
        ),
        solutions=(DemoSolution("sol-0001", "Update the firmware", ("Open the app", "Install 1.2.0"), 0.8),),
        articles=(), users=(), content_items=(), tickets=(), events=(),
        has_feature=(("prd-space-one", "ftr-anc"),),
        affected_by=(("prd-space-one", "kis-0001"),),
        resolved_by=(("kis-0001", "sol-0001", 1),),
    )  # fmt: skip


def studio_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "kcp_data_dir": tmp_path,
        "kcp_identity_secret": SECRET,
        "knowledge_service_url": "http://knowledge/graphql",
        "analytics_service_url": "http://analytics/graphql",
    }
    return Settings(**(values | overrides))


@contextlib.asynccontextmanager
async def studio(settings: Settings, new_progress) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient, Any]]:
    """Knowledge and analytics started in-process, and content wired to them; yields (content, analytics, app)."""
    await seed_knowledge(settings, knowledge_data(), new_progress())
    await seed_content(settings, small_content(), new_progress())
    knowledge, analytics = create_knowledge(settings), create_analytics(settings)
    async with (
        knowledge.router.lifespan_context(knowledge),
        analytics.router.lifespan_context(analytics),
        httpx.AsyncClient(transport=httpx.ASGITransport(knowledge), base_url="http://knowledge") as to_knowledge,
        httpx.AsyncClient(transport=httpx.ASGITransport(analytics), base_url="http://analytics") as to_analytics,
    ):
        content = create_content(settings, knowledge_http=to_knowledge, analytics_http=to_analytics)
        async with (
            content.router.lifespan_context(content),
            httpx.AsyncClient(transport=httpx.ASGITransport(content), base_url="http://content") as to_content,
        ):
            yield to_content, to_analytics, content


async def gql(
    http: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> Any:
    response = await http.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers or {})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.asyncio
async def test_generate_grounds_a_draft_in_knowledge_facts_and_reports_it(tmp_path: Path, new_progress, editor) -> None:
    async with studio(studio_settings(tmp_path), new_progress) as (content, analytics, app):
        body = await gql(content, GENERATE, {"input": {"productId": "prd-space-one", "kind": "FAQ_DRAFT"}}, editor)
        assert "errors" not in body, body
        job = body["data"]["generateContent"]
        assert job["id"].startswith("gen-")
        assert (job["kind"], job["locale"], job["status"], job["provider"]) == (
            "FAQ_DRAFT",
            "en-US",
            "SUCCEEDED",
            "template",
        )
        assert job["facts"] == [
            "name: Space One", "series: Space", "description: Over-ear headphones that quiet the room.",
            "feature: Adaptive ANC", "spec: Battery life = 40 h", "latest firmware: 1.2.0",
            "known issue: Left cup crackles",
        ]  # fmt: skip
        assert "deterministic template generator" in job["note"]
        assert (job["product"], job["createdBy"], job["template"]) == (
            {"id": "prd-space-one"},
            {"id": "usr-0002"},
            None,
        )
        item = job["contentItem"]
        assert (item["kind"], item["title"], item["status"]) == ("FAQ_DRAFT", "Space One FAQ draft", "DRAFT")
        assert item["currentRevision"]["body"] == (
            "## What is Space One?\nOver-ear headphones that quiet the room.\n\n"
            "## What can it do?\n- Adaptive ANC: Noise cancelling that adapts to the room.\n\n"
            "## What are its specifications?\n- Battery life: 40 h\n\n"
            "## Is there a known problem?\n- Left cup crackles (try: Update the firmware)"
        )
        assert item["currentRevision"]["note"] == job["note"]
        listed = await gql(content, COUNTS, headers=editor)
        assert listed["data"]["generationJobs"] == [{"id": job["id"]}]

        await app.state.events.flush()
        counts = await gql(
            analytics,
            '{ _entities(representations: [{__typename: "Product", id: "prd-space-one"}]) '
            "{ ... on Product { analytics { contentGenerated } } } }",
        )
        assert counts["data"]["_entities"] == [{"analytics": {"contentGenerated": 1}}]


@pytest.mark.asyncio
async def test_generate_with_a_template_and_variables(tmp_path: Path, new_progress, editor, error_codes) -> None:
    async with studio(studio_settings(tmp_path), new_progress) as (content, _analytics, _app):
        request = {"productId": "prd-space-one", "kind": "SOCIAL_POST", "templateId": "tpl-0001", "title": "Launch"}
        missing = await gql(content, GENERATE, {"input": request}, editor)
        assert missing["errors"][0]["message"] == "template variables do not match: missing tagline."
        body = await gql(
            content,
            GENERATE,
            {"input": request | {"variables": [{"name": "tagline", "value": "quiet, please"}]}},
            editor,
        )
        job = body["data"]["generateContent"]
        assert job["template"] == {"id": "tpl-0001"}
        assert job["contentItem"]["currentRevision"]["body"] == "Space One is here: quiet, please #SpaceOne"
        wrong_kind = await gql(content, GENERATE, {"input": request | {"kind": "MARKETING_EMAIL"}}, editor)
        assert wrong_kind["errors"][0]["message"] == "template 'Launch tweet' is for social_post, not marketing_email."
        assert error_codes(wrong_kind) == ["BAD_USER_INPUT"]


@pytest.mark.asyncio
async def test_refusals_write_nothing(tmp_path: Path, new_progress, editor, as_caller, error_codes) -> None:
    async with studio(studio_settings(tmp_path), new_progress) as (content, _analytics, _app):
        unknown = await gql(content, GENERATE, {"input": {"productId": "prd-nope", "kind": "SOCIAL_POST"}}, editor)
        assert error_codes(unknown) == ["NOT_FOUND"]
        assert unknown["errors"][0]["message"] == "Product 'prd-nope' does not exist in the knowledge base."
        reader = as_caller("content:read", role="partner")
        request = {"input": {"productId": "prd-space-one", "kind": "SOCIAL_POST"}}
        assert error_codes(await gql(content, GENERATE, request, reader)) == ["FORBIDDEN"]
        assert error_codes(await gql(content, GENERATE, request)) == ["UNAUTHENTICATED"]
        bad_locale = {"input": {"productId": "prd-space-one", "kind": "SOCIAL_POST", "locale": "english"}}
        assert error_codes(await gql(content, GENERATE, bad_locale, editor)) == ["BAD_USER_INPUT"]
        counts = await gql(content, COUNTS, headers=editor)
        assert counts["data"] == {"contentItems": {"totalCount": 4}, "generationJobs": []}


@pytest.mark.asyncio
async def test_switched_off_generation_is_a_coded_error(tmp_path: Path, new_progress, editor, error_codes) -> None:
    settings = studio_settings(tmp_path, enable_content_generation=False)
    async with studio(settings, new_progress) as (content, _analytics, _app):
        body = await gql(content, GENERATE, {"input": {"productId": "prd-space-one", "kind": "SOCIAL_POST"}}, editor)
        assert error_codes(body) == ["FEATURE_DISABLED"]
        assert "ENABLE_CONTENT_GENERATION" in body["errors"][0]["message"]


@pytest.mark.asyncio
async def test_knowledge_down_is_upstream_unavailable(tmp_path: Path, new_progress, editor, error_codes) -> None:
    settings = studio_settings(tmp_path, knowledge_service_url="http://127.0.0.1:9/graphql")
    await seed_content(settings, small_content(), new_progress())
    app = create_content(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://content") as content,
    ):
        body = await gql(content, GENERATE, {"input": {"productId": "prd-space-one", "kind": "SOCIAL_POST"}}, editor)
        assert error_codes(body) == ["UPSTREAM_UNAVAILABLE"]
        assert (await gql(content, COUNTS, headers=editor))["data"]["contentItems"]["totalCount"] == 4

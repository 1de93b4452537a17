"""The LLM providers' side of generateContent, through the official SDKs, against a local stand-in server.

No key and no internet here, so the real APIs cannot run: a local HTTP server speaking the
vendors' wire format (``llm_standins.py``) stands in; the SDKs reach it through
``OPENAI_BASE_URL`` / ``ANTHROPIC_BASE_URL`` and it checks what they send.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from conftest import small_content
from llm_standins import StandIn, serve_standin
from test_content_generation import GENERATE, gql, knowledge_data, studio_settings

from subgraphs.analytics.app import create_app as create_analytics
from subgraphs.content.app import create_app as create_content
from subgraphs.content.seed import seed as seed_content
from subgraphs.knowledge.app import create_app as create_knowledge
from subgraphs.knowledge.seed import seed as seed_knowledge

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture
def standin() -> Iterator[StandIn]:
    yield from serve_standin()


async def generate_with(
    tmp_path: Path, new_progress, editor: dict[str, str], standin: StandIn, **keys: str
) -> tuple[Any, Any]:
    settings = studio_settings(
        tmp_path,
        openai_base_url=f"{standin.url}/v1",
        anthropic_base_url=standin.url,
        llm_max_retries=0,
        **keys,
    )
    await seed_knowledge(settings, knowledge_data(), new_progress())
    await seed_content(settings, small_content(), new_progress())
    knowledge, analytics = create_knowledge(settings), create_analytics(settings)
    async with (
        knowledge.router.lifespan_context(knowledge),
        analytics.router.lifespan_context(analytics),
        httpx.AsyncClient(transport=httpx.ASGITransport(knowledge), base_url="http://knowledge") as to_knowledge,
        httpx.AsyncClient(transport=httpx.ASGITransport(analytics), base_url="http://analytics") as to_analytics,
    ):
        app = create_content(settings, knowledge_http=to_knowledge, analytics_http=to_analytics)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://content") as content,
        ):
            body = await gql(
                content, GENERATE, {"input": {"productId": "prd-space-one", "kind": "SOCIAL_POST"}}, editor
            )
            jobs = await gql(
                content,
                "{ generationJobs { status provider note } contentItems(first: 100) { totalCount } }",
                headers=editor,
            )
            return body, jobs["data"]


@pytest.mark.asyncio
async def test_openai_writes_through_its_sdk(tmp_path: Path, new_progress, editor, standin: StandIn) -> None:
    body, _ = await generate_with(tmp_path, new_progress, editor, standin, openai_api_key="sk-test")

    job = body["data"]["generateContent"]
    assert (job["provider"], job["status"]) == ("openai", "SUCCEEDED")
    assert job["contentItem"]["currentRevision"]["body"] == "Space One, quieter."
    assert job["note"].startswith("Written by openai from the built-in template")
    ((vendor, headers, sent),) = standin.received
    assert vendor == "openai"
    assert headers["authorization"] == "Bearer sk-test"
    assert sent["model"] == "gpt-4o-mini"
    assert "Use only these facts" in sent["messages"][-1]["content"]
    assert "name: Space One" in sent["messages"][-1]["content"]


@pytest.mark.asyncio
async def test_anthropic_writes_through_its_sdk(tmp_path: Path, new_progress, editor, standin: StandIn) -> None:
    standin.reply = "Space One, by Claude."
    body, _ = await generate_with(tmp_path, new_progress, editor, standin, anthropic_api_key="ak-test")

    job = body["data"]["generateContent"]
    assert (job["provider"], job["status"]) == ("anthropic", "SUCCEEDED")
    assert job["contentItem"]["currentRevision"]["body"] == "Space One, by Claude."
    ((vendor, headers, sent),) = standin.received
    assert vendor == "anthropic"
    # anthropic 2.x sends the key as a bearer token (1.x used x-api-key); the SDK owns that detail.
    assert "ak-test" in (headers.get("x-api-key"), headers.get("authorization", "").removeprefix("Bearer "))
    assert headers["anthropic-version"]  # the SDK sends the API version it was built for
    assert sent["max_tokens"] > 0


@pytest.mark.asyncio
async def test_a_failing_provider_records_a_failed_job_and_writes_no_item(
    tmp_path: Path, new_progress, editor, error_codes, standin: StandIn
) -> None:
    standin.status = 503
    body, after = await generate_with(tmp_path, new_progress, editor, standin, openai_api_key="sk-test")
    assert error_codes(body) == ["UPSTREAM_UNAVAILABLE"]
    assert "sk-test" not in json.dumps(body)
    assert after == {
        "generationJobs": [
            {"status": "FAILED", "provider": "openai",
             "note": "The LLM provider failed (InternalServerError); try again or generate without it."}
        ],
        "contentItems": {"totalCount": 4},
    }  # fmt: skip


@pytest.mark.asyncio
@pytest.mark.parametrize("vendor", ["openai", "anthropic"])
async def test_a_provider_that_stalls_past_the_deadline_records_a_failed_job_in_time(  # noqa: PLR0913, PLR0917 - fixtures and the vendor
    tmp_path: Path, new_progress, editor, error_codes, standin: StandIn, vendor: str
) -> None:
    standin.stall_after = 2  # "Space One," then nothing, as a slow model
    # The router's timeout sets the deadline (70% of it): short, so the stall costs about a second.
    keys = {f"{vendor}_api_key": "sk-test", "kcp_subgraph_timeout_seconds": "4"}
    body, after = await generate_with(tmp_path, new_progress, editor, standin, **keys)

    assert error_codes(body) == ["UPSTREAM_UNAVAILABLE"]
    assert after == {
        "generationJobs": [
            {"status": "FAILED", "provider": vendor,
             "note": "The LLM provider did not finish in time; try again or generate without it."}
        ],
        "contentItems": {"totalCount": 4},
    }  # fmt: skip
    assert standin.received[0][2]["stream"] is True

"""The LLM providers' side of generateContent, against stand-ins of the vendors' HTTP APIs.

No key and no internet here, so the real APIs cannot run: these stand-ins answer in the documented
response shapes (OpenAI chat completions, Anthropic messages) and check what we send.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from conftest import small_content
from test_content_generation import GENERATE, gql, knowledge_data, studio_settings

from subgraphs.analytics.app import create_app as create_analytics
from subgraphs.content.app import create_app as create_content
from subgraphs.content.seed import seed as seed_content
from subgraphs.knowledge.app import create_app as create_knowledge
from subgraphs.knowledge.seed import seed as seed_knowledge

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


def openai_answer(request: httpx.Request) -> httpx.Response:
    assert request.url == "https://api.openai.com/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-test"
    prompt = json.loads(request.content)["messages"][0]["content"]
    assert "Use only these facts" in prompt
    assert "name: Space One" in prompt
    return httpx.Response(
        200, json={"choices": [{"message": {"role": "assistant", "content": " Space One, quieter. "}}]}
    )


def anthropic_answer(request: httpx.Request) -> httpx.Response:
    assert request.url == "https://api.anthropic.com/v1/messages"
    assert request.headers["x-api-key"] == "ak-test"
    assert request.headers["anthropic-version"] == "2023-06-01"
    return httpx.Response(200, json={"content": [{"type": "text", "text": "Space One, by Claude."}]})


def outage(_request: httpx.Request) -> httpx.Response:
    return httpx.Response(503, json={"error": "overloaded"})


async def generate_with(
    tmp_path: Path, new_progress, editor: dict[str, str], answer: Callable[[httpx.Request], httpx.Response], **keys: str
) -> tuple[Any, Any]:
    settings = studio_settings(tmp_path, **keys)
    await seed_knowledge(settings, knowledge_data(), new_progress())
    await seed_content(settings, small_content(), new_progress())
    knowledge, analytics = create_knowledge(settings), create_analytics(settings)
    async with (
        knowledge.router.lifespan_context(knowledge),
        analytics.router.lifespan_context(analytics),
        httpx.AsyncClient(transport=httpx.ASGITransport(knowledge), base_url="http://knowledge") as to_knowledge,
        httpx.AsyncClient(transport=httpx.ASGITransport(analytics), base_url="http://analytics") as to_analytics,
        httpx.AsyncClient(transport=httpx.MockTransport(answer)) as to_llm,
    ):
        app = create_content(settings, knowledge_http=to_knowledge, analytics_http=to_analytics, llm_http=to_llm)
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


@pytest.mark.parametrize(
    "case",
    [
        ({"openai_api_key": "sk-test"}, openai_answer, "openai", "Space One, quieter."),
        ({"anthropic_api_key": "ak-test"}, anthropic_answer, "anthropic", "Space One, by Claude."),
    ],
)
@pytest.mark.asyncio
async def test_a_configured_key_writes_through_that_provider(tmp_path: Path, new_progress, editor, case: Any) -> None:
    keys, answer, provider, text = case
    body, _ = await generate_with(tmp_path, new_progress, editor, answer, **keys)
    job = body["data"]["generateContent"]
    assert (job["provider"], job["status"]) == (provider, "SUCCEEDED")
    assert job["contentItem"]["currentRevision"]["body"] == text
    assert job["note"].startswith(f"Written by {provider} from the built-in template")


@pytest.mark.asyncio
async def test_a_failing_provider_records_a_failed_job_and_writes_no_item(
    tmp_path: Path, new_progress, editor, error_codes
) -> None:
    body, after = await generate_with(tmp_path, new_progress, editor, outage, openai_api_key="sk-test")
    assert error_codes(body) == ["UPSTREAM_UNAVAILABLE"]
    assert "sk-test" not in json.dumps(body)
    assert after == {
        "generationJobs": [
            {"status": "FAILED", "provider": "openai",
             "note": "The LLM provider failed (HTTPStatusError); try again or generate without it."}
        ],
        "contentItems": {"totalCount": 4},
    }  # fmt: skip

"""Streamed answers through the official SDKs, against the local stand-in of both vendors' APIs.

The stand-in answers ``stream: true`` with each vendor's server-sent events; the SDKs parse them
as they would the real ones. A stalled stand-in stands for a slow model: ``read_until`` stops at
its deadline with what arrived.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest
from llm_standins import StandIn, serve_standin

from kcp.llm import AnthropicChat, ChatModel, LlmFailedError, OpenAIChat, read_until
from kcp.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Iterator

REPLY = "Hold the button for 10 s [1]. The light flashes white [2]. Then pair again [1]."
LONG_ENOUGH = 30.0  # a deadline no test reaches unless the stand-in stalls


@pytest.fixture
def standin() -> Iterator[StandIn]:
    yield from serve_standin()


def model(vendor: str, standin: StandIn) -> ChatModel:
    if vendor == "openai":
        return OpenAIChat(Settings(openai_api_key="sk-test", openai_base_url=f"{standin.url}/v1", llm_max_retries=0))
    return AnthropicChat(Settings(anthropic_api_key="sk-ant-test", anthropic_base_url=standin.url, llm_max_retries=0))


@pytest.mark.asyncio
@pytest.mark.parametrize("vendor", ["openai", "anthropic"])
async def test_the_streamed_answer_is_the_whole_answer(vendor: str, standin: StandIn) -> None:
    standin.reply = REPLY
    chat = model(vendor, standin)

    whole = await chat.complete("q", system="s")
    streamed, finished = await read_until(chat.stream("q", system="s"), time.monotonic() + LONG_ENOUGH)

    assert finished
    assert streamed.strip() == whole == REPLY
    assert [body.get("stream") for _, _, body in standin.received] == [None, True]


@pytest.mark.asyncio
@pytest.mark.parametrize("vendor", ["openai", "anthropic"])
async def test_a_stalled_stream_ends_at_the_deadline_with_what_arrived(vendor: str, standin: StandIn) -> None:
    standin.reply = REPLY
    standin.stall_after = 7  # "Hold the button for 10 s [1]." then nothing

    text, finished = await read_until(model(vendor, standin).stream("q"), time.monotonic() + 0.5)

    assert not finished
    assert text.strip() == "Hold the button for 10 s [1]."


@pytest.mark.asyncio
@pytest.mark.parametrize("vendor", ["openai", "anthropic"])
async def test_a_failed_stream_is_an_llm_failure(vendor: str, standin: StandIn) -> None:
    standin.status = 400
    with pytest.raises(LlmFailedError) as failed:
        await read_until(model(vendor, standin).stream("q"), time.monotonic() + LONG_ENOUGH)

    assert failed.value.provider == vendor
    assert failed.value.kind == "BadRequestError"

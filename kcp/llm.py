"""Chat models through the vendors' official SDKs: OpenAI when OPENAI_API_KEY is set, else Anthropic.

The SDKs' async clients bring their retries (``LLM_MAX_RETRIES``), timeouts and error types;
``OPENAI_BASE_URL`` / ``ANTHROPIC_BASE_URL`` point them at any server speaking the same wire
format (a proxy, a local model server, the stand-ins of the tests). Any failure is an
``LlmFailedError`` naming the SDK's error type only: neither the key nor the answer goes in it.

``stream`` yields the answer's text as it is written and ``read_until`` reads it until a deadline.
Why: the router waits ``KCP_SUBGRAPH_TIMEOUT_SECONDS`` (10 s) for a subgraph, while the SDKs wait
``LLM_TIMEOUT_SECONDS`` (30 s) for the provider; with one non-streamed request a slow model made
``ask`` run past the router's timeout and the client got nothing. Streamed, the caller stops at its
own deadline with the text written so far, and closing the stream closes the connection, so the
provider stops generating for nobody.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    import openai

    from kcp.settings import Settings

# The SDKs are imported when a client is made, not with this module: together they take seconds to
# import on a busy machine, and every knowledge and content process imports this module at start.

OPENAI, ANTHROPIC = "openai", "anthropic"
MAX_TOKENS = 1024
# The router waits KCP_SUBGRAPH_TIMEOUT_SECONDS for a subgraph's whole response and the edge stops
# listing at 80% of it (kcp.edge.gate); a model on the request path writes until 70%, counted from
# the start of the operation's work, which leaves time for what follows it and for the response.
WRITING_SHARE_OF_ROUTER_TIMEOUT = 0.7


def writing_seconds(settings: Settings) -> float:
    """How long a model on the request path may write: ``WRITING_SHARE_OF_ROUTER_TIMEOUT`` of the router's wait."""
    return WRITING_SHARE_OF_ROUTER_TIMEOUT * settings.kcp_subgraph_timeout_seconds


class LlmFailedError(RuntimeError):
    """The provider did not answer with text; ``kind`` is the SDK's error type."""

    def __init__(self, provider: str, kind: str) -> None:
        super().__init__(f"{provider} failed ({kind})")
        self.provider = provider
        self.kind = kind


class ChatModel(Protocol):
    name: str

    async def complete(self, prompt: str, *, system: str | None = None, max_tokens: int = MAX_TOKENS) -> str: ...

    def stream(self, prompt: str, *, system: str | None = None, max_tokens: int = MAX_TOKENS) -> AsyncIterator[str]:
        """The answer's text deltas as the provider writes them; a failure is an ``LlmFailedError``."""
        ...


class OpenAIChat:
    name = OPENAI

    def __init__(self, settings: Settings) -> None:
        import openai  # noqa: PLC0415 - see the module's note

        self._errors = openai.OpenAIError
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key is not None else ""
        self._client = openai.AsyncOpenAI(
            api_key=key,
            base_url=settings.openai_base_url,
            timeout=settings.llm_timeout_seconds,
            max_retries=settings.llm_max_retries,
        )
        self._model = settings.openai_chat_model

    async def complete(self, prompt: str, *, system: str | None = None, max_tokens: int = MAX_TOKENS) -> str:
        try:
            answer = await self._client.chat.completions.create(
                model=self._model, messages=self._messages(prompt, system), max_tokens=max_tokens
            )
        except self._errors as error:
            raise LlmFailedError(self.name, type(error).__name__) from error
        content = answer.choices[0].message.content if answer.choices else None
        if not content or not content.strip():
            raise LlmFailedError(self.name, "EmptyAnswer")
        return content.strip()

    async def stream(
        self, prompt: str, *, system: str | None = None, max_tokens: int = MAX_TOKENS
    ) -> AsyncIterator[str]:
        try:
            chunks = await self._client.chat.completions.create(
                model=self._model, messages=self._messages(prompt, system), max_tokens=max_tokens, stream=True
            )
            try:
                async for chunk in chunks:
                    delta = chunk.choices[0].delta.content if chunk.choices else None
                    if delta:
                        yield delta
            finally:
                await chunks.close()  # also when the reader stops early: the provider stops writing
        except self._errors as error:
            raise LlmFailedError(self.name, type(error).__name__) from error

    @staticmethod
    def _messages(prompt: str, system: str | None) -> list[openai.types.chat.ChatCompletionMessageParam]:
        messages: list[openai.types.chat.ChatCompletionMessageParam] = []
        if system is not None:
            messages.append({"role": "system", "content": system})
        messages.append({"role": "user", "content": prompt})
        return messages


class AnthropicChat:
    name = ANTHROPIC

    def __init__(self, settings: Settings) -> None:
        import anthropic  # noqa: PLC0415 - see the module's note

        self._errors = anthropic.AnthropicError
        self._omit = anthropic.omit
        key = settings.anthropic_api_key.get_secret_value() if settings.anthropic_api_key is not None else ""
        self._client = anthropic.AsyncAnthropic(
            api_key=key,
            base_url=settings.anthropic_base_url,
            timeout=settings.llm_timeout_seconds,
            max_retries=settings.llm_max_retries,
        )
        self._model = settings.anthropic_model

    async def complete(self, prompt: str, *, system: str | None = None, max_tokens: int = MAX_TOKENS) -> str:
        try:
            answer = await self._client.messages.create(
                model=self._model,
                max_tokens=max_tokens,
                messages=[{"role": "user", "content": prompt}],
                system=self._omit if system is None else system,
            )
        except self._errors as error:
            raise LlmFailedError(self.name, type(error).__name__) from error
        text = "".join(block.text for block in answer.content if block.type == "text").strip()
        if not text:
            raise LlmFailedError(self.name, "EmptyAnswer")
        return text

    async def stream(
        self, prompt: str, *, system: str | None = None, max_tokens: int = MAX_TOKENS
    ) -> AsyncIterator[str]:
        try:
            # Leaving the manager closes the response, also when the reader stops early.
            async with self._client.messages.stream(
                model=self._model,
                max_tokens=max_tokens,
                messages=[{"role": "user", "content": prompt}],
                system=self._omit if system is None else system,
            ) as answer:
                async for delta in answer.text_stream:
                    yield delta
        except self._errors as error:
            raise LlmFailedError(self.name, type(error).__name__) from error


async def read_until(deltas: AsyncIterator[str], deadline: float) -> tuple[str, bool]:
    """The text streamed before ``deadline`` (``time.monotonic()`` seconds), and whether it was all of it.

    At the deadline the stream is cancelled where it waits and closed, which closes its connection:
    the provider stops generating. A provider's failure is raised (``LlmFailedError``) as it comes.
    """
    parts: list[str] = []
    try:
        # asyncio's loop clock is time.monotonic, so the deadline converts by its remaining seconds.
        async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
            async for delta in deltas:
                parts.append(delta)  # noqa: PERF401 - a comprehension would lose the parts at the deadline
    except TimeoutError:
        return "".join(parts), False
    finally:
        aclose = getattr(deltas, "aclose", None)
        if aclose is not None:
            await aclose()
    return "".join(parts), True


def open_chat_model(settings: Settings) -> ChatModel | None:
    """OpenAI when OPENAI_API_KEY is set, else Anthropic when ANTHROPIC_API_KEY is, else none."""
    if settings.openai_api_key is not None:
        return OpenAIChat(settings)
    if settings.anthropic_api_key is not None:
        return AnthropicChat(settings)
    return None

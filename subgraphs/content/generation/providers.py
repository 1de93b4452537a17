"""Who writes the copy: an LLM when a key is configured, otherwise a deterministic template.

The LLM providers are thin calls to the vendors' documented HTTP APIs (OpenAI chat completions,
Anthropic messages) over httpx, which the project already depends on, instead of their SDKs.
They cannot be exercised here (no key, no internet), so they are kept small: the prompt, one
request, the text of the first answer. Anything that goes wrong is a ``GenerationFailedError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from kcp.errors import ErrorCode, KcpError

if TYPE_CHECKING:
    from kcp.settings import Settings

TEMPLATE = "template"
OPENAI = "openai"
ANTHROPIC = "anthropic"
OPENAI_MODEL = "gpt-4o-mini"
ANTHROPIC_MODEL = "claude-3-5-haiku-latest"
LLM_TIMEOUT_SECONDS = 30.0


class GenerationFailedError(KcpError):
    code = ErrorCode.UPSTREAM_UNAVAILABLE


@dataclass(frozen=True, slots=True)
class Brief:
    """What the writer gets: the kind and locale of the copy, the facts, and a draft to improve."""

    kind: str
    locale: str
    facts: list[str]
    draft: str
    """The template filled with the facts: the whole answer of the template provider."""

    def prompt(self) -> str:
        facts = "\n".join(f"- {fact}" for fact in self.facts)
        return (
            f"Write a {self.kind.replace('_', ' ')} for Soundcore in the locale {self.locale}.\n"
            "Use only these facts; do not invent specifications, prices or claims:\n"
            f"{facts}\n\nImprove this draft, keeping its structure:\n{self.draft}"
        )


class Provider(Protocol):
    name: str

    async def write(self, brief: Brief) -> str: ...


class TemplateProvider:
    """Deterministic: the filled template, as is. The job's note says so."""

    name = TEMPLATE

    async def write(self, brief: Brief) -> str:
        return brief.draft


class OpenAIProvider:
    name = OPENAI

    def __init__(self, key: str, client: httpx.AsyncClient) -> None:
        self._key = key
        self._client = client

    async def write(self, brief: Brief) -> str:
        answer = await _post(
            self._client,
            "https://api.openai.com/v1/chat/completions",
            {"Authorization": f"Bearer {self._key}"},
            {"model": OPENAI_MODEL, "messages": [{"role": "user", "content": brief.prompt()}]},
        )
        try:
            return str(answer["choices"][0]["message"]["content"]).strip()
        except (KeyError, IndexError, TypeError) as error:
            raise GenerationFailedError(f"{self.name} answered without text") from error


class AnthropicProvider:
    name = ANTHROPIC

    def __init__(self, key: str, client: httpx.AsyncClient) -> None:
        self._key = key
        self._client = client

    async def write(self, brief: Brief) -> str:
        answer = await _post(
            self._client,
            "https://api.anthropic.com/v1/messages",
            {"x-api-key": self._key, "anthropic-version": "2023-06-01"},
            {"model": ANTHROPIC_MODEL, "max_tokens": 1024, "messages": [{"role": "user", "content": brief.prompt()}]},
        )
        try:
            return "".join(str(block["text"]) for block in answer["content"] if block.get("type") == "text").strip()
        except (KeyError, TypeError) as error:
            raise GenerationFailedError(f"{self.name} answered without text") from error


async def _post(client: httpx.AsyncClient, url: str, headers: dict[str, str], payload: dict[str, Any]) -> Any:
    try:
        response = await client.post(url, json=payload, headers=headers, timeout=LLM_TIMEOUT_SECONDS)
        response.raise_for_status()
        return response.json()
    except (httpx.HTTPError, ValueError) as error:
        # The key is in the headers only; neither it nor the answer goes into the message.
        msg = f"The LLM provider failed ({type(error).__name__}); try again or generate without it."
        raise GenerationFailedError(msg) from error


def choose_provider(settings: Settings, client: httpx.AsyncClient) -> Provider:
    """OpenAI when OPENAI_API_KEY is set, else Anthropic when ANTHROPIC_API_KEY is, else templates."""
    if settings.openai_api_key is not None:
        return OpenAIProvider(settings.openai_api_key.get_secret_value(), client)
    if settings.anthropic_api_key is not None:
        return AnthropicProvider(settings.anthropic_api_key.get_secret_value(), client)
    return TemplateProvider()

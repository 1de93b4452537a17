"""Who writes the copy: an LLM when a key is configured, otherwise a deterministic template.

The LLM providers are the vendors' official SDKs (``kcp.llm``: OpenAI chat completions,
Anthropic messages, async clients with their retries and timeouts, endpoints configurable with
``OPENAI_BASE_URL`` / ``ANTHROPIC_BASE_URL``). Anything that goes wrong is a
``GenerationFailedError`` naming the SDK's error type, never the key or the answer.

``generateContent`` waits for the writer on the request path, so the LLM's copy is streamed and
read until a deadline inside the router's timeout (``kcp.llm.writing_seconds``): the router waits
``KCP_SUBGRAPH_TIMEOUT_SECONDS`` (10 s) while the SDK would wait ``LLM_TIMEOUT_SECONDS`` (30 s), and
a slow model used to leave the client with nothing. Unlike ``ask``'s sentences, a copy cut off
part-way is no draft (its closing lines and Sources section come last), so missing the deadline is
a failed job the client hears about in time, and the stream is closed so the provider stops writing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from kcp.errors import ErrorCode, KcpError
from kcp.llm import ANTHROPIC, OPENAI, LlmFailedError, open_chat_model, read_until

if TYPE_CHECKING:
    from kcp.llm import ChatModel
    from kcp.settings import Settings
    from subgraphs.content.generation.grounding import Passage

TEMPLATE = "template"
__all__ = ["ANTHROPIC", "OPENAI", "TEMPLATE", "Brief", "GenerationFailedError", "Provider", "choose_provider"]


class GenerationFailedError(KcpError):
    code = ErrorCode.UPSTREAM_UNAVAILABLE


@dataclass(frozen=True, slots=True)
class Brief:
    """What the writer gets: the kind and locale of the copy, the facts, the passages, a draft to improve."""

    kind: str
    locale: str
    facts: list[str]
    draft: str
    """The template filled with the facts (and the cited passages): the whole answer of the template provider."""
    passages: tuple[Passage, ...] = field(default=())
    """Knowledge-base passages retrieved for this product and kind, numbered as they are cited."""

    def prompt(self) -> str:
        facts = "\n".join(f"- {fact}" for fact in self.facts)
        prompt = (
            f"Write a {self.kind.replace('_', ' ')} for Soundcore in the locale {self.locale}.\n"
            "Use only these facts; do not invent specifications, prices or claims:\n"
            f"{facts}\n"
        )
        if self.passages:
            passages = "\n".join(f"[{p.number}] {p.source()}: {p.text}" for p in self.passages)
            prompt += (
                "\nPassages from the knowledge base. Where the copy relies on one, cite it with its number in "
                "square brackets, like [1]; cite nothing else, and keep the Sources section as it is:\n"
                f"{passages}\n"
            )
        return prompt + f"\nImprove this draft, keeping its structure:\n{self.draft}"


class Provider(Protocol):
    name: str

    async def write(self, brief: Brief, *, deadline: float) -> str:
        """The copy, written by ``deadline`` (``time.monotonic()`` seconds), or ``GenerationFailedError``."""
        ...


class TemplateProvider:
    """Deterministic: the filled template, as is. The job's note says so."""

    name = TEMPLATE

    async def write(self, brief: Brief, *, deadline: float) -> str:  # noqa: ARG002 - instant, no deadline to keep
        return brief.draft


class ChatProvider:
    """An LLM (``kcp.llm``) improving the template's draft from the facts only."""

    def __init__(self, model: ChatModel) -> None:
        self._model = model
        self.name = model.name

    async def write(self, brief: Brief, *, deadline: float) -> str:
        try:
            text, finished = await read_until(self._model.stream(brief.prompt()), deadline)
        except LlmFailedError as error:
            msg = f"The LLM provider failed ({error.kind}); try again or generate without it."
            raise GenerationFailedError(msg) from error
        if not finished:
            msg = "The LLM provider did not finish in time; try again or generate without it."
            raise GenerationFailedError(msg)
        if not text.strip():
            msg = "The LLM provider failed (EmptyAnswer); try again or generate without it."
            raise GenerationFailedError(msg)
        return text.strip()


def choose_provider(settings: Settings) -> Provider:
    """OpenAI when OPENAI_API_KEY is set, else Anthropic when ANTHROPIC_API_KEY is, else templates."""
    model = open_chat_model(settings)
    return TemplateProvider() if model is None else ChatProvider(model)

"""The LLM writer of ``ask``: an answer from the numbered passages only, its citations checked afterwards.

The model sees the question and the retrieved passages, numbered, and is told to use nothing
else and to end every sentence with the ``[n]`` of the passage it comes from. Then every sentence
is checked: one without a citation, or whose cited passage does not hold its key terms
(``extractive.supports``), is dropped. What survives is the answer; when nothing does, the caller
falls back to the extractive answer.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import structlog

from kcp.llm import LlmFailedError
from subgraphs.knowledge.answers.extractive import supports

if TYPE_CHECKING:
    from kcp.llm import ChatModel
    from subgraphs.knowledge.answers.records import Evidence

log = structlog.get_logger()
SYSTEM = (
    "You answer customers of Soundcore, a consumer-audio brand, from the numbered passages you are given "
    "and nothing else. Write at most four short sentences. End every sentence with the number of the passage "
    "it comes from in square brackets, like [2]. If the passages do not answer the question, write only: "
    "I don't know."
)
_SENTENCE = re.compile(r"[^.!?]+[.!?]?(?:\s*\[\d+\])+|[^.!?]+[.!?]", re.UNICODE)
_CITED = re.compile(r"\[(\d+)\]")


def prompt(question: str, passages: list[Evidence]) -> str:
    numbered = "\n\n".join(f"[{number}] {p.text}" for number, p in enumerate(passages, start=1))
    return f"Passages:\n\n{numbered}\n\nQuestion: {question}"


def checked_sentences(text: str, passages: list[Evidence]) -> list[tuple[str, int]]:
    """(sentence without its markers, passage index) for every sentence its first citation supports."""
    kept: list[tuple[str, int]] = []
    for match in _SENTENCE.finditer(text):
        raw = match.group(0).strip()
        numbers = [int(n) for n in _CITED.findall(raw)]
        sentence = _CITED.sub("", raw).strip()
        supported = [n for n in numbers if 1 <= n <= len(passages) and supports(passages[n - 1].text, sentence)]
        if sentence and supported:
            kept.append((sentence, supported[0] - 1))
        elif sentence:
            log.info("answers.sentence_dropped", cited=numbers)
    return kept


async def write(model: ChatModel, question: str, passages: list[Evidence]) -> list[tuple[str, int]] | None:
    """The model's checked sentences, or None when it failed or nothing it wrote survived the check."""
    try:
        text = await model.complete(prompt(question, passages), system=SYSTEM, max_tokens=400)
    except LlmFailedError as error:
        log.warning("answers.llm_failed", provider=error.provider, error=error.kind)
        return None
    kept = checked_sentences(text, passages)
    return kept or None

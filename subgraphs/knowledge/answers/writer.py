"""The LLM writer of ``ask``: an answer from the numbered passages only, its citations checked afterwards.

The model sees the question and the retrieved passages, numbered, and is told to use nothing
else and to end every sentence with the ``[n]`` of the passage it comes from. Then every sentence
is checked: one without a citation, or whose cited passage does not hold its key terms
(``extractive.supports``), is dropped. What survives is the answer; when nothing does, the caller
falls back to the extractive answer.

The answer is streamed and read until a deadline the caller sets inside the router's timeout: the
router waits ``KCP_SUBGRAPH_TIMEOUT_SECONDS`` (10 s) while the SDKs would wait ``LLM_TIMEOUT_SECONDS``
(30 s), so a slow model used to make ``ask`` outlive the router and the client got nothing. Cut off
at the deadline, the writer keeps the sentences completed so far, each checked as any other, and
says the answer is partial.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import structlog

from kcp.llm import LlmFailedError, read_until
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
# Where a sentence of an answer cut off mid-stream is known to be finished: a citation followed by
# its full stop, or by a space. A citation at the very end may be followed by another ("[1][2]")
# or by more of the sentence, so it does not finish one.
_FINISHED = re.compile(r"\[\d+\](?:[.!?]|(?=\s))")


@dataclass(frozen=True, slots=True)
class Written:
    sentences: list[tuple[str, int]]
    """(sentence without its markers, passage index), each supported by the passage it cites."""
    partial: bool
    """Cut off at the deadline: the sentences finished by then, not the whole answer."""


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


def finished_part(text: str) -> str:
    """``text`` up to the end of its last finished sentence (nothing when none is)."""
    ends = [match.end() for match in _FINISHED.finditer(text)]
    return text[: ends[-1]] if ends else ""


async def write(model: ChatModel, question: str, passages: list[Evidence], *, deadline: float) -> Written | None:
    """The model's checked sentences written by ``deadline`` (``time.monotonic()``), or None when it
    failed or nothing it wrote by then survived the check."""
    try:
        text, finished = await read_until(
            model.stream(prompt(question, passages), system=SYSTEM, max_tokens=400), deadline
        )
    except LlmFailedError as error:
        log.warning("answers.llm_failed", provider=error.provider, error=error.kind)
        return None
    if not finished:
        log.warning("answers.llm_deadline", provider=model.name, received=len(text))
        text = finished_part(text)
    kept = checked_sentences(text, passages)
    return Written(kept, partial=not finished) if kept else None

"""The offline writer: sentences chosen from the retrieved passages, each quoted with its offsets.

Pure functions. A passage is cut into sentences (a list item or a line is one; prose is cut after
``.``, ``!`` or ``?``); headings and boilerplate are skipped. Every sentence keeps its offsets in
the source's text, so its citation quotes exactly what the answer says.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_MARKER = re.compile(r"^(?:[-*+]\s+|\d+\.\s+|\*\*[^*]+:\*\*\s*)")
_WORD = re.compile(r"\w+", re.UNICODE)
MIN_SENTENCE_CHARS = 12
MIN_TERM_CHARS = 4  # shorter words are mostly function words
FEW_TERMS = 2  # a sentence this short in content words must have all of them cited
BOILERPLATE = ("tell us whether this article helped", "this article explains")


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int  # offsets in the source's text
    end: int


def sentences(text: str, offset: int) -> list[Sentence]:
    """The sentences of a passage that starts at ``offset`` in its source's text."""
    found: list[Sentence] = []
    for line in _LINE.finditer(text):
        raw = line.group(0)
        if raw.lstrip().startswith("#"):
            continue
        marker = _MARKER.match(raw.lstrip())
        lead = len(raw) - len(raw.lstrip()) + (marker.end() if marker else 0)
        body_start = line.start() + lead
        body = text[body_start : line.end()]
        cuts = [0, *(m.end() for m in _SENTENCE_END.finditer(body)), len(body)]
        for begin, finish in itertools.pairwise(cuts):
            piece = body[begin:finish]
            stripped = piece.strip()
            if len(stripped) < MIN_SENTENCE_CHARS or stripped.lower().startswith(BOILERPLATE):
                continue
            start = offset + body_start + begin + (len(piece) - len(piece.lstrip()))
            found.append(Sentence(stripped, start, start + len(stripped)))
    return found


def key_terms(text: str) -> set[str]:
    """The content words of a sentence (lower case, 4+ letters): what its citation must contain."""
    return {word.lower() for word in _WORD.findall(text) if len(word) >= MIN_TERM_CHARS and not word.isdigit()}


def supports(passage: str, sentence: str, *, share: float = 0.6) -> bool:
    """Whether ``passage`` contains at least ``share`` of ``sentence``'s key terms (all, if it has 1-2)."""
    terms = key_terms(sentence)
    if not terms:
        return False
    present = key_terms(passage)
    found = len(terms & present)
    return found == len(terms) if len(terms) <= FEW_TERMS else found / len(terms) >= share

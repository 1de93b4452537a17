"""Records into passages: an article by its ``##`` sections, a solution and a known issue whole.

Pure functions over storage rows. Offsets index the source's text as ``source_text`` renders it,
so ``source_text(row)[chunk.start:chunk.end] == chunk.text`` always holds (a contract test checks
it). A section longer than ``MAX_CHARS`` is cut at paragraph ends: MiniLM reads 256 tokens
(~1,000 characters) and a shorter passage makes a sharper citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from subgraphs.knowledge.tables import ArticleRow, KnownIssueRow, SolutionRow

ARTICLE, SOLUTION, KNOWN_ISSUE = "article", "solution", "known_issue"
MAX_CHARS = 900
_SECTION = re.compile(r"^#{1,3} +(.+)$", re.MULTILINE)
_PARAGRAPH_END = re.compile(r"\n\s*\n")


@dataclass(frozen=True, slots=True)
class Passage:
    source_kind: str
    source_id: str
    version: int
    locale: str | None
    title: str
    heading: str
    start: int
    end: int
    text: str

    def embedding_text(self) -> str:
        """What is embedded: the record's title gives a section its subject ("Fix 2" alone says little)."""
        context = self.title if not self.heading or self.heading == self.title else f"{self.title} — {self.heading}"
        return f"{context}\n{self.text}"


def solution_text(row: SolutionRow) -> str:
    steps = "\n".join(f"{number}. {step}" for number, step in enumerate(row.steps, start=1))
    return f"{row.title}\n{steps}"


def known_issue_text(row: KnownIssueRow) -> str:
    symptoms = "\n".join(f"- {symptom}" for symptom in row.symptoms)
    return f"{row.title}\n{row.description}\n{symptoms}".rstrip()


def _spans(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut at paragraph ends into pieces of at most ``MAX_CHARS`` (a longer paragraph stays whole)."""
    pieces: list[tuple[int, int]] = []
    piece_start = start
    last_cut = start
    for match in _PARAGRAPH_END.finditer(body, start, end):
        if match.start() - piece_start > MAX_CHARS and last_cut > piece_start:
            pieces.append((piece_start, last_cut))
            piece_start = _skip_space(body, last_cut, end)
        last_cut = match.start()
    pieces.append((piece_start, end))
    return [(s, e) for s, e in (_trim(body, s, e) for s, e in pieces) if e > s]


def _skip_space(text: str, at: int, end: int) -> int:
    while at < end and text[at].isspace():
        at += 1
    return at


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    start = _skip_space(text, start, end)
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def article_passages(row: ArticleRow) -> list[Passage]:
    """The article's sections (the text before the first heading is the lead), each cut to size."""
    body = row.body
    headings = list(_SECTION.finditer(body))
    bounds: list[tuple[str, int, int]] = []
    lead_end = headings[0].start() if headings else len(body)
    bounds.append(("", 0, lead_end))
    for index, match in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(body)
        bounds.append((match.group(1).strip(), match.start(), end))
    passages: list[Passage] = []
    for heading, start, end in bounds:
        for piece_start, piece_end in _spans(body, start, end):
            text = body[piece_start:piece_end]
            if _SECTION.fullmatch(text):  # a heading alone says nothing a reader could cite
                continue
            passages.append(
                Passage(ARTICLE, row.id, row.version, row.locale, row.title, heading, piece_start, piece_end, text)
            )
    return passages


def solution_passages(row: SolutionRow) -> list[Passage]:
    text = solution_text(row)
    return [Passage(SOLUTION, row.id, 1, None, row.title, row.title, 0, len(text), text)]


def known_issue_passages(row: KnownIssueRow) -> list[Passage]:
    text = known_issue_text(row)
    return [Passage(KNOWN_ISSUE, row.id, 1, None, row.title, row.title, 0, len(text), text)]

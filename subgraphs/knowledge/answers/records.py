"""What an answer is made of: the passages it drew on (evidence), the citations it carries, the result.

Kept apart from the service that builds them so the LLM writer and the GraphQL types can name them
without importing the service.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Citation:
    number: int
    kind: str  # article | solution | known_issue
    source_id: str
    version: int
    passage: str  # the quoted text, exactly source_text[start:end]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Evidence:
    kind: str
    source_id: str
    version: int
    locale: str | None
    heading: str
    text: str
    start: int
    end: int
    score: float


@dataclass(slots=True)
class AnswerResult:
    text: str
    known: bool
    confidence: float
    provider: str
    citations: list[Citation] = field(default_factory=list)
    passages: list[Evidence] = field(default_factory=list)
    degraded: list[str] = field(default_factory=list)

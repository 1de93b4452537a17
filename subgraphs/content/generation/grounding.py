"""The knowledge-base passages a draft stands on, found by knowledge's hybrid search over HTTP.

Content asks knowledge's ``search(mode: HYBRID, product: …)`` (never importing the subgraph): that
search keeps only the product's solutions and the articles documenting them, so a draft never
cites another product's fix. The query is the product's name plus what the draft kind is about.
When knowledge is unreachable, refuses the search or finds nothing, the draft is still written
from the facts and the job says it is ungrounded and why: never a silent fallback.

The search counts as one search in knowledge's analytics (with the product id), like any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import structlog

from kcp.edge.signature import signed_json

if TYPE_CHECKING:
    from subgraphs.content.generation.facts import ProductFacts

log = structlog.get_logger()

PASSAGES_QUERY = """query GroundingPassages($query: String!, $product: ID!, $first: Int!) {
  search(query: $query, product: $product, mode: HYBRID, first: $first) {
    edges { node { highlight result {
      __typename
      ... on Article { id title version }
      ... on Solution { id title steps }
    } } }
  }
}"""
TIMEOUT_SECONDS = 5.0
MAX_PASSAGES = 4  # enough to cite under each section of a draft; more crowds the prompt
MAX_QUERY_CHARS = 200  # knowledge's own bound on a search query
_MARK = re.compile(r"</?mark>")
_HEADING = re.compile(r"(^|\s)#{1,6}\s+")  # markdown heading marks inside an article's excerpt

# What each kind of copy needs to say, in the words a knowledge-base passage would use.
KIND_FOCUS: dict[str, str] = {
    "product_description": "features setup and use",
    "marketing_email": "features and benefits",
    "social_post": "highlights",
    "support_macro": "problem troubleshooting fix",
    "faq_draft": "common questions problem fix",
}

# Why a draft is not grounded (``GenerationJob.ungroundedReason``).
KNOWLEDGE_UNAVAILABLE = "KNOWLEDGE_UNAVAILABLE"
NO_PASSAGES = "NO_PASSAGES"
RETRIEVAL_REFUSED = "RETRIEVAL_REFUSED"


@dataclass(frozen=True, slots=True)
class Passage:
    """One cited passage: ``[number]`` in the draft, the record it was read from."""

    number: int
    kind: str  # article | solution
    source_id: str
    title: str
    version: int | None  # articles are versioned, solutions are not
    text: str

    def source(self) -> str:
        version = "" if self.version is None else f", version {self.version}"
        return f"{self.title} ({self.kind} {self.source_id}{version})"


@dataclass(frozen=True, slots=True)
class Grounding:
    passages: tuple[Passage, ...]
    ungrounded_reason: str | None = None
    """None when there are passages; else KNOWLEDGE_UNAVAILABLE, RETRIEVAL_REFUSED:<code> or NO_PASSAGES."""
    degraded: str | None = None
    """Knowledge's own label when its retrieval was weaker than usual (e.g. KEYWORD_ONLY:NOT_INDEXED)."""

    @classmethod
    def ungrounded(cls, reason: str, degraded: str | None = None) -> Grounding:
        return cls((), reason, degraded)


def grounding_query(facts: ProductFacts, kind: str) -> str:
    """The product, what this kind of copy is about, and its known issues or features."""
    if kind in {"support_macro", "faq_draft"}:
        topics = [title for title, _ in facts.known_issues]
    else:
        topics = [name for name, _ in facts.features]
    query = " ".join([facts.name, KIND_FOCUS[kind], *topics])
    return query[:MAX_QUERY_CHARS].rsplit(" ", 1)[0] if len(query) > MAX_QUERY_CHARS else query


def _passage(number: int, node: dict[str, Any]) -> Passage | None:
    """An article's passage is knowledge's excerpt around the match; a solution's is its steps, in order
    (its excerpt may come from the known issue it resolves, which says what is wrong, not what helps)."""
    result = node.get("result") or {}
    kind = {"Article": "article", "Solution": "solution"}.get(str(result.get("__typename")))
    steps = [str(step) for step in result.get("steps") or ()]
    if kind == "solution" and steps:
        text = " ".join(f"{n}. {step.strip()}" for n, step in enumerate(steps, 1))
    else:
        text = " ".join(_HEADING.sub(r"\1", _MARK.sub("", str(node.get("highlight") or ""))).split())
    if kind is None or not text:
        return None
    version = result.get("version")
    return Passage(
        number=number,
        kind=kind,
        source_id=str(result["id"]),
        title=str(result["title"]),
        version=version if isinstance(version, int) else None,
        text=text,
    )


class KnowledgePassages:
    """Asks knowledge's GraphQL endpoint for the passages most relevant to a product and a kind of copy."""

    def __init__(self, url: str, client: httpx.AsyncClient, secret: str | None = None) -> None:
        self._url = url
        self._client = client
        self._secret = secret  # signs the request: knowledge may accept only KCP services (kcp.edge.signature)

    async def for_draft(self, facts: ProductFacts, kind: str) -> Grounding:
        variables = {"query": grounding_query(facts, kind), "product": facts.id, "first": MAX_PASSAGES}
        try:
            content, headers = signed_json(self._url, {"query": PASSAGES_QUERY, "variables": variables}, self._secret)
            response = await self._client.post(self._url, content=content, headers=headers, timeout=TIMEOUT_SECONDS)
            body = response.json()
        except (httpx.HTTPError, ValueError) as error:
            log.warning("content.grounding_unavailable", error=type(error).__name__)
            return Grounding.ungrounded(KNOWLEDGE_UNAVAILABLE)
        if not isinstance(body, dict):
            return Grounding.ungrounded(KNOWLEDGE_UNAVAILABLE)
        retrieval = (body.get("extensions") or {}).get("retrieval") or {}
        degraded = retrieval.get("degraded") if isinstance(retrieval, dict) else None
        degraded = None if degraded is None else str(degraded)
        found = (body.get("data") or {}).get("search")
        if found is None:
            errors = body.get("errors") or [{}]
            code = str(((errors[0] or {}).get("extensions") or {}).get("code") or "UNKNOWN")
            log.warning("content.grounding_refused", code=code)
            return Grounding.ungrounded(f"{RETRIEVAL_REFUSED}:{code}", degraded)
        passages: list[Passage] = []
        for edge in found.get("edges") or ():
            passage = _passage(len(passages) + 1, edge.get("node") or {})
            if passage is not None:
                passages.append(passage)
        if not passages:
            return Grounding.ungrounded(NO_PASSAGES, degraded)
        return Grounding(tuple(passages), None, degraded)

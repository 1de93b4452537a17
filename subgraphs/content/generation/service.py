"""``generateContent``: a draft item grounded in the product's facts and retrieved passages, recorded as a job.

Order of work, so nothing is half-written: check the switch and the caller, validate, read the
facts, retrieve the passages (``grounding.py``: cited as ``[n]`` under a Sources section; a
draft without any says why on its job), let the provider write, then store the item (revision
first) and last the job that points at it. A failed provider stores a failed job and no item;
so does an LLM still writing at the deadline (``providers.py``), counted from the start of
``generate`` because reading the facts and passages spends the same router wait.
The ``content_generated`` event goes to analytics off the request path.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

import structlog

from kcp.errors import ErrorCode, KcpError
from kcp.pagination import check_first
from subgraphs.content.generation.defaults import DEFAULT_BODIES, DEFAULT_TITLES
from subgraphs.content.generation.providers import TEMPLATE, Brief, GenerationFailedError
from subgraphs.content.generation.repository import JobRecord
from subgraphs.content.items.errors import InvalidContentInputError
from subgraphs.content.items.service import NewContentItem, checked_kind, checked_locale, required_text
from subgraphs.content.scopes import CONTENT_READ, CONTENT_WRITE
from subgraphs.content.templates.placeholders import fill, variables_of

if TYPE_CHECKING:
    from collections.abc import Mapping

    from kcp.identity import Identity
    from subgraphs.content.generation.facts import KnowledgeFacts
    from subgraphs.content.generation.grounding import Grounding, KnowledgePassages
    from subgraphs.content.generation.providers import Provider
    from subgraphs.content.generation.repository import JobRepository
    from subgraphs.content.items.service import ContentItemService
    from subgraphs.content.templates.service import TemplateService

log = structlog.get_logger()

SUCCEEDED, FAILED = "succeeded", "failed"


class EventSink(Protocol):
    def emit(self, kind: str, **fields: Any) -> None:
        """Queue one event for analytics; never blocks and never raises."""


class GenerationDisabledError(KcpError):
    code = ErrorCode.FEATURE_DISABLED

    def __init__(self) -> None:
        super().__init__("Content generation is switched off here (ENABLE_CONTENT_GENERATION=false).")


@dataclass(frozen=True, slots=True)
class GenerationRequest:
    product_id: str
    kind: str
    locale: str
    template_id: str | None = None
    title: str | None = None
    variables: Mapping[str, str] | None = None


def _note(provider: str, template_name: str | None, grounding: Grounding) -> str:
    source = f"template {template_name!r}" if template_name else "the built-in template of its kind"
    if provider == TEMPLATE:
        written = (
            f"Written by the deterministic template generator from {source} (no OPENAI_API_KEY or "
            "ANTHROPIC_API_KEY is set): the product's facts from the knowledge base, filled in as they are."
        )
    else:
        written = (
            f"Written by {provider} from {source}, instructed to use only the product's facts from the knowledge base."
        )
    if grounding.ungrounded_reason is not None:
        return f"{written} Not grounded in retrieval ({grounding.ungrounded_reason}): no passage is cited."
    return f"{written} Grounded in {len(grounding.passages)} retrieved passages, cited as [n] under Sources."


def cited(draft: str, grounding: Grounding) -> str:
    """The draft with what the passages say, each cited, and the list of sources; as is without passages."""
    if not grounding.passages:
        return draft
    said = "\n".join(f"- {p.text} [{p.number}]" for p in grounding.passages)
    sources = "\n".join(f"[{p.number}] {p.source()}" for p in grounding.passages)
    return f"{draft.rstrip()}\n\n## From the knowledge base\n{said}\n\n## Sources\n{sources}"


def cited_facts(facts: list[str], grounding: Grounding) -> list[str]:
    """The facts, then one line per cited source, so a reviewer can check the copy against both."""
    return facts + [f"source [{p.number}]: {p.source()}" for p in grounding.passages]


class GenerationService:
    def __init__(  # noqa: PLR0913 - the collaborators of one use case
        self,
        *,
        enabled: bool,
        facts: KnowledgeFacts,
        grounding: KnowledgePassages,
        provider: Provider,
        items: ContentItemService,
        templates: TemplateService,
        jobs: JobRepository,
        events: EventSink,
        llm_seconds: float = 7.0,  # kcp.llm.writing_seconds of the default settings
    ) -> None:
        self._llm_seconds = llm_seconds
        self._enabled = enabled
        self._facts = facts
        self._grounding = grounding
        self._provider = provider
        self._items = items
        self._templates = templates
        self._jobs = jobs
        self._events = events

    async def generate(self, identity: Identity, request: GenerationRequest) -> JobRecord:
        if not self._enabled:
            raise GenerationDisabledError
        # From the start: reading the facts and passages from knowledge spends the same router wait.
        deadline = time.monotonic() + self._llm_seconds
        author = identity.require(CONTENT_WRITE).subject or "unknown"
        kind = checked_kind(request.kind)
        locale = checked_locale(request.locale)
        product_id = required_text(request.product_id, "productId", max_length=64)
        template = None if request.template_id is None else await self._templates.get(request.template_id)
        if template is not None and template.kind != kind:
            msg = f"template {template.name!r} is for {template.kind}, not {kind}."
            raise InvalidContentInputError(msg)
        body = template.body if template is not None else DEFAULT_BODIES[kind]
        declared = list(template.variables) if template is not None else variables_of(body)
        given = dict(request.variables or {})
        unknown = sorted(set(given) - set(declared))
        if unknown:
            msg = f"template variables do not match: unknown {', '.join(unknown)}."
            raise InvalidContentInputError(msg)
        facts = await self._facts.product(product_id)
        values = {name: value for name, value in facts.variables().items() if name in declared} | given
        grounding = await self._grounding.for_draft(facts, kind)
        draft = cited(fill(body, values, declared=declared), grounding)
        brief = Brief(
            kind=kind, locale=locale, facts=cited_facts(facts.summary(), grounding), draft=draft,
            passages=grounding.passages,
        )  # fmt: skip
        job_id = f"gen-{uuid.uuid4().hex[:12]}"
        now = datetime.now(UTC)
        try:
            text = await self._provider.write(brief, deadline=deadline)
        except GenerationFailedError as error:
            await self._jobs.insert(
                JobRecord(job_id, product_id, kind, locale, FAILED, self._provider.name,
                          request.template_id, None, tuple(brief.facts), str(error), author, now,
                          grounding.passages, grounding.ungrounded_reason, grounding.degraded)
            )  # fmt: skip
            log.warning("content.generation_failed", job_id=job_id, provider=self._provider.name)
            raise
        note = _note(self._provider.name, None if template is None else template.name, grounding)
        title = request.title or DEFAULT_TITLES[kind].format(name=facts.name)
        created = await self._items.create(
            identity,
            NewContentItem(
                product_id=product_id, kind=kind, title=title, locale=locale, body=text,
                template_id=request.template_id, note=note,
            ),
        )  # fmt: skip
        job = JobRecord(job_id, product_id, kind, locale, SUCCEEDED, self._provider.name, request.template_id,
                        created.item.id, tuple(brief.facts), note, author, now,
                        grounding.passages, grounding.ungrounded_reason, grounding.degraded)  # fmt: skip
        await self._jobs.insert(job)
        self._events.emit(
            "content_generated",
            contentId=created.item.id,
            productId=product_id,
            provider=self._provider.name,
            userId=author,
            clientEventId=f"content_generated:{job_id}",
        )
        log.info(
            "content.generated",
            job_id=job_id,
            content_item_id=created.item.id,
            provider=self._provider.name,
            passages=len(grounding.passages),
            ungrounded_reason=grounding.ungrounded_reason,
        )
        return job

    async def job(self, identity: Identity, job_id: str) -> JobRecord | None:
        identity.require(CONTENT_READ)
        found = await self._jobs.by_ids([job_id])
        return found[0] if found else None

    async def jobs(self, identity: Identity, *, product_id: str | None, first: int) -> list[JobRecord]:
        identity.require(CONTENT_READ)
        return await self._jobs.list(product_id=product_id, limit=check_first(first))

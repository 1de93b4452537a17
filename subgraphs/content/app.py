"""The content subgraph's ASGI app (``uvicorn --factory subgraphs.content.app:create_app``, port 8002)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from kcp.events import EventEmitter
from kcp.identity import IdentityResolver
from kcp.llm import writing_seconds
from kcp.service import SubgraphService, create_subgraph_app
from kcp.settings import get_settings
from subgraphs.content.context import ContentServices, Context, build_context
from subgraphs.content.generation.facts import KnowledgeFacts
from subgraphs.content.generation.grounding import KnowledgePassages
from subgraphs.content.generation.providers import choose_provider
from subgraphs.content.generation.repository import JobRepository
from subgraphs.content.generation.service import GenerationService
from subgraphs.content.items.repository import ContentRepository
from subgraphs.content.items.service import ContentItemService
from subgraphs.content.schema import schema
from subgraphs.content.stores import SERVICE, ContentStores
from subgraphs.content.templates.repository import TemplateRepository
from subgraphs.content.templates.service import TemplateService

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request

    from kcp.settings import Settings


def create_app(
    settings: Settings | None = None,
    *,
    knowledge_http: httpx.AsyncClient | None = None,
    analytics_http: httpx.AsyncClient | None = None,
) -> Starlette:
    """Open the stores (lazily), create the indexes at start-up and serve the schema.

    ``knowledge_http`` / ``analytics_http`` replace the HTTP clients to those services (tests hand
    in clients bound to the real apps in-process). LLMs are reached through their SDKs, whose
    endpoints are settings (``OPENAI_BASE_URL``, ``ANTHROPIC_BASE_URL``).
    """
    settings = settings or get_settings()
    stores = ContentStores.open(settings)
    identities = IdentityResolver(settings)
    identity_secret = settings.kcp_identity_secret.get_secret_value() if settings.kcp_identity_secret else None
    outbound = httpx.AsyncClient()
    events = EventEmitter(settings, service=SERVICE, client=analytics_http)
    repository = ContentRepository(stores.documents)
    template_repository = TemplateRepository(stores.documents)
    items = ContentItemService(repository)
    templates = TemplateService(template_repository)
    services = ContentServices(
        repository=repository,
        template_repository=template_repository,
        items=items,
        templates=templates,
        generation=GenerationService(
            enabled=settings.enable_content_generation,
            facts=KnowledgeFacts(settings.knowledge_service_url, knowledge_http or outbound, identity_secret),
            grounding=KnowledgePassages(settings.knowledge_service_url, knowledge_http or outbound, identity_secret),
            provider=choose_provider(settings),
            items=items,
            templates=templates,
            jobs=JobRepository(stores.documents),
            events=events,
            llm_seconds=writing_seconds(settings),
        ),
    )

    async def context_factory(request: Request) -> Context:
        return build_context(request, await identities(request.headers), services)

    app = create_subgraph_app(
        SubgraphService(
            name=SERVICE,
            schema=schema,
            context_factory=context_factory,
            readiness={"documents": stores.documents.ping},
            startup=[stores.ensure_schema, events.start],
            shutdown=[events.stop, outbound.aclose, stores.close],
        ),
        settings,
    )
    app.state.events = events
    return app

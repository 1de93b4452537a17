"""The per-request context of the content subgraph: the caller, the services, fresh DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from subgraphs.content.items.loaders import ContentLoaders, build_loaders

if TYPE_CHECKING:
    from starlette.requests import Request

    from kcp.identity import Identity
    from subgraphs.content.generation.service import GenerationService
    from subgraphs.content.items.repository import ContentRepository
    from subgraphs.content.items.service import ContentItemService
    from subgraphs.content.templates.repository import TemplateRepository
    from subgraphs.content.templates.service import TemplateService


@dataclass(frozen=True, slots=True)
class ContentServices:
    """Built once per process (they hold no per-request state)."""

    repository: ContentRepository
    template_repository: TemplateRepository
    items: ContentItemService
    templates: TemplateService
    generation: GenerationService


@dataclass(frozen=True, slots=True)
class Context:
    request: Request
    identity: Identity
    items: ContentItemService
    templates: TemplateService
    generation: GenerationService
    loaders: ContentLoaders


def build_context(request: Request, identity: Identity, services: ContentServices) -> Context:
    """A fresh context, with fresh DataLoaders, for one request."""
    return Context(
        request=request,
        identity=identity,
        items=services.items,
        templates=services.templates,
        generation=services.generation,
        loaders=build_loaders(services.repository, services.template_repository),
    )

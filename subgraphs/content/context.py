"""The per-request context of the content subgraph: services, DataLoaders, the caller's token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from subgraphs.content.items.loaders import ContentLoaders, build_loaders
from subgraphs.content.items.repository import ContentRepository
from subgraphs.content.items.service import ContentItemService

if TYPE_CHECKING:
    from starlette.requests import Request

    from subgraphs.content.stores import ContentStores


@dataclass(frozen=True, slots=True)
class Context:
    request: Request
    authorization: str | None
    """The raw ``Authorization`` header; checked against scopes once auth integration lands."""
    items: ContentItemService
    loaders: ContentLoaders


def build_context(request: Request, stores: ContentStores) -> Context:
    """A fresh context, with fresh DataLoaders, for one request."""
    repository = ContentRepository(stores.documents)
    return Context(
        request=request,
        authorization=request.headers.get("authorization"),
        items=ContentItemService(repository),
        loaders=build_loaders(repository),
    )

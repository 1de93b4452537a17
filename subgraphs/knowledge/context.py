"""The per-request context: services, and DataLoaders built once per request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import strawberry

from subgraphs.knowledge.articles.loaders import ArticleLoaders
from subgraphs.knowledge.articles.repository import ArticleRepository
from subgraphs.knowledge.articles.service import ArticleService
from subgraphs.knowledge.catalog.loaders import CatalogLoaders
from subgraphs.knowledge.catalog.repository import CatalogRepository
from subgraphs.knowledge.catalog.service import CatalogService
from subgraphs.knowledge.relations.loaders import RelationLoaders
from subgraphs.knowledge.relations.repository import RelationRepository
from subgraphs.knowledge.troubleshooting.loaders import TroubleshootingLoaders
from subgraphs.knowledge.troubleshooting.repository import TroubleshootingRepository
from subgraphs.knowledge.troubleshooting.service import TroubleshootingService

if TYPE_CHECKING:
    from subgraphs.knowledge.stores import KnowledgeStores


@dataclass(frozen=True, slots=True)
class Loaders:
    catalog: CatalogLoaders
    troubleshooting: TroubleshootingLoaders
    articles: ArticleLoaders
    relations: RelationLoaders


@dataclass(frozen=True, slots=True)
class Context:
    loaders: Loaders
    catalog: CatalogService
    troubleshooting: TroubleshootingService
    articles: ArticleService
    authorization: str | None = None


def build_context(stores: KnowledgeStores, authorization: str | None = None) -> Context:
    """A fresh context (and fresh DataLoader caches) for one request."""
    catalog = CatalogRepository(stores.relational)
    articles = ArticleRepository(stores.relational)
    loaders = Loaders(
        catalog=CatalogLoaders.build(catalog),
        troubleshooting=TroubleshootingLoaders.build(TroubleshootingRepository(stores.relational)),
        articles=ArticleLoaders.build(articles),
        relations=RelationLoaders(RelationRepository(stores.graph)),
    )
    return Context(
        loaders=loaders,
        catalog=CatalogService(catalog, loaders.catalog),
        troubleshooting=TroubleshootingService(loaders.troubleshooting),
        articles=ArticleService(articles, loaders.articles),
        authorization=authorization,
    )


Info = strawberry.Info[Context, None]

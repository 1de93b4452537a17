"""The per-request context: the caller, services, and DataLoaders built once per request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar

import strawberry
from strawberry.dataloader import DataLoader

from subgraphs.knowledge.answers.service import AnswerService
from subgraphs.knowledge.articles.loaders import ArticleLoaders
from subgraphs.knowledge.articles.repository import ArticleRepository
from subgraphs.knowledge.articles.service import ArticleService
from subgraphs.knowledge.catalog.loaders import CatalogLoaders
from subgraphs.knowledge.catalog.repository import CatalogRepository
from subgraphs.knowledge.catalog.service import CatalogService
from subgraphs.knowledge.relations.loaders import RelationLoaders
from subgraphs.knowledge.relations.repository import RelationRepository
from subgraphs.knowledge.relations.service import Exists, RelationService
from subgraphs.knowledge.retrieval.indexing import Indexer
from subgraphs.knowledge.retrieval.repository import ChunkRepository
from subgraphs.knowledge.retrieval.service import Retriever
from subgraphs.knowledge.search.connect import open_search
from subgraphs.knowledge.search.service import SearchService
from subgraphs.knowledge.troubleshooting.loaders import TroubleshootingLoaders
from subgraphs.knowledge.troubleshooting.repository import TroubleshootingRepository
from subgraphs.knowledge.troubleshooting.service import TroubleshootingService

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kcp.identity import Identity
    from subgraphs.knowledge.catalog.types import FirmwareVersion, Product
    from subgraphs.knowledge.relations.types import NodeKind, RelatedRecord
    from subgraphs.knowledge.search.events import EventSink
    from subgraphs.knowledge.stores import KnowledgeStores

Row = TypeVar("Row")
SUGGESTION_POOL = 10  # ranked solutions kept per ticket text; `suggestedSolutions(first:)` takes from these


@dataclass(frozen=True, slots=True)
class Loaders:
    catalog: CatalogLoaders
    troubleshooting: TroubleshootingLoaders
    articles: ArticleLoaders
    relations: RelationLoaders
    suggestions: DataLoader[str, list[tuple[str, float]]]  # ticket text -> (solution id, score), best first


class UpperTypes(Protocol):
    """API objects for the fields that point up the type modules' import order.

    The type modules import each other one way: troubleshooting, then catalog (a product lists
    its known issues), then relations (any record as a node). The few fields that point the other
    way (a known issue's firmware and products, a product's related records) build their objects
    through this instead of importing the module above; ``relations.types.UPPER_TYPES`` is the
    implementation and the app puts it in every context.
    """

    async def firmware(self, info: Info, ids: Sequence[str]) -> list[FirmwareVersion]: ...
    async def products(self, info: Info, ids: Sequence[str]) -> list[Product]: ...
    async def related(
        self, info: Info, record_id: str, *, depth: int, kinds: list[NodeKind] | None, first: int
    ) -> list[RelatedRecord]: ...


@dataclass(frozen=True, slots=True)
class Context:
    identity: Identity
    loaders: Loaders
    upper: UpperTypes
    catalog: CatalogService
    troubleshooting: TroubleshootingService
    articles: ArticleService
    search: SearchService
    relations: RelationService
    answers: AnswerService
    rag: bool  # ENABLE_RAG_ENGINE
    knowledge_graph: bool  # ENABLE_KNOWLEDGE_GRAPH
    events: EventSink
    # What the response's ``extensions`` should tell (a degraded retrieval); see RetrievalNotes.
    notes: dict[str, object] = field(default_factory=dict)


def _exists(loader: DataLoader[str, Row | None]) -> Exists:
    async def exists(record_id: str) -> bool:
        return await loader.load(record_id) is not None

    return exists


def build_context(stores: KnowledgeStores, identity: Identity, events: EventSink, upper: UpperTypes) -> Context:
    """A fresh context (and fresh DataLoader caches) for one request."""
    catalog = CatalogRepository(stores.relational)
    articles = ArticleRepository(stores.relational)
    relations = RelationRepository(stores.graph)
    chunks = ChunkRepository(stores.relational)
    keyword = open_search(stores.relational)
    retriever = Retriever(keyword, chunks, relations, stores.vectors if stores.rag else None)
    search = SearchService(keyword, relations, events, retriever if stores.rag else None, graph=stores.knowledge_graph)
    indexer = Indexer(chunks, stores.vectors) if stores.rag else None

    async def suggest(texts: list[str]) -> list[list[tuple[str, float]]]:
        return await search.suggestions(texts, limit=SUGGESTION_POOL)

    troubleshooting = TroubleshootingRepository(stores.relational)
    loaders = Loaders(
        catalog=CatalogLoaders.build(catalog),
        troubleshooting=TroubleshootingLoaders.build(troubleshooting),
        articles=ArticleLoaders.build(articles),
        relations=RelationLoaders(relations),
        suggestions=DataLoader(load_fn=suggest),
    )
    exists: dict[str, Exists] = {
        "Product": _exists(loaders.catalog.product),
        "Feature": _exists(loaders.catalog.feature),
        "Firmware": _exists(loaders.catalog.firmware),
        "KnownIssue": _exists(loaders.troubleshooting.known_issue),
        "Solution": _exists(loaders.troubleshooting.solution),
        "Article": _exists(loaders.articles.article),
    }
    return Context(
        identity=identity,
        loaders=loaders,
        upper=upper,
        catalog=CatalogService(catalog, loaders.catalog, relations),
        troubleshooting=TroubleshootingService(troubleshooting, loaders.troubleshooting),
        articles=ArticleService(
            articles, loaders.articles, identity, on_change=None if indexer is None else indexer.reindex_article
        ),
        search=search,
        relations=RelationService(relations, exists, identity),
        answers=AnswerService(
            retriever,
            chunks,
            stores.vectors.embedder if stores.rag else None,
            events,
            exists["Product"],
            rag=stores.rag,
            graph=stores.knowledge_graph,
            llm=stores.llm,
            llm_seconds=stores.llm_seconds,
        ),
        rag=stores.rag,
        knowledge_graph=stores.knowledge_graph,
        events=events,
    )


Info = strawberry.Info[Context, None]

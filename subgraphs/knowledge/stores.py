"""The knowledge subgraph's stores: the relational records, the knowledge graph, the passages' vectors."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import structlog
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from kcp.embeddings import open_embedder
from kcp.llm import open_chat_model, writing_seconds
from kcp.migrations import Migrations
from kcp.stores.connect import open_graph_store
from kcp.stores.relational import RelationalStore, is_unreachable, open_relational_store
from kcp.vectors import open_vector_store
from subgraphs.knowledge.relations.repository import RelationRepository
from subgraphs.knowledge.retrieval.indexing import VectorIndex
from subgraphs.knowledge.search.postgres import ensure_index as ensure_postgres_index
from subgraphs.knowledge.search.repository import ensure_index
from subgraphs.knowledge.tables import Base

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kcp.llm import ChatModel
    from kcp.settings import Settings
    from kcp.stores.graph import GraphStore

log = structlog.get_logger()

SERVICE = "knowledge"
MIGRATIONS = Migrations(SERVICE, Base.metadata, Path(__file__).parent / "migrations")


@dataclass
class KnowledgeStores:
    """Opened once per process; the graph engine itself opens on its first query."""

    relational: RelationalStore
    graph: GraphStore
    vectors: VectorIndex  # opened (and the embedding model loaded) on first use
    llm: ChatModel | None = None  # writes `ask` answers when OPENAI_API_KEY or ANTHROPIC_API_KEY is set
    llm_seconds: float = 7.0  # how long `ask` lets it write (kcp.llm.writing_seconds)
    rag: bool = True  # ENABLE_RAG_ENGINE
    knowledge_graph: bool = True  # ENABLE_KNOWLEDGE_GRAPH
    # The graph server did not answer at start: its schema is declared when it first answers.
    _graph_schema_pending: bool = field(default=False, repr=False)

    @classmethod
    def open(cls, settings: Settings) -> KnowledgeStores:
        relational = open_relational_store(settings, SERVICE, MIGRATIONS)
        return cls(
            relational=relational,
            graph=open_graph_store(settings, SERVICE),
            vectors=VectorIndex(open_embedder(settings), open_vector_store(settings, SERVICE, relational)),
            llm=open_chat_model(settings),
            llm_seconds=writing_seconds(settings),
            rag=settings.enable_rag_engine,
            knowledge_graph=settings.enable_knowledge_graph,
        )

    async def ensure_schema(self) -> None:
        """Apply the pending migrations, make the search index, declare the graph's node and relationship types."""
        await self.relational.ensure_schema()
        # The full-text index is outside the migrated models: an FTS5 virtual table on SQLite,
        # generated tsvector columns with GIN indexes on PostgreSQL.
        async with self.relational.engine.begin() as connection:
            if self.relational.engine.dialect.name == "sqlite":
                await ensure_index(connection)
            else:
                await ensure_postgres_index(connection)
        try:
            await RelationRepository(self.graph).ensure_schema()
        except Exception as error:
            if not is_unreachable(error):
                raise
            # Like the relational store: a graph server that is down does not stop the start;
            # /ready names it until it answers.
            log.warning("graph.unreachable_at_start", service=SERVICE, variable="NEO4J_URI", error=str(error))
            self._graph_schema_pending = True

    async def ping_graph(self) -> None:
        """Raise unless the graph answers (and, if start-up could not reach it, declare its schema now)."""
        await self.graph.ping()
        if self._graph_schema_pending:
            await RelationRepository(self.graph).ensure_schema()
            self._graph_schema_pending = False

    async def insert_missing(self, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
        """Insert the rows whose key is not stored yet; stored rows are left untouched."""
        if not rows:
            return
        dialect = self.relational.engine.dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        async with self.relational.transaction() as session:
            await session.execute(insert(model).on_conflict_do_nothing(), list(rows))

    async def count(self, model: type[Base]) -> int:
        async with self.relational.reading() as session:
            return int((await session.scalar(select(func.count()).select_from(model))) or 0)

    async def close(self) -> None:
        await self.vectors.close()
        await self.graph.close()
        await self.relational.close()

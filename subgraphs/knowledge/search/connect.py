"""Picks the full-text search that matches the relational store: FTS5 on SQLite, tsvector on PostgreSQL."""

from __future__ import annotations

from typing import TYPE_CHECKING

from subgraphs.knowledge.search.postgres import PostgresSearch
from subgraphs.knowledge.search.repository import Fts5Search

if TYPE_CHECKING:
    from kcp.stores.relational import RelationalStore
    from subgraphs.knowledge.search.repository import SearchRepository


def open_search(relational: RelationalStore) -> SearchRepository:
    if relational.engine.dialect.name == "postgresql":
        return PostgresSearch(relational)
    return Fts5Search(relational)

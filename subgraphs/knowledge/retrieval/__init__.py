"""Retrieval: chunking and indexing of published records, and hybrid (keyword + vector + graph) search."""

"""Content subgraph: content items with immutable revisions, and ``Product.content``."""

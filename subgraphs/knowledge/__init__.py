"""The knowledge subgraph: products, features, known issues, solutions and articles.

Records live in the relational store; the relations between them (HAS_FEATURE, AFFECTED_BY,
RESOLVED_BY, ...) live in the knowledge graph and are exposed as nested GraphQL fields.
"""

"""The knowledge graph's node and relationship types.

Nodes carry only the id of the relational record they stand for. The embedded engine (ladybug)
needs its tables declared before use; Neo4j will get uniqueness constraints on ``id`` instead.
"""

from __future__ import annotations

from dataclasses import dataclass

NODE_LABELS: tuple[str, ...] = ("Product", "Feature", "KnownIssue", "Solution", "Article", "Firmware")


@dataclass(frozen=True, slots=True)
class RelationType:
    """One relationship type: its name, end labels and the properties it carries."""

    name: str
    source: str
    target: str
    properties: tuple[tuple[str, str], ...] = ()  # (name, ladybug type)


HAS_FEATURE = RelationType("HAS_FEATURE", "Product", "Feature")
COMPATIBLE_WITH = RelationType("COMPATIBLE_WITH", "Product", "Product")
AFFECTED_BY = RelationType("AFFECTED_BY", "Product", "KnownIssue")
RESOLVED_BY = RelationType("RESOLVED_BY", "KnownIssue", "Solution", (("position", "INT64"),))
DOCUMENTED_IN = RelationType("DOCUMENTED_IN", "Solution", "Article")
SUCCEEDS = RelationType("SUCCEEDS", "Product", "Product")  # newer -> older
ACCESSORY_FOR = RelationType("ACCESSORY_FOR", "Product", "Product")  # accessory -> device
HAS_FIRMWARE = RelationType("HAS_FIRMWARE", "Product", "Firmware")
AFFECTS_FIRMWARE = RelationType("AFFECTS_FIRMWARE", "KnownIssue", "Firmware")

RELATION_TYPES: tuple[RelationType, ...] = (
    HAS_FEATURE,
    COMPATIBLE_WITH,
    AFFECTED_BY,
    RESOLVED_BY,
    DOCUMENTED_IN,
    SUCCEEDS,
    ACCESSORY_FOR,
    HAS_FIRMWARE,
    AFFECTS_FIRMWARE,
)
RELATIONS_BY_NAME: dict[str, RelationType] = {relation.name: relation for relation in RELATION_TYPES}


def schema_statements(dialect: str = "kuzu") -> list[str]:
    """The DDL that declares every node and relationship table (Kuzu), or the id constraints (Neo4j).

    Safe to run again on both.
    """
    if dialect == "neo4j":
        return [
            f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
            for label in NODE_LABELS
        ]
    statements = [f"CREATE NODE TABLE IF NOT EXISTS {label}(id STRING, PRIMARY KEY(id))" for label in NODE_LABELS]
    for relation in RELATION_TYPES:
        properties = "".join(f", {name} {kind}" for name, kind in relation.properties)
        statements.append(
            f"CREATE REL TABLE IF NOT EXISTS {relation.name}(FROM {relation.source} TO {relation.target}{properties})"
        )
    return statements

"""GraphQL types of the knowledge graph itself: any record as a node, related records, paths, links."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from subgraphs.knowledge.articles.types import Article
from subgraphs.knowledge.catalog.types import Feature, FirmwareVersion, Product
from subgraphs.knowledge.relations.service import check_related
from subgraphs.knowledge.troubleshooting.types import KnownIssue, Solution

if TYPE_CHECKING:
    from collections.abc import Sequence

    from subgraphs.knowledge.context import Info


@strawberry.enum(description="The kinds of record the knowledge graph holds.")
class NodeKind(Enum):
    PRODUCT = "Product"
    FEATURE = "Feature"
    KNOWN_ISSUE = "KnownIssue"
    SOLUTION = "Solution"
    ARTICLE = "Article"
    FIRMWARE = "Firmware"


@strawberry.enum(description="The relations editors may link records with (from → to).")
class RelationKind(Enum):
    HAS_FEATURE = "HAS_FEATURE"  # Product → Feature
    COMPATIBLE_WITH = "COMPATIBLE_WITH"  # Product → Product
    ACCESSORY_FOR = "ACCESSORY_FOR"  # Product (accessory) → Product
    SUCCEEDS = "SUCCEEDS"  # Product (newer) → Product (older)
    AFFECTED_BY = "AFFECTED_BY"  # Product → KnownIssue
    AFFECTS_FIRMWARE = "AFFECTS_FIRMWARE"  # KnownIssue → Firmware
    RESOLVED_BY = "RESOLVED_BY"  # KnownIssue → Solution (with a position)
    DOCUMENTED_IN = "DOCUMENTED_IN"  # Solution → Article


KnowledgeNode = Annotated[
    Product | Feature | KnownIssue | Solution | Article | FirmwareVersion, strawberry.union("KnowledgeNode")
]


@strawberry.type(description="A record near another one in the knowledge graph.")
class RelatedRecord:
    kind: NodeKind
    distance: int = strawberry.field(description="Relations between the two records (1 = directly linked).")
    node: KnowledgeNode


@strawberry.type(description="A shortest chain of relations between two records, both ends included.")
class KnowledgePath:
    length: int = strawberry.field(description="The number of relations on the path.")
    nodes: list[KnowledgeNode]


@strawberry.type(description="A link between two records, as an editor created or removed it.")
class GraphLink:
    relation: RelationKind
    source: KnowledgeNode | None = strawberry.field(description="Null when the caller may not see the record.")
    target: KnowledgeNode | None
    position: int | None
    changed: bool = strawberry.field(description="False when the link already existed (create) or was absent (remove).")


@strawberry.input
class LinkInput:
    relation: RelationKind
    source_id: strawberry.ID = strawberry.field(description="The `from` end (see RelationKind).")
    target_id: strawberry.ID = strawberry.field(description="The `to` end.")
    position: int | None = strawberry.field(default=None, description="RESOLVED_BY only: the order to try it in.")


async def load_nodes(info: Info, nodes: Sequence[tuple[str, str]]) -> list[KnowledgeNode | None]:
    """Records for (graph label, id) pairs, one batched load per kind.

    Unpublished articles load as None unless the caller has ``knowledge:read``.
    """
    wanted: dict[str, list[str]] = {}
    for label, record_id in nodes:
        wanted.setdefault(label, []).append(record_id)
    loaded: dict[tuple[str, str], KnowledgeNode | None] = {}
    for label, ids in wanted.items():
        for record_id, node in zip(ids, await _load_kind(info, label, ids), strict=True):
            loaded[(label, record_id)] = node
    return [loaded[pair] for pair in nodes]


async def _load_kind(info: Info, label: str, ids: list[str]) -> Sequence[KnowledgeNode | None]:
    loaders = info.context.loaders
    kind = NodeKind(label)
    if kind is NodeKind.PRODUCT:
        return [None if r is None else Product.from_model(r) for r in await loaders.catalog.product.load_many(ids)]
    if kind is NodeKind.FEATURE:
        return [None if r is None else Feature.from_model(r) for r in await loaders.catalog.feature.load_many(ids)]
    if kind is NodeKind.FIRMWARE:
        firmware = await loaders.catalog.firmware.load_many(ids)
        return [None if r is None else FirmwareVersion.from_model(r) for r in firmware]
    if kind is NodeKind.KNOWN_ISSUE:
        issues = await loaders.troubleshooting.known_issue.load_many(ids)
        return [None if r is None else KnownIssue.from_model(r) for r in issues]
    if kind is NodeKind.SOLUTION:
        solutions = await loaders.troubleshooting.solution.load_many(ids)
        return [None if r is None else Solution.from_model(r) for r in solutions]
    articles = await info.context.articles.articles_by_id(ids)
    return [None if r is None else Article.from_model(r) for r in articles]


async def related_records(
    info: Info, record_id: str, *, depth: int, kinds: list[NodeKind] | None, first: int
) -> list[RelatedRecord]:
    check_related(depth, first)
    labels = tuple(kind.value for kind in (kinds or list(NodeKind)))
    found = await info.context.loaders.relations.neighbourhood(depth, labels).load(record_id)
    # Drafts are invisible here, so load a few more than asked for and keep the first visible ones.
    candidates = found[: first * 2]
    records = await load_nodes(info, [(label, node_id) for label, node_id, _ in candidates])
    related = [
        RelatedRecord(kind=NodeKind(label), distance=distance, node=node)
        for (label, _, distance), node in zip(candidates, records, strict=True)
        if node is not None
    ]
    return related[:first]


class _UpperTypes:
    """``context.UpperTypes``: this module imports every record type, so it can build them all."""

    async def firmware(self, info: Info, ids: Sequence[str]) -> list[FirmwareVersion]:
        rows = await info.context.loaders.catalog.firmware.load_many(ids)
        return [FirmwareVersion.from_model(row) for row in rows if row is not None]

    async def products(self, info: Info, ids: Sequence[str]) -> list[Product]:
        rows = await info.context.loaders.catalog.product.load_many(ids)
        return [Product.from_model(row) for row in rows if row is not None]

    async def related(
        self, info: Info, record_id: str, *, depth: int, kinds: list[NodeKind] | None, first: int
    ) -> list[RelatedRecord]:
        return await related_records(info, record_id, depth=depth, kinds=kinds, first=first)


UPPER_TYPES = _UpperTypes()

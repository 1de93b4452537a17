"""The document stage: which text runs (persisted id, APQ or free-form), parsed, validated, normalised.

Parse, validation and normalisation are cached by the document's hash (``router.documents``), so
a repeated document costs a dictionary look-up. Every later stage reads the ``Operation`` this
stage returns: one operation of a valid document with its fragments inlined
(``router.pipeline.normalise``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from graphql import OperationType

from kcp.identity.caller import CallerKind
from router.documents import select_operation

if TYPE_CHECKING:
    from graphql import DocumentNode, OperationDefinitionNode

    from kcp.identity.caller import Caller
    from router.documents import DocumentCache
    from router.pipeline.canonical import Canonical
    from router.pipeline.http import GraphQLRequest
    from router.policy.edge import Edge


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of a validated, normalised document: what the later stages read."""

    hash: str
    characters: int  # of the client's document: the weight of what later stages keep for it
    document: DocumentNode
    definition: OperationDefinitionNode
    # Its canonical form (``router.pipeline.canonical``): what plans are cached by, when it has one.
    canonical: Canonical | None = None

    @property
    def name(self) -> str | None:
        return self.definition.name.value if self.definition.name else None

    @property
    def is_mutation(self) -> bool:
        return self.definition.operation == OperationType.MUTATION


async def document_text(edge: Edge, params: GraphQLRequest, caller: Caller) -> str:
    """The text to run: the request's own, or the persisted document its id names."""
    partner = caller.subject if caller.kind is CallerKind.PARTNER else None
    return await edge.persisted.query_for(params.query, params.extensions, partner=partner)


def operation(documents: DocumentCache, query: str, operation_name: str | None) -> Operation:
    """The operation to run, from a document parsed, validated and normalised once (cached)."""
    valid = documents.get(query)
    definition = select_operation(valid.document, operation_name)
    return Operation(valid.hash, valid.characters, valid.document, definition, valid.canonical)

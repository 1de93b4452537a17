"""Parse and validate client operations against the API schema, cached by the document's hash.

A document is parsed and validated once per distinct text; failures are cached too, so a client
repeating a broken query costs a dictionary look-up.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import OperationDefinitionNode, validate
from graphql.execution.values import get_variable_values

from kcp.edge.document import MAX_EXPANDED_FIELDS, MAX_TOKENS, DocumentLimits, expanded_fields_error, parse_within
from kcp.edge.shape import OperationLimits
from kcp.errors import ErrorCode
from router.errors import RouterError, graphql_error
from router.lru import LruCache
from router.pipeline.normalise import normalise

if TYPE_CHECKING:
    from collections.abc import Mapping

    from graphql import DocumentNode, GraphQLSchema

DEFAULT_CACHE_SIZE = 1000
__all__ = ["MAX_EXPANDED_FIELDS", "MAX_TOKENS", "DocumentCache", "ValidDocument", "check_variables"]


@dataclass(frozen=True, slots=True)
class ValidDocument:
    """A parsed document that passed validation against the API schema, its fragments inlined."""

    hash: str
    document: DocumentNode


def document_hash(query: str) -> str:
    # surrogatepass: JSON can carry a lone surrogate, and hashing must not raise on one.
    return hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest()


class DocumentCache:
    """LRU of parse + validate results keyed by the sha256 of the document text."""

    def __init__(
        self, schema: GraphQLSchema, max_size: int = DEFAULT_CACHE_SIZE, *, limits: OperationLimits | None = None
    ) -> None:
        self.schema = schema
        self.limits = DocumentLimits(shape=limits or OperationLimits())
        # A refusal is cached as its error list, never as the exception: an exception object raised
        # again keeps growing its traceback, and with it the frames (and requests) it holds.
        self._entries: LruCache[str, ValidDocument | list[dict[str, Any]]] = LruCache(max_size, name="documents")

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, query: str) -> ValidDocument:
        """The validated document, or raise RouterError with PARSE/VALIDATION_FAILED errors."""
        key = document_hash(query)
        entry = self._entries.get(key, lambda: self._load(key, query))
        if isinstance(entry, list):
            raise RouterError(entry)
        return entry

    def _load(self, key: str, query: str) -> ValidDocument | list[dict[str, Any]]:
        # Token and shape limits before validation, which is where hostile shapes cost seconds.
        document = parse_within(query, self.limits)
        if isinstance(document, list):
            return document
        errors = validate(self.schema, document)
        if errors:
            return [graphql_error(e, ErrorCode.GRAPHQL_VALIDATION_FAILED) for e in errors]
        too_many = expanded_fields_error(document, self.limits)
        if too_many is not None:
            return [too_many]
        return ValidDocument(hash=key, document=normalise(document))


def select_operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode:
    """The operation to run: the named one, or the only one."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        if len(operations) == 1:
            return operations[0]
        msg = "the document has several operations; say which one with operationName"
        raise RouterError.of(msg, ErrorCode.OPERATION_NOT_FOUND)
    for operation in operations:
        if operation.name is not None and operation.name.value == operation_name:
            return operation
    msg = f"unknown operation named {operation_name!r}"
    raise RouterError.of(msg, ErrorCode.OPERATION_NOT_FOUND)


def check_variables(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Mapping[str, Any]) -> None:
    """Refuse variables that do not coerce to their declared types (BAD_USER_INPUT).

    The raw values, not the coerced ones, are forwarded to subgraphs: they coerce them again, and
    raw JSON survives the trip unchanged where coerced custom scalars might not.
    """
    result = get_variable_values(schema, operation.variable_definitions or (), dict(variables))
    if isinstance(result, list):
        raise RouterError([graphql_error(e, ErrorCode.BAD_USER_INPUT) for e in result])

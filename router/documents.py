"""Parse and validate client operations against the API schema, cached by the document's hash.

A document is parsed and validated once per distinct text; failures are cached too, so a client
repeating a broken query costs a dictionary look-up.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    parse,
    validate,
)
from graphql.execution.values import get_variable_values

from kcp.errors import ErrorCode
from router.errors import RouterError, build_error, graphql_error
from router.lru import LruCache
from router.pipeline.normalise import normalise
from router.policy.limits import OperationLimits, limit_errors

if TYPE_CHECKING:
    from collections.abc import Mapping

    from graphql import DocumentNode, GraphQLSchema, SelectionSetNode

DEFAULT_CACHE_SIZE = 1000
# Documents longer than this are refused at parse time, before validation can be made to work hard.
# (graphql-core itself refuses nesting deeper than 200, in the parser and through fragments.)
MAX_TOKENS = 15_000
# Fields an operation may select once its fragments are expanded. Spreading a fragment twice that
# spreads the next one twice, and so on, doubles the work per level: 20 levels are a million fields
# for the planner and shaping to walk, from a document of a few hundred tokens.
MAX_EXPANDED_FIELDS = 10_000


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
        self.limits = limits or OperationLimits()
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
        try:
            document = parse(query, max_tokens=MAX_TOKENS)
        except GraphQLError as exc:
            return [graphql_error(exc, ErrorCode.GRAPHQL_PARSE_FAILED)]
        # Before validation, which is where hostile shapes (alias and fragment bombs) cost seconds.
        refused = limit_errors(document, self.limits)
        if refused:
            return refused
        errors = validate(self.schema, document)
        if errors:
            return [graphql_error(e, ErrorCode.GRAPHQL_VALIDATION_FAILED) for e in errors]
        if expanded_field_count(document) > MAX_EXPANDED_FIELDS:
            msg = f"the operation selects more than {MAX_EXPANDED_FIELDS} fields once its fragments are expanded"
            return [build_error(msg, ErrorCode.GRAPHQL_VALIDATION_FAILED)]
        return ValidDocument(hash=key, document=normalise(document))


def expanded_field_count(document: DocumentNode) -> int:
    """The most fields any operation of a *validated* document selects with fragments inlined.

    Linear in the document: each fragment is counted once (validation has ruled out cycles and
    unknown fragments, and bounded the nesting, so the recursion is bounded too).
    """
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    counted: dict[str, int] = {}

    def count(selection_set: SelectionSetNode | None) -> int:
        total = 0
        for selection in selection_set.selections if selection_set is not None else ():
            if isinstance(selection, FieldNode):
                total += 1 + count(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                total += count(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in counted:
                    fragment = fragments.get(name)
                    counted[name] = 0 if fragment is None else count(fragment.selection_set)
                total += counted[name]
        return total

    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return max((count(operation.selection_set) for operation in operations), default=0)


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

"""Parse and validate client operations against the API schema, cached by the document's hash.

A document is parsed and validated once per distinct text; failures are cached too, so a client
repeating a broken query costs a dictionary look-up.

A new text that is an already validated operation rewritten (aliases, fragment names, field order,
operation name: the same canonical operation, ``router.pipeline.canonical``) is not validated
again: what its rewriting could make invalid is checked directly (its fragments are defined once,
each used, none cyclic, without directives of their own; each response key names one field), and
the rest of validation depends only on the canonical operation, validated once. A first document
is validated that way too: its canonical operation, as a document of its own, is cheaper to
validate than the written text; only when it fails is the text validated, for the client's errors.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
)
from graphql.execution.values import get_variable_values

from kcp.edge.document import (
    MAX_EXPANDED_FIELDS,
    MAX_TOKENS,
    DocumentLimits,
    expanded_field_count,
    expanded_fields_error,
    parse_within,
)
from kcp.edge.shape import OperationLimits
from kcp.errors import ErrorCode
from router.errors import RouterError, graphql_error
from router.lru import LruCache
from router.pipeline.canonical import Canonical, canonicalise
from router.pipeline.normalise import normalise
from router.validation import canonical_validation_errors, plainly_valid, validation_errors

if TYPE_CHECKING:
    from collections.abc import Mapping

    from graphql import DocumentNode, GraphQLSchema, SelectionSetNode

DEFAULT_CACHE_SIZE = 1000
# What is kept per document (its parsed tree, plan, shapes, authorization) grows with its text:
# each cache keeps at most this many characters' worth, as well as at most DEFAULT_CACHE_SIZE
# entries. Every trusted document of every client is ~6,000 characters today (schema/persisted),
# the TestQuery 750: room for those many times over and for GraphiQL's traffic, while 1,000 large
# documents from one client can no longer hold gigabytes (a body may be 2 MB).
CACHED_CHARACTERS = 500_000
# What one refusal's error weighs, in characters: its message, location and code.
REFUSAL_WEIGHT = 300
__all__ = ["MAX_EXPANDED_FIELDS", "MAX_TOKENS", "DocumentCache", "ValidDocument", "check_variables"]


@dataclass(frozen=True, slots=True)
class ValidDocument:
    """A parsed document that passed validation against the API schema, its fragments inlined."""

    hash: str
    characters: int  # of the client's text: what caching anything derived from it weighs
    document: DocumentNode
    # The canonical form of its operation when it has exactly one (the common case).
    canonical: Canonical | None = None


def document_hash(query: str) -> str:
    # surrogatepass: JSON can carry a lone surrogate, and hashing must not raise on one.
    return hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest()


def _weight(entry: ValidDocument | list[dict[str, Any]]) -> int:
    """A document weighs its length; a refusal its errors' (a few hundred characters), however long
    the document was, so a flood repeating one huge hostile document is refused from the cache."""
    if isinstance(entry, ValidDocument):
        return entry.characters
    return REFUSAL_WEIGHT * len(entry)


class DocumentCache:
    """LRU of parse + validate results keyed by the sha256 of the document text."""

    def __init__(
        self, schema: GraphQLSchema, max_size: int = DEFAULT_CACHE_SIZE, *, limits: OperationLimits | None = None
    ) -> None:
        self.schema = schema
        self.limits = DocumentLimits(shape=limits or OperationLimits())
        # A refusal is cached as its error list, never as the exception: an exception object raised
        # again keeps growing its traceback, and with it the frames (and requests) it holds.
        self._entries: LruCache[str, ValidDocument | list[dict[str, Any]]] = LruCache(
            max_size, max_weight=CACHED_CHARACTERS, second_sight=True, name="documents"
        )
        # Canonical operations that passed validation: their keys are 64-character digests, so
        # entries bound their memory without a character budget.
        self._valid_operations: LruCache[str, str] = LruCache(max_size, name="valid_operations")

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, query: str) -> ValidDocument:
        """The validated document, or raise RouterError with PARSE/VALIDATION_FAILED errors."""
        key = document_hash(query)
        entry = self._entries.get(key, lambda: self._load(key, query), _weight)
        if isinstance(entry, list):
            raise RouterError(entry)
        return entry

    def _load(self, key: str, query: str) -> ValidDocument | list[dict[str, Any]]:
        # Token and shape limits before validation, which is where hostile shapes cost seconds.
        document = parse_within(query, self.limits)
        if isinstance(document, list):
            return document
        shortcut = self._shortcut(document)
        if shortcut is not None and self._canonical_valid(shortcut[1], key, query):
            # Its canonical operation is valid; what its rewriting could break was checked.
            return ValidDocument(hash=key, characters=len(query), document=shortcut[0], canonical=shortcut[1])
        errors = validation_errors(self.schema, document, query)
        if errors:
            return [graphql_error(e, ErrorCode.GRAPHQL_VALIDATION_FAILED) for e in errors]
        too_many = expanded_fields_error(document, self.limits)
        if too_many is not None:
            return [too_many]
        if shortcut is not None:  # valid: its canonical operation is, for every rewriting of it
            self._valid_operations.put(shortcut[1].key, key)  # and the document that proved it
            return ValidDocument(hash=key, characters=len(query), document=shortcut[0], canonical=shortcut[1])
        normalised = normalise(document)
        operation = _single_operation(normalised)
        canonical = None if operation is None else canonicalise(self.schema, operation)
        return ValidDocument(hash=key, characters=len(query), document=normalised, canonical=canonical)

    def _canonical_valid(self, canonical: Canonical, key: str, query: str) -> bool:
        """Whether the canonical operation passes validation: remembered once it did, else checked
        now, as a document of its own.

        Validating it rather than the client's document is what makes a first document cheap: it
        has no fragments to walk again for every variable rule, and its shape repeats nothing.
        When it fails, the client's document is validated as written, so the errors (messages,
        locations) are the client's own.
        """
        if self._valid_operations.seen(canonical.key):
            return True
        if not plainly_valid(self.schema, canonical.definition) and canonical_validation_errors(
            self.schema, canonical, query
        ):
            return False
        self._valid_operations.put(canonical.key, key)  # and the document that proved it
        return True

    def _shortcut(self, document: DocumentNode) -> tuple[DocumentNode, Canonical] | None:
        """(normalised, canonical) for a document whose validity its canonical operation decides.

        Only what a rewriting of a valid operation can break is checked here; anything unusual
        (several operations, fragment directives, unknown or unused fragments, a cycle, too many
        fields, a response key naming two fields) goes through full validation instead, which
        reports it properly.
        """
        if not _fragments_sound(document) or expanded_field_count(document) > self.limits.max_expanded_fields:
            return None
        normalised = normalise(document)
        operation = _single_operation(normalised)
        canonical = None if operation is None else canonicalise(self.schema, operation)
        if canonical is None or not canonical.keys_consistent:
            return None
        return normalised, canonical


def _single_operation(document: DocumentNode) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return operations[0] if len(operations) == 1 else None


def _fragments_sound(document: DocumentNode) -> bool:  # noqa: C901 - one walk, each check a line
    """Fragments no rewriting can have made invalid: unique names, each defined, used, acyclic,
    without directives on a definition or other than ``@skip``/``@include`` on a spread."""
    fragments: dict[str, FragmentDefinitionNode] = {}
    operations = 0
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            name = definition.name.value
            if name in fragments or definition.directives or definition.variable_definitions:
                return False
            fragments[name] = definition
        elif isinstance(definition, OperationDefinitionNode):
            operations += 1
        else:
            return False
    if operations != 1:
        return False
    used: set[str] = set()
    visiting: list[str] = []

    def spreads_sound(selection_set: SelectionSetNode) -> bool:
        for selection in selection_set.selections:
            if isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in fragments or name in visiting:
                    return False
                if any(d.name.value not in {"skip", "include"} for d in selection.directives or ()):
                    return False
                if name not in used:
                    used.add(name)
                    visiting.append(name)
                    if not spreads_sound(fragments[name].selection_set):
                        return False
                    visiting.pop()
            elif (
                isinstance(selection, FieldNode | InlineFragmentNode)
                and selection.selection_set is not None
                and not spreads_sound(selection.selection_set)
            ):
                return False
        return True

    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    return spreads_sound(operation.selection_set) and used == set(fragments)


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

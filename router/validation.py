"""graphql-core's ``validate``, without the rules a document with no variables cannot break.

The five variable rules each collect the variable usages of every operation by walking it again,
with every fragment it spreads, a second full pass with type information: more than half of
validating the TestQuery. A document whose text has no ``$`` has no variable definitions and no
variable usages, so none of them can report anything; the other rules report the same errors in
the same order without them (each rule only appends its own errors; the context they share only
caches what it computed). A ``$`` anywhere, even inside a string, keeps every rule.

A canonical operation (``router.pipeline.canonical``) validated as a document of its own leaves
out nine more: it is the document's one definition, a query whose root type exists, anonymous,
with no fragment definition and no fragment spread, so the rules about a document's operations and
about named fragments have nothing to visit that could fail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import (
    DocumentNode,
    ExecutableDefinitionsRule,
    KnownFragmentNamesRule,
    KnownOperationTypesRule,
    LoneAnonymousOperationRule,
    NoFragmentCyclesRule,
    NoUndefinedVariablesRule,
    NoUnusedFragmentsRule,
    NoUnusedVariablesRule,
    SingleFieldSubscriptionsRule,
    UniqueFragmentNamesRule,
    UniqueOperationNamesRule,
    UniqueVariableNamesRule,
    VariablesAreInputTypesRule,
    VariablesInAllowedPositionRule,
    specified_rules,
    validate,
)

if TYPE_CHECKING:
    from graphql import GraphQLError, GraphQLSchema

    from router.pipeline.canonical import Canonical

VARIABLE_RULES = frozenset(
    {
        VariablesAreInputTypesRule,
        UniqueVariableNamesRule,
        NoUndefinedVariablesRule,
        NoUnusedVariablesRule,
        VariablesInAllowedPositionRule,
    }
)
RULES_WITHOUT_VARIABLES = tuple(rule for rule in specified_rules if rule not in VARIABLE_RULES)
# Nothing to report on a canonical operation: one anonymous query, no fragment definition or spread.
DOCUMENT_AND_FRAGMENT_RULES = frozenset(
    {
        ExecutableDefinitionsRule,
        KnownOperationTypesRule,
        UniqueOperationNamesRule,
        LoneAnonymousOperationRule,
        SingleFieldSubscriptionsRule,
        UniqueFragmentNamesRule,
        KnownFragmentNamesRule,
        NoUnusedFragmentsRule,
        NoFragmentCyclesRule,
    }
)
CANONICAL_RULES = tuple(rule for rule in specified_rules if rule not in DOCUMENT_AND_FRAGMENT_RULES)
CANONICAL_RULES_WITHOUT_VARIABLES = tuple(rule for rule in CANONICAL_RULES if rule not in VARIABLE_RULES)


def validation_errors(schema: GraphQLSchema, document: DocumentNode, text: str) -> list[GraphQLError]:
    """What ``validate(schema, document)`` reports, for ``document`` parsed from ``text`` (or
    rewritten from it: fragments inlined, its canonical form)."""
    return validate(schema, document, specified_rules if "$" in text else RULES_WITHOUT_VARIABLES)


def canonical_validation_errors(schema: GraphQLSchema, canonical: Canonical, text: str) -> list[GraphQLError]:
    """What ``validate`` reports for the canonical operation as a document of its own, for a
    client's document parsed from ``text``."""
    rules = CANONICAL_RULES if "$" in text else CANONICAL_RULES_WITHOUT_VARIABLES
    return validate(schema, DocumentNode(definitions=(canonical.definition,)), rules)

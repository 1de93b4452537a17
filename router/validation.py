"""graphql-core's ``validate``, without the rules that have nothing to check in the document.

Each rule left out is one that reports only on something the document provably lacks, so the
other rules report the same errors in the same order without it (each rule only appends its own
errors; the context they share only caches what it computed):

- a text without ``$`` has no variable definitions and no variable usages: the five variable
  rules, which each collect the usages of every operation by walking it again with every fragment
  it spreads (a second full pass with type information, more than half of validating the
  TestQuery), have nothing to report;
- a text without ``@`` has no directives: the six rules that look only at directives have none
  to look at (one of them visits every node to find them);
- a text without ``(`` has no arguments, hence no values (they are written only in arguments
  and variable defaults): the four rules about argument names and values have none to look at;
- a canonical operation (``router.pipeline.canonical``) validated as a document of its own is the
  document's one definition, a query whose root type exists, anonymous, with no fragment
  definition, no fragment spread and no introspection field: the nine rules about a document's
  operations and about named fragments have nothing to visit that could fail, nor has the one
  that bounds the depth below ``__schema`` and ``__type``.

A ``$``, ``@`` or ``(`` anywhere, even inside a string or a comment, keeps the rules it concerns.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from graphql import (
    DeferStreamDirectiveLabel,
    DeferStreamDirectiveOnRootField,
    DeferStreamDirectiveOnValidOperationsRule,
    DocumentNode,
    ExecutableDefinitionsRule,
    KnownArgumentNamesRule,
    KnownDirectivesRule,
    KnownFragmentNamesRule,
    KnownOperationTypesRule,
    LoneAnonymousOperationRule,
    MaxIntrospectionDepthRule,
    NoFragmentCyclesRule,
    NoUndefinedVariablesRule,
    NoUnusedFragmentsRule,
    NoUnusedVariablesRule,
    SingleFieldSubscriptionsRule,
    StreamDirectiveOnListField,
    UniqueArgumentNamesRule,
    UniqueDirectivesPerLocationRule,
    UniqueFragmentNamesRule,
    UniqueInputFieldNamesRule,
    UniqueOperationNamesRule,
    UniqueVariableNamesRule,
    ValuesOfCorrectTypeRule,
    VariablesAreInputTypesRule,
    VariablesInAllowedPositionRule,
    specified_rules,
    validate,
)

if TYPE_CHECKING:
    from graphql import ASTValidationRule, GraphQLError, GraphQLSchema

    from router.pipeline.canonical import Canonical

VARIABLE_RULES: frozenset[type[ASTValidationRule]] = frozenset(
    {
        VariablesAreInputTypesRule,
        UniqueVariableNamesRule,
        NoUndefinedVariablesRule,
        NoUnusedVariablesRule,
        VariablesInAllowedPositionRule,
    }
)
DIRECTIVE_RULES: frozenset[type[ASTValidationRule]] = frozenset(
    {
        KnownDirectivesRule,
        UniqueDirectivesPerLocationRule,
        DeferStreamDirectiveOnRootField,
        DeferStreamDirectiveOnValidOperationsRule,
        DeferStreamDirectiveLabel,
        StreamDirectiveOnListField,
    }
)
ARGUMENT_RULES: frozenset[type[ASTValidationRule]] = frozenset(
    {
        KnownArgumentNamesRule,
        UniqueArgumentNamesRule,
        ValuesOfCorrectTypeRule,
        UniqueInputFieldNamesRule,
    }
)
# Nothing to report on a canonical operation: one anonymous query, no fragment definition or
# spread, no introspection field.
CANONICAL_SILENT_RULES: frozenset[type[ASTValidationRule]] = frozenset(
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
        MaxIntrospectionDepthRule,
    }
)


def validation_errors(schema: GraphQLSchema, document: DocumentNode, text: str) -> list[GraphQLError]:
    """What ``validate(schema, document)`` reports, for ``document`` parsed from ``text``."""
    return validate(schema, document, rules_for(text, canonical=False))


def canonical_validation_errors(schema: GraphQLSchema, canonical: Canonical, text: str) -> list[GraphQLError]:
    """What ``validate`` reports for the canonical operation as a document of its own, for a
    client's document parsed from ``text``."""
    return validate(schema, DocumentNode(definitions=(canonical.definition,)), rules_for(text, canonical=True))


def rules_for(text: str, *, canonical: bool) -> tuple[type[ASTValidationRule], ...]:
    """graphql-core's specified rules, in their order, less those with nothing to check."""
    return _rules(canonical=canonical, variables="$" in text, directives="@" in text, arguments="(" in text)


@functools.cache
def _rules(
    *, canonical: bool, variables: bool, directives: bool, arguments: bool
) -> tuple[type[ASTValidationRule], ...]:
    left_out: set[type[ASTValidationRule]] = set()
    if canonical:
        left_out |= CANONICAL_SILENT_RULES
    if not variables:
        left_out |= VARIABLE_RULES
    if not directives:
        left_out |= DIRECTIVE_RULES
    if not arguments:
        left_out |= ARGUMENT_RULES
    return tuple(rule for rule in specified_rules if rule not in left_out)

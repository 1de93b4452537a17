"""graphql-core's ``validate``, without the rules a document with no variables cannot break.

The five variable rules each collect the variable usages of every operation by walking it again,
with every fragment it spreads, a second full pass with type information: more than half of
validating the TestQuery. A document whose text has no ``$`` has no variable definitions and no
variable usages, so none of them can report anything; the other rules report the same errors in
the same order without them (each rule only appends its own errors; the context they share only
caches what it computed). A ``$`` anywhere, even inside a string, keeps every rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import (
    NoUndefinedVariablesRule,
    NoUnusedVariablesRule,
    UniqueVariableNamesRule,
    VariablesAreInputTypesRule,
    VariablesInAllowedPositionRule,
    specified_rules,
    validate,
)

if TYPE_CHECKING:
    from graphql import DocumentNode, GraphQLError, GraphQLSchema

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


def validation_errors(schema: GraphQLSchema, document: DocumentNode, text: str) -> list[GraphQLError]:
    """What ``validate(schema, document)`` reports, for ``document`` parsed from ``text`` (or
    rewritten from it: fragments inlined, its canonical form)."""
    return validate(schema, document, specified_rules if "$" in text else RULES_WITHOUT_VARIABLES)

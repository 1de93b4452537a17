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

The plainest canonical operations (no variable, directive, argument or fragment spread; each
response key once per selection set) are not visited by graphql-core at all: ``plainly_valid``
checks in one walk what the rules left could report on them, and only says "valid" when none
would. Its visitor, with the type information it keeps for every node, was most of validating
the TestQuery (0.3 ms of 0.6 with no rule at all). Anything else is validated as before.
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
    FieldNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    InlineFragmentNode,
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
    OperationType,
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
    assert_valid_schema,
    do_types_overlap,
    get_named_type,
    is_composite_type,
    is_leaf_type,
    is_required_argument,
    specified_rules,
    validate,
)

if TYPE_CHECKING:
    from graphql import (
        ASTValidationRule,
        GraphQLCompositeType,
        GraphQLError,
        GraphQLSchema,
        OperationDefinitionNode,
        SelectionSetNode,
    )

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


def plainly_valid(schema: GraphQLSchema, operation: OperationDefinitionNode) -> bool:
    """True only when no specified rule would report anything on ``operation`` as a document of
    its own; False when that is not certain (then ``validate`` decides, as before).

    Certain for an anonymous query without variables, directives, arguments or fragment spreads:
    every rule about those has nothing to look at, nor have the operation, fragment and
    introspection rules (no ``__schema``/``__type``: they are not in a type's ``fields``). What is
    left is checked here: each field is defined on its parent (``__typename`` on any), has no
    required argument, and has a selection set exactly when its type is composite; each inline
    fragment is on a composite type that can overlap its parent; and no response key appears
    twice in one selection set with its inline fragments, so there are no two fields to merge.
    """
    # validate() raises for an invalid schema, whatever the document: so does this.
    assert_valid_schema(schema)
    root = schema.query_type
    return (
        operation.operation is OperationType.QUERY
        and operation.name is None
        and not operation.variable_definitions
        and not operation.directives
        and root is not None
        and _plain_selections(schema, operation.selection_set, root, set())
    )


def _plain_selections(
    schema: GraphQLSchema, selection_set: SelectionSetNode, parent: GraphQLCompositeType, keys: set[str]
) -> bool:
    """The selections of one response level (``keys``: the response keys it has so far)."""
    for selection in selection_set.selections:
        if isinstance(selection, InlineFragmentNode):
            condition = parent
            if selection.type_condition is not None:
                named = schema.get_type(selection.type_condition.name.value)
                if not is_composite_type(named) or not do_types_overlap(schema, named, parent):
                    return False
                condition = named
            if selection.directives or not _plain_selections(schema, selection.selection_set, condition, keys):
                return False
        elif not isinstance(selection, FieldNode) or not _plain_field(schema, selection, parent, keys):
            return False
    return True


def _plain_field(schema: GraphQLSchema, field: FieldNode, parent: GraphQLCompositeType, keys: set[str]) -> bool:
    name = field.name.value
    key = field.alias.value if field.alias else name
    if field.arguments or field.directives or key in keys:
        return False
    keys.add(key)
    if name == "__typename":
        return field.selection_set is None
    definition = parent.fields.get(name) if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType) else None
    if definition is None or any(is_required_argument(argument) for argument in definition.args.values()):
        return False
    named = get_named_type(definition.type)
    if is_leaf_type(named):
        return field.selection_set is None
    return field.selection_set is not None and _plain_selections(schema, field.selection_set, named, set())

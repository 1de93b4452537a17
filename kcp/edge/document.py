"""A document's size and shape, checked while and right after parsing, before validation.

Validation of hostile documents is where GraphQL servers spend seconds, so the cheap linear
checks come first: the parser stops at ``max_tokens``, then ``kcp.edge.shape`` walks the tree
once. After validation, ``expanded_field_count`` bounds the fields an operation selects once its
fragments are inlined (a few hundred tokens can spread to a million fields).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSyntaxError,
    InlineFragmentNode,
    Lexer,
    OperationDefinitionNode,
    Source,
    TokenKind,
    parse,
)

from kcp.edge.refusal import build_error
from kcp.edge.shape import OperationLimits, limit_errors
from kcp.errors import ErrorCode

if TYPE_CHECKING:
    from graphql import DocumentNode, SelectionSetNode

# Documents longer than this are refused at parse time, before validation can be made to work hard.
# (graphql-core itself refuses nesting deeper than 200, in the parser and through fragments.)
MAX_TOKENS = 15_000
# Fields an operation may select once its fragments are expanded. Spreading a fragment twice that
# spreads the next one twice, and so on, doubles the work per level: 20 levels are a million fields
# for the planner and shaping to walk, from a document of a few hundred tokens.
MAX_EXPANDED_FIELDS = 10_000


@dataclass(frozen=True, slots=True)
class DocumentLimits:
    """Everything a document may be: tokens, shape and expanded fields."""

    shape: OperationLimits = field(default_factory=OperationLimits)
    max_tokens: int = MAX_TOKENS
    max_expanded_fields: int = MAX_EXPANDED_FIELDS


def graphql_error(source: GraphQLError, code: ErrorCode) -> dict[str, Any]:
    """A graphql-core error (parse, validation, variable coercion) with its locations and our code."""
    built: dict[str, Any] = {"message": source.message}
    if source.locations:
        built["locations"] = [{"line": loc.line, "column": loc.column} for loc in source.locations]
    built["extensions"] = {**(source.extensions or {}), "code": str(code)}
    return built


def parse_within(query: str, limits: DocumentLimits) -> DocumentNode | list[dict[str, Any]]:
    """The parsed document, or its errors: a syntax error, too many tokens, a shape limit exceeded."""
    too_long = token_limit_error(query, limits.max_tokens)
    if too_long is not None:
        return [too_long]
    try:
        document = parse(query, max_tokens=limits.max_tokens)
    except GraphQLError as exc:
        return [graphql_error(exc, ErrorCode.GRAPHQL_PARSE_FAILED)]
    refused = limit_errors(document, limits.shape)
    return refused or document


def token_limit_error(query: str, max_tokens: int) -> dict[str, Any] | None:
    """The parser's own "more than ``max_tokens`` tokens" error, found by lexing alone, else None.

    The parser stops at the limit too, but only after building the tree of every token before it:
    a few MB per hostile request, which the process keeps once many arrive together. Here each
    token is dropped as soon as it is counted. Comments count, as the parser counts them. A token
    is at least one character, so a document no longer than the limit is not lexed twice. A lexing
    error is left to the parser, which reports it (or an earlier grammar error) as usual.
    """
    if len(query) <= max_tokens:
        return None
    source = Source(query)
    lexer = Lexer(source)
    end = 0
    try:
        for _ in range(max_tokens + 1):
            token = lexer.read_next_token(end)
            if token.kind is TokenKind.EOF:
                return None
            end = token.end
    except GraphQLSyntaxError:
        return None
    message = f"Document contains more than {max_tokens} tokens. Parsing aborted."  # the parser's words
    error = GraphQLSyntaxError(source, token.start, message)
    return graphql_error(error, ErrorCode.GRAPHQL_PARSE_FAILED)


def expanded_fields_error(document: DocumentNode, limits: DocumentLimits) -> dict[str, Any] | None:
    """The error of a *validated* document selecting too many fields once expanded, else None."""
    if expanded_field_count(document) <= limits.max_expanded_fields:
        return None
    msg = f"the operation selects more than {limits.max_expanded_fields} fields once its fragments are expanded"
    return build_error(msg, ErrorCode.GRAPHQL_VALIDATION_FAILED)


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

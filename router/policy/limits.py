"""Shape limits checked on the parsed document, before validation.

Validation of hostile documents is where gateways spend seconds (10,000 conflicting aliases
exhaust graphql-js's heap); these checks are one linear walk of the syntax tree, so a refused
document costs milliseconds. Fragments are followed (each once, cycles cut: validation reports
cycles properly afterwards), so a limit cannot be dodged by moving fields into fragments.
Each refusal names the limit, its maximum and the figure found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import FieldNode, FragmentDefinitionNode, FragmentSpreadNode, InlineFragmentNode, OperationDefinitionNode

from kcp.errors import ErrorCode

if TYPE_CHECKING:
    from graphql import DocumentNode, SelectionSetNode


@dataclass(frozen=True, slots=True)
class OperationLimits:
    """Maximums per operation; GraphiQL's introspection query (depth 13) stays well inside them."""

    max_depth: int = 16
    max_aliases: int = 50
    max_root_fields: int = 20
    max_directives: int = 50


@dataclass(frozen=True, slots=True)
class Shape:
    """What an operation's selection amounts to, fragments followed."""

    depth: int = 0
    aliases: int = 0
    root_fields: int = 0
    directives: int = 0


class _Walk:
    """Memoised per fragment: a fragment spread at every level of a deep chain is walked once."""

    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.memo: dict[str, Shape] = {}

    def shape(self, selection_set: SelectionSetNode | None, visiting: frozenset[str]) -> Shape:
        depth = aliases = directives = 0
        for selection in selection_set.selections if selection_set is not None else ():
            directives += len(selection.directives or ())
            inner = Shape()
            if isinstance(selection, FieldNode):
                aliases += selection.alias is not None
                inner = self.shape(selection.selection_set, visiting)
                depth = max(depth, 1 + inner.depth)
            elif isinstance(selection, InlineFragmentNode):
                inner = self.shape(selection.selection_set, visiting)
                depth = max(depth, inner.depth)
            elif isinstance(selection, FragmentSpreadNode):
                inner = self.fragment(selection.name.value, visiting)
                depth = max(depth, inner.depth)
            aliases += inner.aliases
            directives += inner.directives
        return Shape(depth=depth, aliases=aliases, directives=directives)

    def fragment(self, name: str, visiting: frozenset[str]) -> Shape:
        fragment = self.fragments.get(name)
        if fragment is None or name in visiting:
            return Shape()  # unknown or cyclic: validation reports it afterwards
        if name not in self.memo:
            self.memo[name] = self.shape(fragment.selection_set, visiting | {name})
        return self.memo[name]


def operation_shape(document: DocumentNode, operation: OperationDefinitionNode) -> Shape:
    """Depth, aliases, root fields and directives of ``operation`` with its fragments inlined.

    Aliases and directives are counted per occurrence in the expanded tree, so a fragment spread
    ten times counts ten times; each fragment is walked once, so the walk is linear in the document.
    """
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    shape = _Walk(fragments).shape(operation.selection_set, frozenset())
    return Shape(
        depth=shape.depth,
        aliases=shape.aliases,
        root_fields=_root_fields(operation.selection_set, fragments, frozenset()),
        directives=shape.directives + len(operation.directives or ()),
    )


def _root_fields(
    selection_set: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode], visiting: frozenset[str]
) -> int:
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            total += 1
        elif isinstance(selection, InlineFragmentNode):
            total += _root_fields(selection.selection_set, fragments, visiting)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in visiting:
                total += _root_fields(fragment.selection_set, fragments, visiting | {name})
    return total


def limit_errors(document: DocumentNode, limits: OperationLimits) -> list[dict[str, Any]]:
    """One error per exceeded limit of any operation in the document (empty when all fit)."""
    errors: list[dict[str, Any]] = []
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        shape = operation_shape(document, definition)
        for limit, maximum, actual in (
            ("depth", limits.max_depth, shape.depth),
            ("aliases", limits.max_aliases, shape.aliases),
            ("rootFields", limits.max_root_fields, shape.root_fields),
            ("directives", limits.max_directives, shape.directives),
        ):
            if actual > maximum:
                name = definition.name.value if definition.name else "the operation"
                errors.append(
                    {
                        "message": f"{name} exceeds the {limit} limit: {actual} > {maximum}",
                        "extensions": {
                            "code": str(ErrorCode.OPERATION_LIMIT_EXCEEDED),
                            "limit": limit,
                            "maximum": maximum,
                            "actual": actual,
                        },
                    }
                )
    return errors

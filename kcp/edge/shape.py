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

from kcp.edge.refusal import build_error
from kcp.errors import ErrorCode

if TYPE_CHECKING:
    from graphql import DocumentNode, SelectionSetNode


@dataclass(frozen=True, slots=True)
class OperationLimits:
    """Maximums per operation; GraphiQL's introspection query (depth 13) stays well inside them.

    The router's are its settings (``KCP_MAX_*``); a subgraph's are derived from them
    (``kcp.edge.document.subgraph_limits``) so that what the router forwards always fits.
    """

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


# What a leaf field and an unknown fragment amount to: one shared instance, not one built per leaf.
NOTHING = Shape()


def _spreads(selection_set: SelectionSetNode | None) -> list[str]:
    """The fragment names spread anywhere in a selection set (recursion bounded by the parser's nesting)."""
    names: list[str] = []
    for selection in selection_set.selections if selection_set is not None else ():
        if isinstance(selection, FragmentSpreadNode):
            names.append(selection.name.value)
        elif isinstance(selection, FieldNode | InlineFragmentNode):
            names.extend(_spreads(selection.selection_set))
    return names


def _dependency_order(fragments: dict[str, FragmentDefinitionNode]) -> list[str]:
    """Fragments with the ones they spread first, without recursion: chains can be thousands long."""
    spreads = {name: _spreads(fragment.selection_set) for name, fragment in fragments.items()}
    order: list[str] = []
    seen: set[str] = set()
    for root in fragments:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(spreads[root]))]
        while stack:
            name, pending = stack[-1]
            following = next(pending, None)
            if following is None:
                stack.pop()
                order.append(name)
            elif following in fragments and following not in seen:
                seen.add(following)
                stack.append((following, iter(spreads[following])))
    return order


class _Walk:
    """Each fragment's shape is computed once, in dependency order, and reused at every spread."""

    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.memo: dict[str, Shape] = {}
        for name in _dependency_order(fragments):
            self.memo[name] = self.shape(fragments[name].selection_set)

    def shape(self, selection_set: SelectionSetNode | None) -> Shape:
        """``root_fields`` here means the fields at the selection set's own level."""
        if selection_set is None:
            return NOTHING
        depth = aliases = directives = width = 0
        for selection in selection_set.selections:
            directives += len(selection.directives or ())
            if isinstance(selection, FieldNode):
                inner = self.shape(selection.selection_set)
                aliases += selection.alias is not None
                depth = max(depth, 1 + inner.depth)
                width += 1
            else:
                # A spread of an unknown or cyclic fragment counts as empty: validation reports it.
                inner = (
                    self.shape(selection.selection_set)
                    if isinstance(selection, InlineFragmentNode)
                    else self.memo.get(selection.name.value, NOTHING)  # type: ignore[attr-defined]
                )
                depth = max(depth, inner.depth)
                width += inner.root_fields
            aliases += inner.aliases
            directives += inner.directives
        return Shape(depth=depth, aliases=aliases, root_fields=width, directives=directives)


def operation_shape(document: DocumentNode, operation: OperationDefinitionNode) -> Shape:
    """Depth, aliases, root fields and directives of ``operation`` with its fragments inlined.

    Aliases and directives are counted per occurrence in the expanded tree, so a fragment spread
    ten times counts ten times; each fragment is walked once, so the walk is linear in the document.
    """
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    shape = _Walk(fragments).shape(operation.selection_set)
    return Shape(
        depth=shape.depth,
        aliases=shape.aliases,
        root_fields=shape.root_fields,
        directives=shape.directives + len(operation.directives or ()),
    )


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
                message = f"{name} exceeds the {limit} limit: {actual} > {maximum}"
                errors.append(
                    build_error(
                        message, ErrorCode.OPERATION_LIMIT_EXCEEDED, limit=limit, maximum=maximum, actual=actual
                    )
                )
    return errors

"""Normalise a validated document once: every fragment spread inlined, so no later stage needs fragments.

``...Name @dir`` becomes ``... on Condition @dir { the fragment's selections }``: the same fields
under the same response keys (aliases and order exactly as the client wrote them), the spread's
own ``@skip``/``@include`` kept where they were. Policy, planning, execution and shaping then walk
fields and inline fragments only, and none of them rebuilds a map of the document's fragments.

Each fragment is normalised once and its result shared by every spread of it, so the normalised
document is as large as the written one even where a fragment is spread many times (the expanded
field count is bounded by validation, ``router.documents.MAX_EXPANDED_FIELDS``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
)

if TYPE_CHECKING:
    from graphql import DocumentNode, SelectionNode, SelectionSetNode


def normalise(document: DocumentNode) -> DocumentNode:
    """The document's operations with their fragments inlined (fragment definitions dropped)."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    if not fragments:
        return document
    inliner = _Inliner(fragments)
    operations = [
        replace(d, selection_set=inliner.selection_set(d.selection_set))
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    ]
    return replace(document, definitions=tuple(operations))


class _Inliner:
    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        # A fragment's normalised selections, shared by every spread of it.
        self.inlined: dict[str, SelectionSetNode] = {}

    def selection_set(self, selection_set: SelectionSetNode) -> SelectionSetNode:
        if not any(_has_spread(selection) for selection in selection_set.selections):
            return selection_set  # unchanged below: shared, not copied
        return replace(
            selection_set, selections=tuple(self.selection(selection) for selection in selection_set.selections)
        )

    def selection(self, selection: SelectionNode) -> SelectionNode:
        if isinstance(selection, FragmentSpreadNode):
            fragment = self.fragments[selection.name.value]  # validation ruled out unknown fragments
            inner = self.inlined.get(fragment.name.value)
            if inner is None:
                inner = self.inlined[fragment.name.value] = self.selection_set(fragment.selection_set)
            return InlineFragmentNode(
                type_condition=fragment.type_condition,
                directives=selection.directives,
                selection_set=inner,
                loc=selection.loc,
            )
        if isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set is not None:
            inner = self.selection_set(selection.selection_set)
            if inner is not selection.selection_set:
                return replace(selection, selection_set=inner)
        return selection


def _has_spread(selection: SelectionNode) -> bool:
    """Whether a fragment spread is at or below ``selection`` (it then needs a normalised copy)."""
    if isinstance(selection, FragmentSpreadNode):
        return True
    inner = getattr(selection, "selection_set", None)
    return inner is not None and any(_has_spread(child) for child in inner.selections)

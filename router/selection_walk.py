"""Every selection of a document, for the stages that look for variables used in a given place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import ExecutableDefinitionNode

if TYPE_CHECKING:
    from collections.abc import Iterator

    from graphql import DocumentNode, SelectionNode, SelectionSetNode


def every_selection(document: DocumentNode) -> Iterator[SelectionNode]:
    """Each field, inline fragment and fragment spread of the operations and fragment definitions,
    nested ones included, in no particular order."""
    pending: list[SelectionSetNode] = [
        d.selection_set for d in document.definitions if isinstance(d, ExecutableDefinitionNode)
    ]
    while pending:
        for selection in pending.pop().selections:
            yield selection
            inner = getattr(selection, "selection_set", None)
            if inner is not None:
                pending.append(inner)

"""The shape stage: the client's response body from the merged subgraph answers (``router.shaping``).

How to shape an operation is compiled by its first request and kept (``OperationShapes``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from router.lru import LruCache
from router.shaping import OperationShapes, shape_response

if TYPE_CHECKING:
    from graphql import GraphQLSchema

    from router.executor import ExecutionState
    from router.pipeline.document import Operation

CACHE_SIZE = 1000


class Shaping:
    """Shapes response bodies for one API schema, with each operation's compiled shapes kept."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema
        self._shapes: LruCache[tuple[str, str | None], OperationShapes] = LruCache(CACHE_SIZE, name="shaping")

    def body(self, operation: Operation, state: ExecutionState, variables: dict[str, Any]) -> dict[str, Any]:
        """``{"data": ..., "errors": [...], "extensions": {...}}``: exactly what the client asked for,
        nulls bubbled, and the subgraph extensions the router forwards."""
        shapes = self._shapes.get(
            (operation.hash, operation.name),
            lambda: OperationShapes(self.schema, operation.document, operation.definition),
        )
        data = shape_response(
            self.schema,
            operation.document,
            operation.definition,
            state.data,
            state.errors,
            variables,
            explained=state.explained,
            shapes=shapes,
        )
        body: dict[str, Any] = {"data": data}
        if state.errors:
            body["errors"] = state.errors
        if state.extensions:
            body["extensions"] = state.extensions
        return body

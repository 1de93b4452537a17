"""The shape stage: the client's response body from the merged subgraph answers (``router.shaping``).

How to shape an operation is compiled by its first request and kept (``OperationShapes``). When the
plan was the canonical operation's (``router.pipeline.canonical``), the merged answers are under
canonical keys: shaping reads each field from its canonical key, and error paths are translated
back to the client's keys first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from router.documents import CACHED_CHARACTERS
from router.lru import LruCache
from router.pipeline.canonical import client_paths
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
        self._shapes: LruCache[tuple[str, str | None, bool], OperationShapes] = LruCache(
            CACHE_SIZE, max_weight=CACHED_CHARACTERS, second_sight=True, name="shaping"
        )

    def body(
        self, operation: Operation, state: ExecutionState, variables: dict[str, Any], *, canonical: bool = False
    ) -> dict[str, Any]:
        """``{"data": ..., "errors": [...], "extensions": {...}}``: exactly what the client asked for,
        nulls bubbled, and the subgraph extensions the router forwards.

        ``canonical``: ``state`` is the answer to the canonical operation's plan (canonical keys).
        """
        shapes = self._shapes.get(
            (operation.hash, operation.name, canonical),
            lambda: OperationShapes(self.schema, operation.document, operation.definition, canonical_keys=canonical),
            operation.characters,
        )
        explained: list[list[str | int]] | list[Any] = state.explained
        if canonical:
            definition = operation.definition
            state.errors[:] = [
                translated
                for error in state.errors
                for translated in (
                    [{**error, "path": path} for path in client_paths(definition, error["path"])]
                    if error.get("path")
                    else [error]
                )
            ]
            explained = [
                path for explained_path in state.explained for path in client_paths(definition, explained_path)
            ]
        data = shape_response(
            self.schema,
            operation.document,
            operation.definition,
            state.data,
            state.errors,
            variables,
            explained=explained,
            shapes=shapes,
        )
        body: dict[str, Any] = {"data": data}
        if state.errors:
            body["errors"] = state.errors
        if state.extensions:
            body["extensions"] = state.extensions
        return body

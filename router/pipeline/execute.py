"""The execute stage: introspection answered in the router, the rest of the plan run against the subgraphs.

``router.executor`` runs the plan (through ``router.transport``, the only code that calls
subgraphs); this stage starts its state with what authorization already decided (the removed
fields' errors and paths) and answers ``__schema``/``__type`` root fields from the API schema.
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Any

from graphql import DocumentNode, FieldNode, InlineFragmentNode, SelectionSetNode, execute

from router.executor import ExecutionState
from router.lru import LruCache
from router.planner import INTROSPECTION_ROOT_FIELDS

if TYPE_CHECKING:
    from collections.abc import Iterable

    from graphql import GraphQLSchema, OperationDefinitionNode, SelectionNode

    from router.executor import Executor
    from router.pipeline.document import Operation
    from router.planner import QueryPlan
    from router.policy.authorization import Authorized

INTROSPECTION_CACHE_SIZE = 64
# GraphiQL's introspection of this schema answers ~210,000 characters: room for a few such
# variants, not for 64 answers (or variables) as large as a client can make them.
INTROSPECTION_CACHED_CHARACTERS = 2_000_000


class Execution:
    """Runs one request's plan, with the introspection answers kept per document."""

    def __init__(self, schema: GraphQLSchema, executor: Executor) -> None:
        self.schema = schema
        self.executor = executor
        # Introspection answers depend only on the (fixed) API schema, the document and the
        # variables; GraphiQL's full query costs ~70 ms to execute and is sent on every page load.
        # Kept serialised, so no caller can mutate a cached answer.
        self._introspections: LruCache[tuple[str, str | None, str], str] = LruCache(
            INTROSPECTION_CACHE_SIZE, max_weight=INTROSPECTION_CACHED_CHARACTERS, name="introspection"
        )

    async def execute(
        self,
        operation: Operation,
        authorized: Authorized,
        plan: QueryPlan,
        variables: dict[str, Any],
        headers: dict[str, str],
    ) -> ExecutionState:
        """The merged subgraph answers and the errors so far, before shaping."""
        state = ExecutionState()
        state.errors.extend(dict(error) for error in authorized.errors)  # shared by cached requests
        state.explained.extend(list(path) for path in authorized.removed)
        self._introspect(operation, variables, state)
        await self.executor.execute(plan, variables, headers, state)
        return state

    def _introspect(self, operation: Operation, variables: dict[str, Any], state: ExecutionState) -> None:
        """Answer ``__schema``/``__type`` root fields from the API schema, in the router."""
        definition = operation.definition
        fields = introspection_selections(definition)
        if not fields:
            return

        def introspect() -> str:
            only = dataclasses.replace(definition, selection_set=SelectionSetNode(selections=fields))
            result = execute(self.schema, DocumentNode(definitions=(only,)), variable_values=variables)
            return json.dumps(
                {
                    "data": result.data or {},  # type: ignore[union-attr]
                    "errors": [dict(error.formatted) for error in result.errors or ()],  # type: ignore[union-attr]
                }
            )

        key = (operation.hash, operation.name, json.dumps(variables, sort_keys=True))
        # Weighed by the variables' text and the answer's: both are sized by the client.
        answer = json.loads(self._introspections.get(key, introspect, lambda text: len(key[2]) + len(text)))
        state.data.update(answer["data"])
        state.errors.extend(answer["errors"])


def introspection_selections(operation: OperationDefinitionNode) -> tuple[SelectionNode, ...]:
    """The operation's ``__schema``/``__type`` root selections (also inside root fragments)."""
    return _introspection_only(operation.selection_set.selections)


def _introspection_only(selections: Iterable[SelectionNode]) -> tuple[SelectionNode, ...]:
    kept: list[SelectionNode] = []
    for selection in selections:
        if isinstance(selection, FieldNode):
            if selection.name.value in INTROSPECTION_ROOT_FIELDS:
                kept.append(selection)
        elif isinstance(selection, InlineFragmentNode):  # a normalised operation has no spreads
            nested = _introspection_only(selection.selection_set.selections)
            if nested:
                kept.append(
                    InlineFragmentNode(
                        type_condition=selection.type_condition,
                        directives=selection.directives,
                        selection_set=SelectionSetNode(selections=nested),
                    )
                )
    return tuple(kept)

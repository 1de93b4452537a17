"""Build a query plan: supergraph + normalised operation in, ``Sequence|Parallel|Fetch|Flatten`` out.

Pure: no I/O, no variables' values (``@skip``/``@include`` are forwarded to subgraphs and applied
again by shaping), no state kept between operations; the plan cache wraps the planner from
outside (``router.pipeline.plan``). Planning runs in phases with explicit inputs and outputs:

1. ``walk``: the operation's selections → a ``FetchGraph`` of fetch groups (``walk.py``, asking
   ``reach.py`` what each subgraph can resolve);
2. ``layout``: the fetch graph → the plan tree (``layout.py``).

Both phases check a deadline as they go: an operation that takes longer than the planner's budget
is refused (``PlanningTimeoutError``), not left to run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from router.planner.errors import Deadline
from router.planner.layout import layout
from router.planner.plan import QueryPlan
from router.planner.walk import walk

if TYPE_CHECKING:
    from graphql import OperationDefinitionNode

    from router.supergraph import Supergraph


class Planner:
    """Plans operations for one supergraph, each within ``timeout_ms`` (None: no budget)."""

    def __init__(self, supergraph: Supergraph, *, timeout_ms: float | None = None) -> None:
        self.supergraph = supergraph
        self.timeout_ms = timeout_ms

    def plan(self, operation: OperationDefinitionNode) -> QueryPlan:
        """The plan for a normalised operation (``router.pipeline.normalise``: no fragment spreads)."""
        deadline = None if self.timeout_ms is None else Deadline.after(self.timeout_ms)
        graph = walk(self.supergraph, operation, deadline)
        return QueryPlan(node=layout(graph, operation, deadline), operation_kind=operation.operation.value)


def plan_operation(supergraph: Supergraph, operation: OperationDefinitionNode) -> QueryPlan:
    """The plan for a normalised operation, with no time budget."""
    return Planner(supergraph).plan(operation)

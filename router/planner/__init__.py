"""The query planner: pure, supergraph + operation in, plan tree out (see ``build``)."""

from router.planner.build import (
    INTROSPECTION_ROOT_FIELDS,
    Planner,
    PlanningError,
    PlanningTimeoutError,
    plan_operation,
)
from router.planner.plan import (
    Fetch,
    Flatten,
    FlattenPath,
    Parallel,
    PlanNode,
    QueryPlan,
    Representation,
    Sequence,
    print_plan,
    subgraphs_of,
)

__all__ = [
    "INTROSPECTION_ROOT_FIELDS",
    "Fetch",
    "Flatten",
    "FlattenPath",
    "Parallel",
    "PlanNode",
    "Planner",
    "PlanningError",
    "PlanningTimeoutError",
    "QueryPlan",
    "Representation",
    "Sequence",
    "plan_operation",
    "print_plan",
    "subgraphs_of",
]

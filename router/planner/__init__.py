"""The query planner: pure, supergraph + normalised operation in, plan tree out (see ``build``)."""

from router.planner.build import Planner, plan_operation
from router.planner.errors import PlanningError, PlanningTimeoutError
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
from router.planner.walk import INTROSPECTION_ROOT_FIELDS

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

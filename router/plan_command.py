"""``kcp plan``: print the plan the router would run for an operation (no subgraph is called)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from router.documents import DocumentCache, select_operation
from router.errors import RouterError
from router.planner import PlanningError, plan_operation, print_plan
from router.supergraph import SupergraphError, load_supergraph_file

if TYPE_CHECKING:
    from pathlib import Path


def print_operation_plan(query: str, supergraph_path: Path, operation_name: str | None = None) -> int:
    """Print the plan on stdout (exit 0), or why there is none on stderr (exit 1)."""
    try:
        supergraph = load_supergraph_file(supergraph_path)
    except (OSError, SupergraphError) as exc:
        print(f"cannot load the supergraph {supergraph_path}: {exc}", file=sys.stderr)
        return 1
    try:
        valid = DocumentCache(supergraph.api_schema).get(query)
        operation = select_operation(valid.document, operation_name)
        plan = plan_operation(supergraph, operation)
    except PlanningError as exc:
        print(f"cannot plan the operation: {exc}", file=sys.stderr)
        return 1
    except RouterError as exc:
        messages = "; ".join(str(error.get("message")) for error in exc.errors)
        print(f"the operation is not valid: {messages}", file=sys.stderr)
        return 1
    print(print_plan(plan), end="")
    return 0

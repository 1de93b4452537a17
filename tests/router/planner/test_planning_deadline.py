"""The planning budget: a document that takes longer than it to plan is refused, not left to run."""

from __future__ import annotations

from pathlib import Path

import pytest

from router.documents import DocumentCache, select_operation
from router.planner import Planner, PlanningTimeoutError, print_plan
from router.supergraph import load_supergraph_file

SHOP = Path(__file__).parent / "supergraphs" / "shop.graphql"


def test_a_document_over_the_budget_is_refused_with_the_budget_named() -> None:
    graph = load_supergraph_file(SHOP)
    # Many aliased fields, each with an entity hop: far more than a microsecond of planning.
    fields = " ".join(
        f'p{i}: product(upc: "p{i}") {{ name reviews {{ body author {{ username }} }} }}' for i in range(15)
    )
    operation = select_operation(DocumentCache(graph.api_schema).get("{ " + fields + " }").document, None)
    with pytest.raises(PlanningTimeoutError) as refused:
        Planner(graph, timeout_ms=0.001).plan(operation)
    assert refused.value.budget_ms == 0.001
    assert "0.001 ms" in str(refused.value)


def test_within_the_budget_the_plan_is_the_plan_without_one() -> None:
    graph = load_supergraph_file(SHOP)
    query = '{ product(upc: "p1") { name reviews { body author { username } } } }'
    operation = select_operation(DocumentCache(graph.api_schema).get(query).document, None)
    assert print_plan(Planner(graph, timeout_ms=60_000).plan(operation)) == print_plan(Planner(graph).plan(operation))

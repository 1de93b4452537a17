"""Printed plans against fixture supergraphs. ``UPDATE_SNAPSHOTS=1 pytest`` rewrites them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from graphql import parse

from router.documents import DocumentCache, select_operation
from router.planner import PlanningError, plan_operation, print_plan
from router.supergraph import Supergraph, load_supergraph_file

HERE = Path(__file__).parent
SNAPSHOTS = HERE / "snapshots"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"

CASES: dict[str, tuple[str, str]] = {
    "single_subgraph": ("shop", "{ topProducts { upc name price } }"),
    "entity_hop": ("shop", '{ product(upc: "p1") { name reviews { body } } }'),
    "two_hop_chain_lists": (
        "shop",
        "query Top($first: Int = 2) { topProducts(first: $first) { name reviews { body author { username } } } }",
    ),
    "parallel_roots": ("shop", '{ topProducts { name } me { username } review(id: "r1") { body } }'),
    "fragments_and_aliases": (
        "shop",
        """
        query Aliased($withReviews: Boolean!) {
          first: product(upc: "p1") { ...Bits title: name }
          second: product(upc: "p2") { ... on Product { cost: price } }
        }
        fragment Bits on Product { upc opinions: reviews @include(if: $withReviews) { text: body } }
        """,
    ),
    "union_with_entity_hop": (
        "shop",
        '{ search(text: "a") { __typename ... on Product { name reviews { body } } ... on Collection { title } } }',
    ),
    "requires": ("shop", "{ topProducts { name shippingEstimate } }"),
    "mutations_in_order": (
        "shop",
        """
        mutation Steps {
          one: createProduct(upc: "x1", name: "One") { upc reviews { body } }
          two: addReview(upc: "x1", body: "ok") { id product { name } }
          three: createProduct(upc: "x2", name: "Two") { upc }
        }
        """,
    ),
    "variables_forwarded_per_fetch": (
        "shop",
        "query V($upc: String!, $id: ID!) { product(upc: $upc) { name } review(id: $id) { body } me { username } }",
    ),
    "kcp_demo": (
        "kcp",
        """
        {
          productBySlug(slug: "x") {
            name
            features { name }
            knownIssues { title solutions { title steps } }
            content { title }
            tickets { subject customer { email } }
            analytics { views }
          }
        }
        """,
    ),
    "kcp_requires_from_other_subgraph": (
        "kcp",
        '{ ticket(id: "t1") { subject suggestedSolutions { title } } }',
    ),
    "typename_only": ("shop", "{ __typename }"),
    # One step, two paths to users with the same representation: one batched fetch.
    "batched_paths_one_fetch": (
        "shop",
        "{ topProducts { reviews { body author { username } likedBy { username email } } } }",
    ),
    # The same response key meaning different fields at the two paths: kept as two fetches.
    "batched_paths_conflicting_alias": (
        "shop",
        '{ review(id: "r1") { author { handle: username } likedBy { handle: email } } }',
    ),
}


def supergraph(name: str) -> Supergraph:
    return load_supergraph_file(HERE / "supergraphs" / f"{name}.graphql")


@pytest.mark.parametrize("case", sorted(CASES))
def test_plan_snapshot(case: str) -> None:
    graph_name, query = CASES[case]
    graph = supergraph(graph_name)
    valid = DocumentCache(graph.api_schema).get(query)
    plan = plan_operation(graph, valid.document, select_operation(valid.document, None))
    printed = print_plan(plan)
    snapshot = SNAPSHOTS / f"{case}.txt"
    if UPDATE:
        snapshot.write_text(printed, encoding="utf-8")
    assert snapshot.exists(), f"no snapshot {snapshot.name}; run with UPDATE_SNAPSHOTS=1 and review it"
    assert printed == snapshot.read_text(encoding="utf-8")


def test_plan_is_pure_and_stable() -> None:
    graph = supergraph("shop")
    query = CASES["two_hop_chain_lists"][1]
    document = parse(query)
    operation = select_operation(document, None)
    assert print_plan(plan_operation(graph, document, operation)) == print_plan(
        plan_operation(graph, document, operation)
    )


def test_unplannable_field_names_it() -> None:
    graph = supergraph("shop")
    # Drop every key of Product in reviews: the planner can no longer reach reviews.
    graph.types["Product"].keys = [k for k in graph.types["Product"].keys if k.subgraph != "reviews"]
    document = parse("{ topProducts { reviews { body } } }")
    with pytest.raises(PlanningError, match=r"Product\.reviews"):
        plan_operation(graph, document, select_operation(document, None))

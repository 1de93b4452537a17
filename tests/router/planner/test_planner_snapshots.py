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
    # A fragment's @skip/@include follows its fields into the entity fetch of another subgraph: the
    # product exists whatever $c says (upc is unconditional), so without the condition there the
    # reviews would be fetched, and their errors reported, for a client that excluded them.
    "conditions_follow_entity_hops": (
        "shop",
        """
        query C($c: Boolean!) {
          product(upc: "p1") { upc ...Opinions @skip(if: $c) ... on Product @include(if: $c) { name } }
          topProducts { upc details: reviews @include(if: $c) { body } }
        }
        fragment Opinions on Product { reviews { body author { username } } }
        """,
    ),
    # Conditions on a field and on a fragment inside it: nested there, since one fragment may not
    # repeat @include; a literal @include(if: true) decides nothing and is not carried.
    "nested_conditions_follow_entity_hops": (
        "shop",
        """
        query N($c: Boolean!, $d: Boolean!) {
          product(upc: "p1") @include(if: $c) {
            upc
            ... on Product @include(if: $d) { reviews { body } }
            ... on Product @include(if: true) { reviews { id } }
          }
        }
        """,
    ),
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
    # --- federation.graphql: the Federation v2 features, one case each ---
    # An interface field another subgraph resolves: planned per implementing type, one batched fetch.
    "interface_field_from_other_subgraph": ("federation", "{ items { name price } }"),
    # Fragments on an interface inside a union, and on one member that needs another subgraph.
    "union_fragments_per_member": (
        "federation",
        '{ search(text: "x") { ... on Item { name } ... on Speaker { inStock } } }',
    ),
    # @provides makes an external field local: one fetch.
    "provides_keeps_one_fetch": ("federation", "{ deals { name inStock } }"),
    # A value type both subgraphs return: each of its fields from a subgraph that has it, in parallel.
    "shareable_value_type_split": ("federation", "{ shop { name featured { name } warehouses } }"),
    # A union on a shareable path: only the members both catalog and stock have are asked for.
    "shareable_union_common_members": (
        "federation",
        "{ shop { name promoted { ... on Headphone { name } ... on Speaker { id } } } }",
    ),
    # @interfaceObject: representations name the interface for profile.
    "interface_object_from_implementations": ("federation", "{ accounts { email nickname } }"),
    # @interfaceObject: the object type, fragments and other fields come from accounts.
    "interface_object_to_object_types": (
        "federation",
        "{ profiles { __typename nickname email ... on Staff { team } } }",
    ),
    # The key warehouse needs (an @inaccessible sku) comes from stock: a jump through it.
    "entity_jump_through_intermediate": ("federation", "{ items { ... on Speaker { bin } } }"),
    # The client asks for weight(unit: "lb"), @requires needs weight(unit: "kg"): aliased apart.
    "requires_with_arguments_aliased": (
        "federation",
        '{ items { ... on Speaker { weight(unit: "lb") shippingEstimate } } }',
    ),
}


def supergraph(name: str) -> Supergraph:
    return load_supergraph_file(HERE / "supergraphs" / f"{name}.graphql")


@pytest.mark.parametrize("case", sorted(CASES))
def test_plan_snapshot(case: str) -> None:
    graph_name, query = CASES[case]
    graph = supergraph(graph_name)
    valid = DocumentCache(graph.api_schema).get(query)
    plan = plan_operation(graph, select_operation(valid.document, None))
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
    assert print_plan(plan_operation(graph, operation)) == print_plan(plan_operation(graph, operation))


def test_unplannable_field_names_it() -> None:
    graph = supergraph("shop")
    # Drop every key of Product in reviews: the planner can no longer reach reviews.
    graph.types["Product"].keys = [k for k in graph.types["Product"].keys if k.subgraph != "reviews"]
    document = parse("{ topProducts { reviews { body } } }")
    with pytest.raises(PlanningError, match=r"Product\.reviews"):
        plan_operation(graph, select_operation(document, None))


def test_inaccessible_elements_are_planned_but_not_in_the_api_schema() -> None:
    graph = supergraph("federation")
    speaker = graph.api_schema.get_type("Speaker")
    availability = graph.api_schema.get_type("Availability")
    assert "sku" not in speaker.fields  # type: ignore[union-attr]
    assert list(availability.values) == ["IN_STOCK"]  # type: ignore[union-attr]
    assert "sku" in graph.planning_schema.get_type("Speaker").fields  # type: ignore[union-attr]


def test_unreachable_interface_object_field_is_a_planning_error() -> None:
    graph = supergraph("federation")
    # Without a key of Account in accounts, profile's accounts cannot learn their object type.
    graph.types["Account"].keys = [k for k in graph.types["Account"].keys if k.subgraph != "accounts"]
    document = parse("{ profiles { email } }")
    with pytest.raises(PlanningError, match="Account"):
        plan_operation(graph, select_operation(document, None))

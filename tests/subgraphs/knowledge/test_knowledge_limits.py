"""What one document may ask of knowledge: nested list relations are bounded, failures stay local."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from knowledge_support import SECRET, StoreCalls

from kcp.settings import Settings
from subgraphs.knowledge.relations.limits import MAX_RELATION_DEPTH

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # The edge's cost estimate (kcp.edge.cost) refuses most of these documents first, with a 400;
    # a budget out of reach lets the relation rule be tested on its own here.
    return Settings(kcp_data_dir=tmp_path, kcp_identity_secret=SECRET, kcp_subgraph_cost_budget=10**15)


def _nested(field: str, depth: int, leaf: str = "id") -> str:
    return f"{field} {{ " * depth + leaf + " }" * depth


@pytest.mark.asyncio
async def test_seven_nested_compatible_with_are_refused_before_anything_runs(api) -> None:
    document = '{ product(id: "prd-liberty-4-nc") { ' + _nested("compatibleWith", 7) + " } }"
    calls = StoreCalls.install(api.app)

    body = await api.gql(document)

    assert body["data"] is None
    [error] = body["errors"]
    assert error["message"] == (
        "relation fields nest 7 deep (compatibleWith > compatibleWith > compatibleWith > compatibleWith > "
        f"compatibleWith > ...); at most {MAX_RELATION_DEPTH} are allowed"
    )
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}
    assert calls.total == 0


@pytest.mark.asyncio
async def test_entities_queries_from_the_router_are_bounded_too(api) -> None:
    # Five levels, three of them in a fragment: the router's `_entities` form of a deep query.
    document = (
        "query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { compatibleWith { ...Deep } } } } "
        "fragment Deep on Product { features { products { knownIssues { affectedProducts { id } } } } }"
    )
    calls = StoreCalls.install(api.app)

    body = await api.gql(document, {"r": [{"__typename": "Product", "id": "prd-liberty-4-nc"}]})

    assert body["data"] is None
    [error] = body["errors"]
    assert error["message"] == (
        "relation fields nest 5 deep (compatibleWith > features > products > knownIssues > affectedProducts); "
        "at most 4 are allowed"
    )
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}
    assert calls.total == 0


@pytest.mark.asyncio
async def test_four_levels_are_allowed_and_singular_relations_and_values_do_not_count(api) -> None:
    # README's example (three levels), and exactly four with `successor`, `category`, `predecessor`
    # and `specs` between them.
    body = await api.gql(
        '{ readme: productBySlug(slug: "liberty-4-nc") { knownIssues { solutions { articles { slug } } } } '
        'four: product(id: "prd-liberty-3-pro") { successor { compatibleWith { category { products { '
        "features { products { predecessor { id specs { name } } } } } } } } } }"
    )

    assert "errors" not in body
    solutions = [s for issue in body["data"]["readme"]["knownIssues"] for s in issue["solutions"]]
    assert sorted(a["slug"] for s in solutions for a in s["articles"]) == ["fix-pairing", "ldac-faq", "update-firmware"]
    predecessors = {
        product["predecessor"]["id"]
        for compatible in body["data"]["four"]["successor"]["compatibleWith"]
        for sibling in compatible["category"]["products"]
        for feature in sibling["features"]
        for product in feature["products"]
        if product["predecessor"] is not None
    }
    assert predecessors == {"prd-liberty-3-pro"}


@pytest.mark.asyncio
async def test_a_fragment_spread_many_times_is_analysed_once(api) -> None:
    # 2^30 paths if every spread were expanded afresh; each fragment adds one level of `compatibleWith`.
    fragments = " ".join(
        f"fragment F{i} on Product {{ a: successor {{ ...F{i + 1} }} b: predecessor {{ ...F{i + 1} }} }}"
        for i in range(30)
    )
    document = (
        '{ product(id: "prd-liberty-4-nc") { ...F0 } } '
        + fragments
        + " fragment F30 on Product { "
        + _nested("compatibleWith", 5)
        + " }"
    )

    # 2^30 paths through the fragments: analysed once per fragment, or this would never return.
    # The edge's shape limits (kcp.edge.shape, fragments followed) refuse it before the relation rule.
    response = await api.http.post("/graphql", json={"query": document})

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {(e["extensions"]["code"], e["extensions"]["limit"]) for e in errors} == {
        ("OPERATION_LIMIT_EXCEEDED", "depth"),
        ("OPERATION_LIMIT_EXCEEDED", "aliases"),
    }


@pytest.mark.asyncio
async def test_a_failing_root_field_leaves_its_siblings_alone(api) -> None:
    body = await api.gql(
        '{ products(first: 1) { edges { node { id } } } s3: search(query: "") { totalCount } categories { slug } }'
    )

    assert body["data"] == {
        "products": {"edges": [{"node": {"id": "prd-ear-tips"}}]},
        "s3": None,
        "categories": [{"slug": "accessories"}, {"slug": "earbuds"}, {"slug": "headphones"}],
    }
    [error] = body["errors"]
    assert error["path"] == ["s3"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}


@pytest.mark.asyncio
async def test_nested_related_counts_as_a_relation_per_level(api) -> None:
    level = "related(depth: 3, first: 50) { node { ... on Product { "
    document = '{ product(id: "prd-liberty-4-nc") { ' + level * 5 + "id" + " } } }" * 5 + " } }"
    allowed = '{ product(id: "prd-liberty-4-nc") { ' + level * 2 + "id" + " } } }" * 2 + " } }"

    refused = await api.gql(document)
    answered = await api.gql(allowed)

    assert refused["data"] is None
    [error] = refused["errors"]
    assert error["message"].startswith("relation fields nest 5 deep (related > related > related")
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}
    assert "errors" not in answered, answered


@pytest.mark.asyncio
async def test_with_the_default_budget_a_deep_relation_nest_is_a_cost_refusal(serve, tmp_path) -> None:
    document = '{ product(id: "prd-liberty-4-nc") { ' + _nested("compatibleWith", 7) + " } }"
    async with serve(Settings(kcp_data_dir=tmp_path, kcp_identity_secret=SECRET)) as api:
        calls = StoreCalls.install(api.app)
        response = await api.http.post("/graphql", json={"query": document})

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "COST_LIMIT_EXCEEDED"
    assert calls.total == 0

"""Nested relations cost a number of store round trips bounded by depth, not by object count."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pytest
from knowledge_support import StoreCalls, firmware_of, small_demo

from subgraphs.knowledge.seed import seed

if TYPE_CHECKING:
    from demo.model import DemoArticle, DemoData, DemoKnownIssue, DemoProduct, DemoSolution
    from kcp.settings import Settings

DEEP = """
query($first: Int!) {
  products(first: $first, sort: NAME) {
    totalCount
    edges { node {
      id
      category { name }
      features { name }
      firmware { version }
      related(kinds: [KNOWN_ISSUE]) { distance node { ... on KnownIssue { title } } }
      knownIssues { title affectedFirmware { version } solutions { steps articles { title } } }
    } }
  }
}
"""


def wide_demo(count: int) -> DemoData:
    """``count`` products, each with its own issue, two solutions and an article per solution."""
    base = small_demo()
    template_product, template_issue, template_solution, template_article = (
        base.products[0],
        base.known_issues[0],
        base.solutions[0],
        base.articles[0],
    )
    products: list[DemoProduct] = []
    issues: list[DemoKnownIssue] = []
    solutions: list[DemoSolution] = []
    articles: list[DemoArticle] = []
    has_feature, affected_by, resolved_by, documented_in = [], [], [], []
    for n in range(count):
        pid, iid = f"prd-w{n:03}", f"iss-w{n:03}"
        products.append(replace(template_product, id=pid, slug=f"w{n:03}", name=f"Wide {n:03}"))
        issues.append(replace(template_issue, id=iid, title=f"Issue {n}"))
        has_feature += [(pid, "fea-anc"), (pid, "fea-ldac")]
        affected_by.append((pid, iid))
        for position in (1, 2):
            sid, aid = f"sol-w{n:03}-{position}", f"art-w{n:03}-{position}"
            solutions.append(replace(template_solution, id=sid))
            articles.append(
                replace(template_article, id=aid, slug=f"w{n:03}-{position}", title=f"Article {n}.{position}")
            )
            resolved_by.append((iid, sid, position))
            documented_in.append((sid, aid))
    return replace(
        base,
        products=tuple(products),
        known_issues=tuple(issues),
        solutions=tuple(solutions),
        articles=tuple(articles),
        has_feature=tuple(has_feature),
        affected_by=tuple(affected_by),
        resolved_by=tuple(resolved_by),
        documented_in=tuple(documented_in),
        compatible_with=(),
        succeeds=(),
        accessory_for=(),
        firmware=firmware_of(tuple(products)),
        affects_firmware=tuple((f"iss-w{n:03}", f"prd-w{n:03}@1.1.0") for n in range(count)),
        article_versions=(),
    )


async def count_round_trips(api, calls: StoreCalls, first: int) -> tuple[tuple[int, int], list[dict[str, object]]]:
    """(SQL statements, Cypher queries) of one deep query, and its products."""
    sql, graph = calls.sql, calls.graph
    body = await api.gql(DEEP, {"first": first})
    assert "errors" not in body, body
    products: list[dict[str, object]] = [edge["node"] for edge in body["data"]["products"]["edges"]]
    return (calls.sql - sql, calls.graph - graph), products


@pytest.mark.asyncio
async def test_deep_query_over_50_products_makes_a_constant_number_of_round_trips(
    settings: Settings, new_progress, serve
) -> None:
    await seed(settings, wide_demo(60), new_progress())
    async with serve(settings) as api:
        calls = StoreCalls.install(api.app)
        few_calls, few = await count_round_trips(api, calls, 5)
        many_calls, many = await count_round_trips(api, calls, 50)

    assert len(few) == 5
    assert len(many) == 50
    assert many[49] == {
        "id": "prd-w049",
        "category": {"name": "Earbuds"},
        "features": [{"name": "Adaptive ANC"}, {"name": "LDAC"}],
        "firmware": [{"version": "1.0.0"}, {"version": "1.1.0"}],
        "related": [{"distance": 1, "node": {"title": "Issue 49"}}],
        "knownIssues": [
            {
                "title": "Issue 49",
                "affectedFirmware": [{"version": "1.1.0"}],
                "solutions": [
                    {
                        "steps": ["Put both buds in the case", "Hold the button 10 s", "Pair again"],
                        "articles": [{"title": "Article 49.1"}],
                    },
                    {
                        "steps": ["Put both buds in the case", "Hold the button 10 s", "Pair again"],
                        "articles": [{"title": "Article 49.2"}],
                    },
                ],
            }
        ],
    }
    # products (page + count: 2 SQL) + category (1 SQL) + firmware (1 SQL) + features, knownIssues,
    # affectedFirmware, solutions, articles (1 Cypher + 1 SQL each) + related (1 Cypher; its issues
    # come from the loader knownIssues fills): 15, whether 5 or 50 products.
    assert many_calls == (9, 6)
    assert few_calls == many_calls

"""The content studio through the router: a product's content, the review workflow, generation, refusals."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

import demo

if TYPE_CHECKING:
    from commands.launcher import Platform

pytestmark = pytest.mark.e2e

LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }"


def gql(platform: Platform, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    response = httpx.post(
        platform.router_url, json={"query": query, "variables": variables or {}}, headers=headers, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.json()


def scratch_products() -> list[Any]:
    """Products no other e2e module inspects (they have no tickets): the seeded data folder is shared
    by every module of the session, so what these tests write must not show up in others' answers."""
    data = demo.generate()
    return [p for p in data.products if not any(t.product_id == p.id for t in data.tickets)]


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


@pytest.fixture(scope="module")
def tokens(platform: Platform) -> dict[str, str]:
    found = {}
    for role in ("editor", "customer", "partner", "admin"):
        body = gql(platform, LOGIN, {"e": f"{role}@soundcore.example", "p": "soundcore-demo"})
        found[role] = body["data"]["login"]["accessToken"]
    return found


PRODUCT_CONTENT = """query($slug: String!) { productBySlug(slug: $slug) { id name
  content { id title status locale currentRevision { number } revisions { number author { id } }
            reviews { from to by { id } at } translations { locale } }
} }"""


def test_a_product_shows_its_published_content_publicly_and_everything_to_editors(
    platform: Platform, tokens: dict[str, str]
) -> None:
    data = demo.generate()
    product = next(
        p for p in data.products
        if {c.status for c in data.content_items if c.product_id == p.id} > {"published"}
        and any(c.translation_of for c in data.content_items if c.product_id == p.id)
    )  # fmt: skip
    mine = [c for c in data.content_items if c.product_id == product.id]

    public = gql(platform, PRODUCT_CONTENT, {"slug": product.slug})
    content = public["data"]["productBySlug"]["content"]
    assert sorted(c["id"] for c in content) == sorted(c.id for c in mine if c.status == "published")
    assert all(c["revisions"] is None for c in content)  # history needs content:read
    assert set(codes(public)) == {"UNAUTHENTICATED"}

    edited = gql(platform, PRODUCT_CONTENT, {"slug": product.slug}, tokens["editor"])
    assert "errors" not in edited, edited["errors"]
    by_id = {c["id"]: c for c in edited["data"]["productBySlug"]["content"]}
    assert sorted(by_id) == sorted(c.id for c in mine)
    for item in mine:
        shown = by_id[item.id]
        assert shown["status"] == item.status.upper()
        assert [r["number"] for r in shown["revisions"]] == [r.number for r in item.revisions]
        assert [(r["from"], r["to"], r["by"]["id"]) for r in shown["reviews"]] == [
            (r.from_status.upper(), r.to_status.upper(), r.by) for r in item.reviews
        ]
    translated = next(c for c in mine if c.translation_of)
    assert {"locale": translated.locale} in by_id[translated.translation_of or ""]["translations"]


GENERATE = """mutation($p: ID!) { generateContent(input: {productId: $p, kind: FAQ_DRAFT}) {
  id provider status facts grounded ungroundedReason retrievalDegraded citations { number }
  contentItem { id status product { name } currentRevision { body } } } }"""
MOVE = """mutation($id: ID!, $to: ContentStatus!) { transitionContentItem(id: $id, to: $to) {
  status statusChangedBy { id } } }"""
REVISE = (
    "mutation($id: ID!, $b: String!) { reviseContentItem(id: $id, body: $b) { status currentRevision { number } } }"
)
DIFF = "query($id: ID!) { contentItem(id: $id) { diff(from: 1, to: 2) { addedLines removedLines unified } } }"


def test_generate_review_and_publish_through_the_router(platform: Platform, tokens: dict[str, str]) -> None:
    product = scratch_products()[0]
    editor = tokens["editor"]
    generated = gql(platform, GENERATE, {"p": product.id}, editor)
    assert "errors" not in generated, generated["errors"]
    job = generated["data"]["generateContent"]
    assert (job["provider"], job["status"]) == ("template", "SUCCEEDED")
    assert f"name: {product.name}" in job["facts"]
    # This platform has no retrieval index: the draft is written from the facts and says it cites nothing.
    assert (job["grounded"], job["ungroundedReason"], job["citations"]) == (False, "NO_PASSAGES", [])
    assert job["retrievalDegraded"] == "KEYWORD_ONLY:NOT_INDEXED"
    item = job["contentItem"]
    # The router joins the knowledge subgraph's product name onto content's item.
    assert item["product"] == {"name": product.name}
    assert product.name in item["currentRevision"]["body"]

    revised = gql(platform, REVISE, {"id": item["id"], "b": item["currentRevision"]["body"] + "\n\nReviewed."}, editor)
    assert revised["data"]["reviseContentItem"] == {"status": "DRAFT", "currentRevision": {"number": 2}}
    diff = gql(platform, DIFF, {"id": item["id"]}, editor)["data"]["contentItem"]["diff"]
    # The old last line had no newline, so it reads as changed: 1 removed, 3 added (it, a blank, the new line).
    assert (diff["addedLines"], diff["removedLines"]) == (3, 1)
    assert "+Reviewed." in diff["unified"]

    illegal = gql(platform, MOVE, {"id": item["id"], "to": "PUBLISHED"}, editor)
    assert codes(illegal) == ["ILLEGAL_TRANSITION"]
    assert illegal["errors"][0]["extensions"]["from"] == "DRAFT"
    for target in ("IN_REVIEW", "APPROVED", "PUBLISHED"):
        moved = gql(platform, MOVE, {"id": item["id"], "to": target}, editor)
        assert moved["data"]["transitionContentItem"]["status"] == target, moved
    public = gql(platform, "query($id: ID!) { contentItem(id: $id) { status } }", {"id": item["id"]})
    assert public["data"]["contentItem"] == {"status": "PUBLISHED"}


def test_refusals_through_the_router(platform: Platform, tokens: dict[str, str]) -> None:
    product_id = demo.generate().products[0].id
    create = """mutation($p: ID!) { createContentItem(input: {productId: $p, kind: SOCIAL_POST, title: "T",
        locale: "en-US", body: "B"}) { id } }"""
    count = "{ contentItems(first: 1) { totalCount } }"
    before = gql(platform, count, token=tokens["editor"])["data"]["contentItems"]["totalCount"]
    assert codes(gql(platform, create, {"p": product_id})) == ["UNAUTHENTICATED"]
    assert codes(gql(platform, create, {"p": product_id}, tokens["customer"])) == ["FORBIDDEN"]
    assert codes(gql(platform, create, {"p": product_id}, tokens["partner"])) == ["FORBIDDEN"]
    assert codes(gql(platform, GENERATE, {"p": "prd-does-not-exist"}, tokens["editor"])) == ["NOT_FOUND"]
    bad = gql(platform, "{ contentItems(first: 500) { totalCount } }", token=tokens["editor"])
    assert codes(bad) == ["BAD_USER_INPUT"]
    assert gql(platform, count, token=tokens["editor"])["data"]["contentItems"]["totalCount"] == before


def test_generation_is_reported_to_analytics(platform: Platform, tokens: dict[str, str]) -> None:
    product_id = scratch_products()[1].id
    query = "query($id: ID!) { product(id: $id) { analytics { contentGenerated } } }"
    # Signed in: the router's response cache keeps anonymous answers only, so these reads are fresh.
    before = gql(platform, query, {"id": product_id}, tokens["editor"])["data"]["product"]["analytics"][
        "contentGenerated"
    ]
    assert "errors" not in gql(platform, GENERATE, {"p": product_id}, tokens["editor"])
    # The event travels off the request path (batched by content's emitter): wait for it, bounded.
    deadline = time.monotonic() + 15
    seen = before
    while seen == before and time.monotonic() < deadline:
        time.sleep(0.2)
        seen = gql(platform, query, {"id": product_id}, tokens["editor"])["data"]["product"]["analytics"][
            "contentGenerated"
        ]
    assert seen == before + 1


def readme_queries(heading: str) -> list[str]:
    """The ```graphql blocks of one README section, as a reviewer would paste them into GraphiQL."""
    text = (Path(__file__).parents[2] / "README.md").read_text()
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```graphql\n(.*?)```", section, flags=re.DOTALL)


def test_the_readme_walkthrough_runs_cleanly(platform: Platform, tokens: dict[str, str]) -> None:
    analyst = gql(platform, LOGIN, {"e": "analyst@soundcore.example", "p": "soundcore-demo"})["data"]["login"]
    content_query, metrics_query = readme_queries("### Content revisions and analytics")
    content = gql(platform, content_query, token=tokens["editor"])
    assert "errors" not in content, content["errors"]
    items = content["data"]["productBySlug"]["content"]
    assert {item["status"] for item in items} >= {"PUBLISHED", "DRAFT"}
    assert all(item["revisions"] for item in items)
    assert content["data"]["contentItem"]["diff"]["unified"].startswith("--- revision 1\n+++ revision 2\n")
    metrics = gql(platform, metrics_query, token=analyst["accessToken"])
    assert "errors" not in metrics, metrics["errors"]
    assert all(metrics["data"]["metrics"][field] for field in metrics["data"]["metrics"])

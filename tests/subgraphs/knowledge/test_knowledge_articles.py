"""Editors' article mutations: create, edit, workflow, versions; scopes and refusals; no half-writes."""

from __future__ import annotations

import asyncio

import pytest

CREATE = """
mutation($input: CreateArticleInput!) {
  createArticle(input: $input) { id slug status version kind locale tags publishedAt }
}
"""
EDIT = """
mutation($id: ID!, $input: EditArticleInput!, $expected: Int) {
  editArticle(id: $id, input: $input, expectedVersion: $expected) { id title body version status tags }
}
"""
MOVE = """
mutation($id: ID!, $to: ArticleStatus!, $expected: Int) {
  transitionArticle(id: $id, to: $to, expectedVersion: $expected) { id status version publishedAt }
}
"""
HISTORY = """
query($id: ID!) {
  article(id: $id) {
    version
    versions { number change status title body author { id } createdAt }
  }
}
"""
COUNTS = "{ all: articles(statuses: [DRAFT, REVIEW, PUBLISHED, ARCHIVED]) { totalCount } }"

NEW = {
    "slug": "reset-space-one",
    "title": "How to reset Space One",
    "kind": "TROUBLESHOOTING",
    "body": "# Reset\n\nHold the power button for 10 seconds.",
    "tags": ["space-one", "reset"],
}


async def total(api, headers) -> int:
    body = await api.gql(COUNTS, headers=headers)
    return int(body["data"]["all"]["totalCount"])


@pytest.mark.asyncio
async def test_an_article_goes_from_draft_to_published_and_every_step_is_a_version(api, as_user, editor) -> None:
    reviewer = as_user("knowledge:read", "knowledge:write", subject="usr-reviewer")
    created = await api.gql(CREATE, {"input": NEW}, headers=editor)
    article = created["data"]["createArticle"]
    assert article["slug"] == "reset-space-one"
    assert (article["status"], article["version"], article["locale"], article["publishedAt"]) == (
        "DRAFT",
        1,
        "en-US",
        None,
    )
    article_id = article["id"]

    edited = await api.gql(
        EDIT,
        {"id": article_id, "input": {"body": "# Reset\n\nHold power for 10 s.", "tags": ["reset"]}, "expected": 1},
        headers=editor,
    )
    assert edited["data"]["editArticle"]["version"] == 2
    assert edited["data"]["editArticle"]["tags"] == ["reset"]
    to_review = await api.gql(MOVE, {"id": article_id, "to": "REVIEW"}, headers=editor)
    published = await api.gql(MOVE, {"id": article_id, "to": "PUBLISHED", "expected": 3}, headers=reviewer)
    assert to_review["data"]["transitionArticle"]["status"] == "REVIEW"
    assert published["data"]["transitionArticle"]["status"] == "PUBLISHED"
    assert published["data"]["transitionArticle"]["publishedAt"] is not None

    history = await api.gql(HISTORY, {"id": article_id}, headers=editor)
    versions = history["data"]["article"]["versions"]
    assert history["data"]["article"]["version"] == 4
    assert [(v["number"], v["change"], v["status"], v["author"]) for v in versions] == [
        (4, "STATUS_CHANGED", "PUBLISHED", {"id": "usr-reviewer"}),
        (3, "STATUS_CHANGED", "REVIEW", {"id": "usr-editor"}),
        (2, "EDITED", "DRAFT", {"id": "usr-editor"}),
        (1, "CREATED", "DRAFT", {"id": "usr-editor"}),
    ]
    assert versions[3]["body"] == NEW["body"]
    assert versions[2]["body"] == "# Reset\n\nHold power for 10 s."
    # Published: now public, and found by search.
    public = await api.gql(
        '{ articleBySlug(slug: "reset-space-one") { status } '
        'search(query: "hold power") { edges { node { result { ... on Article { slug } } } } } }'
    )
    assert public["data"]["articleBySlug"] == {"status": "PUBLISHED"}
    assert {"node": {"result": {"slug": "reset-space-one"}}} in public["data"]["search"]["edges"]


@pytest.mark.asyncio
async def test_seeded_history_is_queryable(api, editor) -> None:
    body = await api.gql(HISTORY, {"id": "art-fix-pairing"}, headers=editor)

    versions = body["data"]["article"]["versions"]
    assert [(v["number"], v["change"], v["author"]["id"]) for v in versions] == [
        (4, "STATUS_CHANGED", "usr-admin"),
        (3, "STATUS_CHANGED", "usr-editor"),
        (2, "EDITED", "usr-editor"),
        (1, "CREATED", "usr-editor"),
    ]
    assert versions[-1]["createdAt"] == "2024-01-01T12:00:00+00:00"


@pytest.mark.asyncio
async def test_mutations_and_histories_need_scopes(api, as_user, error_codes) -> None:
    anonymous = await api.gql(CREATE, {"input": NEW})
    reader = await api.gql(CREATE, {"input": NEW}, headers=as_user("knowledge:read"))
    history = await api.gql(HISTORY, {"id": "art-fix-pairing"})
    move = await api.gql(MOVE, {"id": "art-draft-pairing", "to": "REVIEW"}, headers=as_user("support:write"))

    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    assert error_codes(reader) == ["FORBIDDEN"]
    assert "knowledge:write" in reader["errors"][0]["message"]
    assert error_codes(history) == ["UNAUTHENTICATED"]
    assert error_codes(move) == ["FORBIDDEN"]
    assert await total(api, as_user("knowledge:read")) == 6


@pytest.mark.asyncio
async def test_illegal_moves_name_both_ends_and_change_nothing(api, editor) -> None:
    skip = await api.gql(MOVE, {"id": "art-draft-pairing", "to": "PUBLISHED"}, headers=editor)
    archive_draft = await api.gql(MOVE, {"id": "art-draft-pairing", "to": "ARCHIVED"}, headers=editor)
    edit_archived = await api.gql(EDIT, {"id": "art-old-release", "input": {"title": "New"}}, headers=editor)

    [error] = skip["errors"]
    assert error["extensions"] == {
        "code": "BAD_USER_INPUT",
        "reason": "ILLEGAL_TRANSITION",
        "from": "DRAFT",
        "to": "PUBLISHED",
    }
    assert "from DRAFT to PUBLISHED" in error["message"]
    assert archive_draft["errors"][0]["extensions"]["to"] == "ARCHIVED"
    assert edit_archived["errors"][0]["extensions"]["reason"] == "ARCHIVED"
    history = await api.gql(HISTORY, {"id": "art-draft-pairing"}, headers=editor)
    assert history["data"]["article"]["version"] == 1
    assert len(history["data"]["article"]["versions"]) == 1


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("mutation", "variables", "code", "needle"),
    [
        (CREATE, {"input": {**NEW, "slug": "Not A Slug"}}, "BAD_USER_INPUT", "`slug`"),
        (CREATE, {"input": {**NEW, "slug": "fix-pairing"}}, "BAD_USER_INPUT", "is taken"),
        (CREATE, {"input": {**NEW, "title": "   "}}, "BAD_USER_INPUT", "`title` must not be blank"),
        (CREATE, {"input": {**NEW, "locale": "english"}}, "BAD_USER_INPUT", "`locale`"),
        (CREATE, {"input": {**NEW, "tags": ["ok", "not ok!"]}}, "BAD_USER_INPUT", "`tags`"),
        (CREATE, {"input": {**NEW, "body": "x" * 100_001}}, "BAD_USER_INPUT", "at most 100000"),
        (EDIT, {"id": "art-nope", "input": {"title": "x"}}, "NOT_FOUND", "art-nope"),
        (EDIT, {"id": "art-ldac-faq", "input": {}}, "BAD_USER_INPUT", "changes nothing"),
        (EDIT, {"id": "art-ldac-faq", "input": {"title": "x"}, "expected": 7}, "BAD_USER_INPUT", "version 1, not 7"),
        (MOVE, {"id": "art-nope", "to": "REVIEW"}, "NOT_FOUND", "art-nope"),
    ],
)
async def test_bad_input_is_refused_and_leaves_nothing_behind(  # noqa: PLR0913, PLR0917 - fixtures and parameters
    api, editor, mutation, variables, code, needle
) -> None:
    before = await total(api, editor)
    fix_pairing_before = await api.gql(HISTORY, {"id": "art-ldac-faq"}, headers=editor)

    body = await api.gql(mutation, variables, headers=editor)

    [error] = body["errors"]
    assert error["extensions"]["code"] == code
    assert needle in error["message"]
    assert await total(api, editor) == before
    assert await api.gql(HISTORY, {"id": "art-ldac-faq"}, headers=editor) == fix_pairing_before


@pytest.mark.asyncio
async def test_withdrawn_article_leaves_search_and_relations(api, editor) -> None:
    query = '{ search(query: "reset") { totalCount } solution(id: "sol-reset") { articles { slug } } }'
    before = await api.gql(query)

    moved = await api.gql(MOVE, {"id": "art-fix-pairing", "to": "DRAFT"}, headers=editor)

    after = await api.gql(query)
    assert moved["data"]["transitionArticle"] == {
        "id": "art-fix-pairing",
        "status": "DRAFT",
        "version": 5,
        "publishedAt": None,
    }
    assert before["data"] == {"search": {"totalCount": 2}, "solution": {"articles": [{"slug": "fix-pairing"}]}}
    assert after["data"] == {"search": {"totalCount": 1}, "solution": {"articles": []}}


@pytest.mark.asyncio
async def test_concurrent_edits_either_save_a_version_or_are_a_coded_conflict(api, editor) -> None:
    edit = 'mutation($t: String!) { editArticle(id: "art-ldac-faq", input: {title: $t}) { version } }'

    bodies = await asyncio.gather(*(api.gql(edit, {"t": f"LDAC FAQ {n}"}, headers=editor) for n in range(6)))

    saved = [body["data"]["editArticle"]["version"] for body in bodies if body.get("data")]
    refused = [body["errors"][0]["extensions"] for body in bodies if body.get("errors")]
    assert saved
    assert len(saved) + len(refused) == 6
    assert all(error == {"code": "BAD_USER_INPUT", "reason": "CONFLICT"} for error in refused)
    history = await api.gql(HISTORY, {"id": "art-ldac-faq"}, headers=editor)
    article = history["data"]["article"]
    assert sorted(saved) == list(range(2, 2 + len(saved)))
    assert article["version"] == 1 + len(saved)
    assert [v["number"] for v in article["versions"]] == list(range(article["version"], 0, -1))

"""The review workflow (who may move an item where, recorded with who and when) and revision diffs."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

MOVE = """mutation($id: ID!, $to: ContentStatus!, $comment: String) {
  transitionContentItem(id: $id, to: $to, comment: $comment) {
    id status statusChangedBy { id } publishedRevision { number }
    reviews { from to by { id } revisionNumber comment }
  } }"""
REVISE = "mutation($id: ID!, $body: String!) { reviseContentItem(id: $id, body: $body) { status } }"
DIFF = """query($id: ID!, $from: Int!, $to: Int!) { contentItem(id: $id) {
  diff(from: $from, to: $to) { from to unified addedLines removedLines } } }"""


async def move(client, headers: dict[str, str], item: str, to: str, comment: str | None = None) -> dict[str, Any]:
    return await client.gql(MOVE, {"id": item, "to": to, "comment": comment}, headers=headers)


@pytest.mark.asyncio
async def test_draft_to_published_records_who_and_when(client, writer, reviewer) -> None:
    submitted = await move(client, writer, "cnt-0002", "IN_REVIEW")
    assert submitted["data"]["transitionContentItem"]["status"] == "IN_REVIEW"
    sent_back = await move(client, reviewer, "cnt-0002", "DRAFT", "Say what is new.")
    assert sent_back["data"]["transitionContentItem"]["status"] == "DRAFT"
    await client.gql(REVISE, {"id": "cnt-0002", "body": "Silence, upgraded. New: 50 h battery."}, headers=writer)
    await move(client, writer, "cnt-0002", "IN_REVIEW")
    await move(client, reviewer, "cnt-0002", "APPROVED", "Good.")
    published = (await move(client, reviewer, "cnt-0002", "PUBLISHED"))["data"]["transitionContentItem"]
    assert published == {
        "id": "cnt-0002",
        "status": "PUBLISHED",
        "statusChangedBy": {"id": "usr-0003"},
        "publishedRevision": {"number": 2},
        "reviews": [
            {"from": "DRAFT", "to": "IN_REVIEW", "by": {"id": "usr-0004"}, "revisionNumber": 1, "comment": None},
            {"from": "IN_REVIEW", "to": "DRAFT", "by": {"id": "usr-0003"}, "revisionNumber": 1,
             "comment": "Say what is new."},
            {"from": "DRAFT", "to": "IN_REVIEW", "by": {"id": "usr-0004"}, "revisionNumber": 2, "comment": None},
            {"from": "IN_REVIEW", "to": "APPROVED", "by": {"id": "usr-0003"}, "revisionNumber": 2, "comment": "Good."},
            {"from": "APPROVED", "to": "PUBLISHED", "by": {"id": "usr-0003"}, "revisionNumber": 2, "comment": None},
        ],
    }  # fmt: skip
    # Now public, and its history readable with content:read only.
    public = await client.gql('{ contentItem(id: "cnt-0002") { status } }')
    assert public == {"data": {"contentItem": {"status": "PUBLISHED"}}}
    times = await client.gql('{ contentItem(id: "cnt-0002") { statusChangedAt reviews { at } } }', headers=reviewer)
    moments = [r["at"] for r in times["data"]["contentItem"]["reviews"]]
    assert moments == sorted(moments)
    assert times["data"]["contentItem"]["statusChangedAt"] == moments[-1]


@pytest.mark.asyncio
async def test_revising_an_approved_item_sends_it_back_to_draft(client, writer, reviewer) -> None:
    await move(client, reviewer, "cnt-0003", "APPROVED")
    assert (await client.gql(REVISE, {"id": "cnt-0003", "body": "Neu."}, headers=writer))["data"] == {
        "reviseContentItem": {"status": "DRAFT"}
    }
    reviews = await client.gql(
        '{ contentItem(id: "cnt-0003") { reviews { from to by { id } comment } } }', headers=writer
    )
    assert reviews["data"]["contentItem"]["reviews"][-1] == {
        "from": "APPROVED", "to": "DRAFT", "by": {"id": "usr-0004"}, "comment": "revised: needs review again",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("item", "target", "message"),
    [
        (
            "cnt-0002",
            "PUBLISHED",
            "A content item cannot move from draft to published; from draft it can move to in_review.",
        ),
        (
            "cnt-0002",
            "APPROVED",
            "A content item cannot move from draft to approved; from draft it can move to in_review.",
        ),
        (
            "cnt-0001",
            "IN_REVIEW",
            "A content item cannot move from published to in_review; from published it can move to draft.",
        ),
        (
            "cnt-0003",
            "IN_REVIEW",
            "A content item cannot move from in_review to in_review; from in_review it can move to approved, draft.",
        ),
    ],
)
@pytest.mark.asyncio
async def test_illegal_moves_name_from_and_to(client, reviewer, item: str, target: str, message: str) -> None:
    body = await move(client, reviewer, item, target)
    assert body["data"] is None
    error = body["errors"][0]
    assert error["message"] == message
    assert error["extensions"]["code"] == "ILLEGAL_TRANSITION"
    assert error["extensions"]["to"] == target
    assert error["extensions"]["from"] == message.split(" from ")[1].split(" ", maxsplit=1)[0].upper()


@pytest.mark.asyncio
async def test_each_move_needs_its_scope(client, writer, as_caller, error_codes) -> None:
    # A writer submits but cannot approve or publish; a reader cannot even submit.
    assert error_codes(await move(client, writer, "cnt-0003", "APPROVED")) == ["FORBIDDEN"]
    reader = as_caller("content:read", subject="usr-0009")
    assert error_codes(await move(client, reader, "cnt-0002", "IN_REVIEW")) == ["FORBIDDEN"]
    assert error_codes(await move(client, {}, "cnt-0002", "IN_REVIEW")) == ["UNAUTHENTICATED"]
    assert error_codes(await move(client, writer, "cnt-nope", "IN_REVIEW")) == ["NOT_FOUND"]
    statuses = await client.gql(
        '{ a: contentItem(id: "cnt-0002") { status } b: contentItem(id: "cnt-0003") { status } }', headers=writer
    )
    assert statuses["data"] == {"a": {"status": "DRAFT"}, "b": {"status": "IN_REVIEW"}}


@pytest.mark.asyncio
async def test_concurrent_moves_from_one_state_let_exactly_one_win(client, reviewer, error_codes) -> None:
    bodies = await asyncio.gather(
        *(move(client, reviewer, "cnt-0003", target) for target in ("APPROVED", "DRAFT", "APPROVED", "DRAFT"))
    )
    winners = [b for b in bodies if "errors" not in b]
    assert len(winners) == 1
    losers = [code for b in bodies if "errors" in b for code in error_codes(b)]
    assert set(losers) <= {"ILLEGAL_TRANSITION", "BAD_USER_INPUT"}
    item = await client.gql('{ contentItem(id: "cnt-0003") { status reviews { to } } }', headers=reviewer)
    assert len(item["data"]["contentItem"]["reviews"]) == 2  # the seeded submit, and the one winner


@pytest.mark.asyncio
async def test_diff_between_revisions(client, editor, error_codes) -> None:
    await client.gql(
        REVISE, {"id": "cnt-0001", "body": "Adaptive noise cancelling.\n50 h battery.\nMultipoint."}, headers=editor
    )
    body = await client.gql(DIFF, {"id": "cnt-0001", "from": 2, "to": 3}, headers=editor)
    assert body["data"]["contentItem"]["diff"] == {
        "from": 2,
        "to": 3,
        "unified": "--- revision 2\n+++ revision 3\n@@ -1 +1,3 @@\n-Adaptive noise cancelling, 50 h battery.\n"
        "+Adaptive noise cancelling.\n+50 h battery.\n+Multipoint.\n",
        "addedLines": 3,
        "removedLines": 1,
    }
    same = await client.gql(DIFF, {"id": "cnt-0001", "from": 2, "to": 2}, headers=editor)
    assert same["data"]["contentItem"]["diff"] == {
        "from": 2,
        "to": 2,
        "unified": "",
        "addedLines": 0,
        "removedLines": 0,
    }
    missing = await client.gql(DIFF, {"id": "cnt-0001", "from": 1, "to": 9}, headers=editor)
    assert missing["errors"][0]["message"] == "Content item 'cnt-0001' has no revision 9."
    assert error_codes(missing) == ["NOT_FOUND"]
    # Revised, cnt-0001 is a draft again: hidden from anonymous readers altogether.
    assert await client.gql(DIFF, {"id": "cnt-0001", "from": 1, "to": 2}) == {"data": {"contentItem": None}}
    published = await client.gql(DIFF, {"id": "cnt-0004", "from": 1, "to": 1})
    assert published["data"] == {"contentItem": {"diff": None}}
    assert error_codes(published) == ["UNAUTHENTICATED"]

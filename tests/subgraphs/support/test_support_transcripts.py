"""Ticket transcripts in the document store: the same on the embedded store and on MongoDB (FerretDB),
the order of the two writes of a message, and the move of messages an older version kept in the
relational ``ticket_messages`` table.

The ``documents`` parameter picks the document store; ``mongodb`` runs when ``KCP_TEST_MONGODB_URI``
names a server (``scripts/services up mongo``) and gives each test a database of its own.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from support_world import AGENT, AGENT_ID, CUSTOMER, CUSTOMER_ID, SECRET, T0, as_caller, demo_data

from kcp.settings import Settings
from kcp.stores.documents_sqlite import SqliteDocumentStore
from kcp.stores.relational import RelationalStore
from subgraphs.support.app import create_app
from subgraphs.support.seed import seed
from subgraphs.support.stores import SupportStores
from subgraphs.support.tables import TicketMessageRow
from subgraphs.support.tickets.repository import TicketRepository
from subgraphs.support.tickets.transcripts import MessageRecord

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.asyncio

THREAD = """query($id: ID!) { ticket(id: $id) {
    status firstResponseAt messages(includeInternal: true) { id body internal createdAt author { id } }
} }"""
REPLY = """mutation($id: ID!, $body: String!, $internal: Boolean!) {
    addTicketMessage(ticketId: $id, body: $body, internal: $internal) { id createdAt }
}"""


@pytest.fixture(params=["embedded", "mongodb"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Support's settings on either document store (the relational store as the rest of the suite)."""
    if request.param == "embedded":
        return Settings(kcp_data_dir=tmp_path, kcp_identity_secret=SECRET)
    uri = request.getfixturevalue("mongodb_uri")
    return Settings(kcp_data_dir=tmp_path, kcp_identity_secret=SECRET, mongodb_uri=uri)


async def _thread(client: Any, ticket_id: str) -> dict[str, Any]:
    body = await client.gql(THREAD, {"id": ticket_id}, headers=as_caller(AGENT))
    assert "errors" not in body, body
    return dict(body["data"]["ticket"])


def _message(number: int, ticket_id: str, *, minutes: int, internal: bool = False) -> MessageRecord:
    return MessageRecord(
        id=f"msg-{number:04d}",
        ticket_id=ticket_id,
        author_id=AGENT_ID,
        body=f"Message {number}",
        internal=internal,
        created_at=T0 + timedelta(minutes=minutes),
    )


async def test_the_repository_appends_each_message_once_and_reads_threads_in_one_batch(settings: Settings) -> None:
    stores = SupportStores.open(settings)
    try:
        await stores.ensure_schema()
        transcripts = stores.transcripts
        first = [
            _message(3, "tkt-a", minutes=5),
            _message(1, "tkt-a", minutes=1, internal=True),
            _message(2, "tkt-b", minutes=1),
            _message(9, "tkt-a", minutes=5),  # same moment as msg-0003: the id decides
        ]
        assert await transcripts.append(first) == 4
        # A retry of the same writes, with one new message: only the new one lands.
        assert await transcripts.append([*first, _message(4, "tkt-c", minutes=0)]) == 1
        assert await transcripts.count() == 5

        batch = await transcripts.messages_of(["tkt-b", "tkt-a", "tkt-none"])
        assert [(m.ticket_id, m.id) for m in batch] == [
            ("tkt-a", "msg-0001"),
            ("tkt-a", "msg-0003"),
            ("tkt-a", "msg-0009"),
            ("tkt-b", "msg-0002"),
        ]
        assert batch[0] == _message(1, "tkt-a", minutes=1, internal=True)  # every field, the time in UTC
        assert await transcripts.messages_of([]) == []
        assert await transcripts.messages_of(["tkt-none"]) == []
    finally:
        await stores.close()


async def test_messages_are_served_from_the_document_store_on_either_store(
    settings: Settings, new_progress, graphql_app
) -> None:
    await seed(settings, demo_data(), new_progress())
    async with graphql_app(create_app(settings), base_url="http://support") as client:
        thread = await _thread(client, "tkt-0001")
        assert [(m["id"], m["internal"]) for m in thread["messages"]] == [
            ("msg-0001", False),
            ("msg-0002", True),
            ("msg-0003", False),
        ]
        reply = await client.gql(
            REPLY, {"id": "tkt-0004", "body": "Try a new cable.", "internal": False}, headers=as_caller(AGENT)
        )
        assert "errors" not in reply, reply
        after = await _thread(client, "tkt-0004")
        assert after["messages"][-1]["id"] == reply["data"]["addTicketMessage"]["id"]
        assert after["firstResponseAt"] == reply["data"]["addTicketMessage"]["createdAt"]
        ready = await client.http.get("/ready")
        assert ready.json() == {"status": "ready", "service": "support"}


async def test_a_message_refused_by_the_document_store_leaves_the_ticket_as_it_was(
    settings: Settings, new_progress, graphql_app, monkeypatch: pytest.MonkeyPatch, error_codes
) -> None:
    await seed(settings, demo_data(), new_progress())
    async with graphql_app(create_app(settings), base_url="http://support") as client:
        before = await _thread(client, "tkt-0002")

        async def refused(*_args: object, **_kwargs: object) -> int:
            msg = "the document store went away"
            raise ConnectionError(msg)

        target = SqliteDocumentStore
        if settings.mongodb_uri:
            from kcp.stores.documents_mongo import MongoDocumentStore  # noqa: PLC0415 - the MongoDB half only

            target = MongoDocumentStore  # type: ignore[assignment]
        with monkeypatch.context() as patch:
            patch.setattr(target, "insert_many_missing", refused)
            body = await client.gql(
                REPLY, {"id": "tkt-0002", "body": "Still broken.", "internal": False}, headers=as_caller(CUSTOMER)
            )
        assert error_codes(body) == ["STORE_UNAVAILABLE"]
        # Nothing was written: the PENDING ticket was not reopened by a message nobody stored.
        assert await _thread(client, "tkt-0002") == before
        assert before["status"] == "PENDING"


async def test_a_stored_message_whose_ticket_write_failed_is_kept_and_the_next_message_repairs_the_ticket(
    settings: Settings, new_progress, graphql_app, monkeypatch: pytest.MonkeyPatch, error_codes
) -> None:
    await seed(settings, demo_data(), new_progress())
    async with graphql_app(create_app(settings), base_url="http://support") as client:

        def relational_down(*_args: object, **_kwargs: object) -> Any:
            msg = "the relational store went away"
            raise ConnectionError(msg)

        with monkeypatch.context() as patch:
            # Reads still work (the rules are checked), the ticket's transaction does not.
            patch.setattr(RelationalStore, "transaction", relational_down)
            failed = await client.gql(
                REPLY, {"id": "tkt-0004", "body": "First answer.", "internal": False}, headers=as_caller(AGENT)
            )
        assert error_codes(failed) == ["STORE_UNAVAILABLE"]
        half = await _thread(client, "tkt-0004")
        assert [m["body"] for m in half["messages"]] == ["First answer."]  # stored, never lost
        assert half["firstResponseAt"] is None

        second = await client.gql(
            REPLY, {"id": "tkt-0004", "body": "Second answer.", "internal": False}, headers=as_caller(AGENT)
        )
        assert "errors" not in second, second
        healed = await _thread(client, "tkt-0004")
        assert [m["body"] for m in healed["messages"]] == ["First answer.", "Second answer."]
        # The first response is the first answer's time, derived from the stored thread.
        assert healed["firstResponseAt"] == healed["messages"][0]["createdAt"]


async def _write_legacy_rows(settings: Settings, rows: list[TicketMessageRow]) -> None:
    """Rows in the relational table, as a version before the transcripts moved wrote them."""
    stores = SupportStores.open(settings)
    try:
        async with stores.relational.transaction() as session:
            session.add_all(rows)
    finally:
        await stores.close()


async def _legacy_rows_left(settings: Settings) -> int:
    stores = SupportStores.open(settings)
    try:
        async with stores.relational.reading() as session:
            return len(await TicketRepository(session).legacy_messages(1000))
    finally:
        await stores.close()


def _legacy(number: int, ticket_id: str, author_id: str, *, minutes: int, internal: bool = False) -> TicketMessageRow:
    return TicketMessageRow(
        id=f"msg-{number:04d}",
        ticket_id=ticket_id,
        author_id=author_id,
        body=f"Legacy message {number}",
        internal=internal,
        created_at=T0 + timedelta(hours=2, minutes=minutes),
    )


async def test_messages_left_in_the_relational_table_are_moved_at_start_and_served(
    settings: Settings, new_progress, graphql_app
) -> None:
    await seed(settings, demo_data(), new_progress())
    legacy = [
        _legacy(901, "tkt-0002", CUSTOMER_ID, minutes=1),
        _legacy(902, "tkt-0002", AGENT_ID, minutes=2, internal=True),
        _legacy(903, "tkt-0002", AGENT_ID, minutes=3),
    ]
    # msg-0001 is in both stores: a move that copied it and died before deleting the row.
    copied_but_not_deleted = TicketMessageRow(
        id="msg-0001",
        ticket_id="tkt-0001",
        author_id=CUSTOMER_ID,
        body="My left earbud will not pair.",
        internal=False,
        created_at=T0 + timedelta(hours=1, minutes=5),
    )
    await _write_legacy_rows(settings, [*legacy, copied_but_not_deleted])
    assert await _legacy_rows_left(settings) == 4

    async with graphql_app(create_app(settings), base_url="http://support") as client:
        moved = await _thread(client, "tkt-0002")
        assert [(m["id"], m["body"], m["internal"], m["author"]) for m in moved["messages"]] == [
            ("msg-0901", "Legacy message 901", False, {"id": CUSTOMER_ID}),
            ("msg-0902", "Legacy message 902", True, {"id": AGENT_ID}),
            ("msg-0903", "Legacy message 903", False, {"id": AGENT_ID}),
        ]
        assert moved["messages"][0]["createdAt"] == "2025-04-01T10:01:00+00:00"
        assert [m["id"] for m in (await _thread(client, "tkt-0001"))["messages"]] == [
            "msg-0001",
            "msg-0002",
            "msg-0003",
        ]
    assert await _legacy_rows_left(settings) == 0  # the rows are gone, the table stays

    # Starting again moves nothing and doubles nothing.
    stores = SupportStores.open(settings)
    try:
        await stores.ensure_schema()
        assert await stores.transcripts.count() == 6
    finally:
        await stores.close()


KEYED_REPLY = """mutation($id: ID!, $body: String!, $key: String) {
    addTicketMessage(ticketId: $id, body: $body, idempotencyKey: $key) { id body createdAt }
}"""


async def test_a_retry_with_the_same_key_after_a_failed_ticket_write_converges(
    settings: Settings, new_progress, graphql_app, monkeypatch: pytest.MonkeyPatch, error_codes
) -> None:
    await seed(settings, demo_data(), new_progress())
    reply = {"id": "tkt-0004", "body": "Please try another cable.", "key": "reply-4f1c2b7e"}
    async with graphql_app(create_app(settings), base_url="http://support") as client:

        def relational_down(*_args: object, **_kwargs: object) -> Any:
            msg = "the relational store went away"
            raise ConnectionError(msg)

        with monkeypatch.context() as patch:
            patch.setattr(RelationalStore, "transaction", relational_down)
            failed = await client.gql(KEYED_REPLY, reply, headers=as_caller(AGENT))
        assert error_codes(failed) == ["STORE_UNAVAILABLE"]

        retried = await client.gql(KEYED_REPLY, reply, headers=as_caller(AGENT))
        again = await client.gql(KEYED_REPLY, reply, headers=as_caller(AGENT))
        assert "errors" not in retried, retried
        assert again == retried  # the same message, not a new one
        message = retried["data"]["addTicketMessage"]
        thread = await _thread(client, "tkt-0004")
        assert [m["id"] for m in thread["messages"]] == [message["id"]]
        assert thread["firstResponseAt"] == message["createdAt"]


async def test_a_key_reused_for_another_message_is_refused_and_writes_nothing(
    settings: Settings, new_progress, graphql_app, error_codes
) -> None:
    await seed(settings, demo_data(), new_progress())
    async with graphql_app(create_app(settings), base_url="http://support") as client:
        first = await client.gql(
            KEYED_REPLY, {"id": "tkt-0002", "body": "Reset done.", "key": "answer-0001"}, headers=as_caller(CUSTOMER)
        )
        assert "errors" not in first, first
        before = await _thread(client, "tkt-0002")
        assert before["status"] == "OPEN"  # the customer's answer reopened the PENDING ticket
        for changed in (
            {"id": "tkt-0002", "body": "Something else.", "key": "answer-0001"},
            {"id": "tkt-0001", "body": "Reset done.", "key": "answer-0001"},  # another ticket
        ):
            body = await client.gql(KEYED_REPLY, changed, headers=as_caller(CUSTOMER))
            assert error_codes(body) == ["IDEMPOTENCY_KEY_REUSED"]
        assert await _thread(client, "tkt-0002") == before
        assert len((await _thread(client, "tkt-0001"))["messages"]) == 3
        # The same key from somebody else is their own key.
        other = await client.gql(
            KEYED_REPLY, {"id": "tkt-0002", "body": "Noted.", "key": "answer-0001"}, headers=as_caller(AGENT)
        )
        assert other["data"]["addTicketMessage"]["id"] != first["data"]["addTicketMessage"]["id"]
        short = await client.gql(
            KEYED_REPLY, {"id": "tkt-0002", "body": "Hi", "key": "short"}, headers=as_caller(CUSTOMER)
        )
        assert error_codes(short) == ["BAD_USER_INPUT"]

"""All document-store access of ticket conversation transcripts (messages and internal notes).

One collection, ``ticket_messages``, one document per message whose ``_id`` is the message id.
Messages are never changed once written, so writing one again (a retry) is a no-op rather than a
duplicate. The ticket itself and what a message implies for it (first response, PENDING → OPEN)
stay in the relational store; see ``TicketService.add_message`` for the order of the two writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from kcp.stores.documents import Document, DocumentStore

MESSAGES = "ticket_messages"
# The thread of a batch of tickets is read by ticket id, oldest first; the id breaks ties.
_THREAD_ORDER = (("ticketId", 1), ("createdAt", 1), ("_id", 1))


def to_stored_time(moment: datetime) -> str:
    """UTC ISO text of fixed width, so the store's text order is time order on both stores."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_stored_time(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class MessageRecord:
    """One message of a ticket's thread as stored; ``internal`` marks an agent's note."""

    id: str
    ticket_id: str
    author_id: str
    body: str
    internal: bool
    created_at: datetime
    # The digest of the request that wrote it when the caller gave an idempotency key: a repeat
    # of the key with other arguments is then told apart from a retry.
    request_digest: str | None = None

    def to_document(self) -> Document:
        document: Document = {
            "_id": self.id,
            "ticketId": self.ticket_id,
            "authorId": self.author_id,
            "body": self.body,
            "internal": self.internal,
            "createdAt": to_stored_time(self.created_at),
        }
        if self.request_digest is not None:
            document["requestDigest"] = self.request_digest
        return document

    @classmethod
    def from_document(cls, document: Document) -> MessageRecord:
        return cls(
            id=str(document["_id"]),
            ticket_id=str(document["ticketId"]),
            author_id=str(document["authorId"]),
            body=str(document["body"]),
            internal=bool(document["internal"]),
            created_at=from_stored_time(str(document["createdAt"])),
            request_digest=None if document.get("requestDigest") is None else str(document["requestDigest"]),
        )


def first_response(thread: Iterable[MessageRecord], customer_id: str) -> datetime | None:
    """When the ticket was first answered: the first public message by someone other than the customer."""
    return min(
        (m.created_at for m in thread if not m.internal and m.author_id != customer_id),
        default=None,
    )


class TranscriptRepository:
    """Ticket messages in the document store."""

    def __init__(self, documents: DocumentStore) -> None:
        self._documents = documents

    async def ensure_indexes(self) -> None:
        """Threads are read by ticket id, oldest first: one index on both (idempotent; run at start)."""
        await self._documents.ensure_index(MESSAGES, "ticketId", "createdAt")

    async def append(self, messages: Sequence[MessageRecord]) -> int:
        """Store the messages whose id is new; return how many were new. Repeating it is harmless."""
        return await self._documents.insert_many_missing(MESSAGES, [m.to_document() for m in messages])

    async def get(self, message_id: str) -> MessageRecord | None:
        document = await self._documents.get(MESSAGES, message_id)
        return None if document is None else MessageRecord.from_document(document)

    async def messages_of(self, ticket_ids: Sequence[str]) -> list[MessageRecord]:
        """Every message of these tickets, grouped by ticket and oldest first: one query for the batch."""
        if not ticket_ids:
            return []
        documents = await self._documents.find(MESSAGES, {"ticketId": list(ticket_ids)}, sort=_THREAD_ORDER)
        return [MessageRecord.from_document(document) for document in documents]

    async def count(self) -> int:
        return await self._documents.count(MESSAGES)

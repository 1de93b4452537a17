"""Move ticket messages left in the relational ``ticket_messages`` table into the document store.

Before transcripts moved to the document store, every message was a row of that table. At start
the service moves whatever is still there, a chunk at a time: copy the rows into the document store
(``append`` skips ids already there), and only once the store has acknowledged them delete the rows.
A crash between the two leaves the rows behind and the next start copies them again, harmlessly,
so no message is lost or doubled; two replicas starting at once do the same work twice, harmlessly.
When a store cannot be reached at start, the move waits for the readiness probe that finds both
answering (the service is not ready before that, and the store's own probe says why).

The table itself stays: its migration created it, and dropping it belongs in a later migration
once every deployment has started this version and emptied it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import structlog

from subgraphs.support.tickets.repository import TicketRepository
from subgraphs.support.tickets.transcripts import MessageRecord, TranscriptRepository

if TYPE_CHECKING:
    from kcp.stores.documents import DocumentStore
    from kcp.stores.relational import RelationalStore
    from subgraphs.support.tables import TicketMessageRow

log = structlog.get_logger()

MOVE_CHUNK = 500


def _record(row: TicketMessageRow) -> MessageRecord:
    return MessageRecord(
        id=row.id,
        ticket_id=row.ticket_id,
        author_id=row.author_id,
        body=row.body,
        internal=row.internal,
        created_at=row.created_at,
    )


async def move_legacy_messages(relational: RelationalStore, transcripts: TranscriptRepository) -> int:
    """Move every message row into the transcripts; return how many rows were moved."""
    moved = 0
    while True:
        async with relational.reading() as session:
            rows = await TicketRepository(session).legacy_messages(MOVE_CHUNK)
        if not rows:
            break
        await transcripts.append([_record(row) for row in rows])
        async with relational.transaction() as session:
            await TicketRepository(session).delete_legacy_messages([row.id for row in rows])
        moved += len(rows)
        log.info("support.legacy_messages_moved", moved=moved)
    return moved


class LegacyMessageMove:
    """The move, done once per process: at start, or by the first readiness probe that finds both
    stores answering when one of them could not be reached at start."""

    def __init__(self, relational: RelationalStore, documents: DocumentStore) -> None:
        self._relational = relational
        self._documents = documents
        self._done = False

    async def attempt(self) -> None:
        """Move what is left unless a store is unreachable; a failure of the move itself raises."""
        if self._done:
            return
        try:
            await self._relational.ping()
            await self._documents.ping()
        except Exception as error:  # noqa: BLE001 - unreachable: that store's own readiness probe names it
            log.warning("support.legacy_messages_move_deferred", error=type(error).__name__)
            return
        await move_legacy_messages(self._relational, TranscriptRepository(self._documents))
        self._done = True

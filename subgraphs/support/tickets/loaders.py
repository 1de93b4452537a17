"""DataLoaders of the ticket domain, built once per request: one store query per batch.

List loaders are keyed by (owner id, status, first, visible customer); keys that share all but the
owner (every key of one `_entities` batch does) are answered by a single windowed query.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, NamedTuple

from strawberry.dataloader import DataLoader

from kcp.batching import grouped_records, records_by_id, values_by_id
from subgraphs.support.tickets.repository import TicketRepository

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Sequence

    from kcp.stores.relational import RelationalStore
    from subgraphs.support.tables import TicketRow
    from subgraphs.support.tickets.transcripts import MessageRecord, TranscriptRepository

MAX_BATCH = 500


class OwnedTicketsKey(NamedTuple):
    owner_id: str
    status: str | None
    first: int
    customer_id: str | None = None  # a customer sees only their own tickets


@dataclass(frozen=True, slots=True)
class TicketLoaders:
    ticket_by_id: DataLoader[str, TicketRow | None]
    messages_by_ticket: DataLoader[str, list[MessageRecord]]
    tickets_by_product: DataLoader[OwnedTicketsKey, list[TicketRow]]
    tickets_by_assignee: DataLoader[OwnedTicketsKey, list[TicketRow]]
    unsolved_count_by_product: DataLoader[str, int]


def build_loaders(store: RelationalStore, transcripts: TranscriptRepository) -> TicketLoaders:
    async def fetch_tickets(ids: list[str]) -> list[TicketRow]:
        async with store.reading() as session:
            return await TicketRepository(session).tickets_by_ids(ids)

    def owned_by(
        owner: Literal["product_id", "assignee_id"],
    ) -> Callable[[Sequence[OwnedTicketsKey]], Awaitable[list[list[TicketRow]]]]:
        async def load(keys: Sequence[OwnedTicketsKey]) -> list[list[TicketRow]]:
            groups: dict[tuple[str | None, int, str | None], list[str]] = defaultdict(list)
            for key in keys:
                groups[key.status, key.first, key.customer_id].append(key.owner_id)
            found: dict[OwnedTicketsKey, list[TicketRow]] = defaultdict(list)
            async with store.reading() as session:
                repository = TicketRepository(session)
                for (status, first, customer_id), owner_ids in groups.items():
                    rows = await repository.latest_tickets_of(
                        owner, owner_ids, status=status, first=first, customer_id=customer_id
                    )
                    for row in rows:
                        owner_id = row.product_id if owner == "product_id" else row.assignee_id
                        found[OwnedTicketsKey(str(owner_id), status, first, customer_id)].append(row)
            return [found.get(key, []) for key in keys]

        return load

    async def fetch_unsolved_counts(product_ids: list[str]) -> dict[str, int]:
        async with store.reading() as session:
            return await TicketRepository(session).unsolved_counts(product_ids)

    return TicketLoaders(
        ticket_by_id=records_by_id(fetch_tickets, lambda row: row.id, max_batch_size=MAX_BATCH),
        # One find over the transcripts for the whole batch.
        messages_by_ticket=grouped_records(
            transcripts.messages_of, lambda message: message.ticket_id, max_batch_size=MAX_BATCH
        ),
        # Windowed per (status, first, customer), so not one of the kernel's shapes: a load of its own.
        tickets_by_product=DataLoader(load_fn=owned_by("product_id"), max_batch_size=MAX_BATCH),
        tickets_by_assignee=DataLoader(load_fn=owned_by("assignee_id"), max_batch_size=MAX_BATCH),
        unsolved_count_by_product=values_by_id(fetch_unsolved_counts, 0, max_batch_size=MAX_BATCH),
    )

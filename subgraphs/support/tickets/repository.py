"""All relational access of the ticket domain; the caller owns the session and its transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import ColumnElement, Select, case, delete, func, select

from subgraphs.support.tables import TicketMessageRow, TicketRow
from subgraphs.support.tickets import workflow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.ext.asyncio import AsyncSession

UNSOLVED = tuple(sorted(status.value for status in workflow.UNSOLVED))


QueueOrder = Literal["newest", "oldest", "priority"]

# Every order ends on the id, so a page boundary (an offset cursor) is stable between requests.
_URGENCY = case({"urgent": 0, "high": 1, "normal": 2, "low": 3}, value=TicketRow.priority, else_=4)
_ORDERS: dict[str, tuple[ColumnElement[Any], ...]] = {
    "newest": (TicketRow.created_at.desc(), TicketRow.id.desc()),
    "oldest": (TicketRow.created_at.asc(), TicketRow.id.asc()),
    # The desk's working order: most urgent first, and within a priority who waited longest.
    "priority": (_URGENCY.asc(), TicketRow.created_at.asc(), TicketRow.id.asc()),
}


@dataclass(frozen=True, slots=True)
class TicketFilter:
    """A queue: tickets matching every given condition (None = no condition)."""

    statuses: tuple[str, ...] | None = None
    priorities: tuple[str, ...] | None = None
    product_id: str | None = None
    assignee_id: str | None = None
    unassigned: bool = False
    customer_id: str | None = None
    order: QueueOrder = "newest"


def _filtered(query: Select[Any], filters: TicketFilter) -> Select[Any]:
    if filters.statuses is not None:
        query = query.where(TicketRow.status.in_(filters.statuses))
    if filters.priorities is not None:
        query = query.where(TicketRow.priority.in_(filters.priorities))
    if filters.product_id is not None:
        query = query.where(TicketRow.product_id == filters.product_id)
    if filters.assignee_id is not None:
        query = query.where(TicketRow.assignee_id == filters.assignee_id)
    if filters.unassigned:
        query = query.where(TicketRow.assignee_id.is_(None))
    if filters.customer_id is not None:
        query = query.where(TicketRow.customer_id == filters.customer_id)
    return query


class TicketRepository:
    """Queries over ``tickets`` inside one session (messages live in the document store, see
    ``transcripts``; the old ``ticket_messages`` table is only read to move what is left in it)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def tickets_by_ids(self, ticket_ids: Sequence[str]) -> list[TicketRow]:
        result = await self._session.scalars(select(TicketRow).where(TicketRow.id.in_(ticket_ids)))
        return list(result)

    async def get_ticket(self, ticket_id: str) -> TicketRow | None:
        return await self._session.get(TicketRow, ticket_id)

    async def latest_tickets_of(
        self,
        owner: Literal["product_id", "assignee_id"],
        owner_ids: Sequence[str],
        *,
        status: str | None,
        first: int,
        customer_id: str | None = None,
    ) -> list[TicketRow]:
        """The newest ``first`` tickets of each owner, in ONE query (a window per owner).

        With ``customer_id``, only that customer's tickets count (what a customer may see).
        """
        column = TicketRow.product_id if owner == "product_id" else TicketRow.assignee_id
        rank = (
            func.row_number()
            .over(partition_by=column, order_by=(TicketRow.created_at.desc(), TicketRow.id.desc()))
            .label("rank")
        )
        ranked = select(TicketRow.id, rank).where(column.in_(owner_ids))
        if status is not None:
            ranked = ranked.where(TicketRow.status == status)
        if customer_id is not None:
            ranked = ranked.where(TicketRow.customer_id == customer_id)
        inner = ranked.subquery()
        query = (
            select(TicketRow)
            .join(inner, inner.c.id == TicketRow.id)
            .where(inner.c.rank <= first)
            .order_by(TicketRow.created_at.desc(), TicketRow.id.desc())
        )
        return list(await self._session.scalars(query))

    async def unsolved_counts(self, product_ids: Sequence[str]) -> dict[str, int]:
        query = (
            select(TicketRow.product_id, func.count())
            .where(TicketRow.product_id.in_(product_ids), TicketRow.status.in_(UNSOLVED))
            .group_by(TicketRow.product_id)
        )
        return {str(product_id): int(count) for product_id, count in await self._session.execute(query)}

    async def queue(self, filters: TicketFilter, *, offset: int, limit: int) -> list[TicketRow]:
        """One page of the tickets matching ``filters``, in ``filters.order``."""
        query = _filtered(select(TicketRow), filters).order_by(*_ORDERS[filters.order]).offset(offset).limit(limit)
        return list(await self._session.scalars(query))

    async def count_queue(self, filters: TicketFilter) -> int:
        query = _filtered(select(func.count()).select_from(TicketRow), filters)
        return int(await self._session.scalar(query) or 0)

    def add(self, row: TicketRow) -> None:
        self._session.add(row)

    async def existing_ticket_ids(self, ticket_ids: Sequence[str]) -> set[str]:
        return set(await self._session.scalars(select(TicketRow.id).where(TicketRow.id.in_(ticket_ids))))

    async def count_tickets(self) -> int:
        return int(await self._session.scalar(select(func.count()).select_from(TicketRow)) or 0)

    async def legacy_messages(self, limit: int) -> list[TicketMessageRow]:
        """Up to ``limit`` messages still in the relational table they were kept in before transcripts moved."""
        query = select(TicketMessageRow).order_by(TicketMessageRow.id).limit(limit)
        return list(await self._session.scalars(query))

    async def delete_legacy_messages(self, message_ids: Sequence[str]) -> None:
        await self._session.execute(delete(TicketMessageRow).where(TicketMessageRow.id.in_(message_ids)))

"""Use cases of the ticket domain. Every write runs in ONE transaction here, never in a resolver:
it commits when the use case returns and rolls back when it raises, so a refused mutation leaves
nothing behind. Events go to analytics only after the commit.

Scopes are checked by the resolvers (``Identity.require...``) before a use case runs; the use
cases add the rules that need the ticket itself: a customer acts only on their own tickets, the
workflow decides which status moves are legal.
"""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

import structlog
from sqlalchemy.orm.exc import StaleDataError

from kcp.errors import ForbiddenError
from kcp.idempotency import IdempotencyKeyReusedError, IdempotentRequest, IdempotentWrites
from subgraphs.support.tables import IDEMPOTENCY_KEYS, TicketRow
from subgraphs.support.tickets import events, workflow
from subgraphs.support.tickets.access import acts_for, is_agent
from subgraphs.support.tickets.errors import InvalidTicketInputError, TicketNotFoundError
from subgraphs.support.tickets.repository import TicketRepository
from subgraphs.support.tickets.transcripts import MessageRecord, first_response
from subgraphs.support.tickets.workflow import Status, TicketClosedError, check_transition

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.ext.asyncio import AsyncSession

    from kcp.identity import Caller
    from kcp.pagination import Window
    from kcp.stores.relational import RelationalStore
    from subgraphs.support.tickets.access import TicketReader
    from subgraphs.support.tickets.events import EventSink
    from subgraphs.support.tickets.repository import TicketFilter
    from subgraphs.support.tickets.transcripts import TranscriptRepository

log = structlog.get_logger()

Outcome = TypeVar("Outcome")

# Tries of one ticket change when other requests keep changing the ticket under it.
MAX_ATTEMPTS = 5
MAX_SUBJECT_LENGTH = 200
MAX_TEXT_LENGTH = 20_000
MAX_ID_LENGTH = 64
MAX_TAGS = 10
MAX_TAG_LENGTH = 32
MAX_COMMENT_LENGTH = 2_000
CSAT_SCORES = range(1, 6)
PRIORITIES = frozenset({"low", "normal", "high", "urgent"})
CHANNELS = frozenset({"email", "chat", "phone", "web"})


def _text(value: str, field: str, *, max_length: int, required: bool = True) -> str:
    cleaned = value.strip()
    if required and not cleaned:
        msg = f"`{field}` must not be empty."
        raise InvalidTicketInputError(msg)
    if len(cleaned) > max_length:
        msg = f"`{field}` must be at most {max_length} characters; got {len(cleaned)}."
        raise InvalidTicketInputError(msg)
    return cleaned


def _choice(value: str, field: str, allowed: frozenset[str]) -> str:
    if value not in allowed:
        msg = f"`{field}` must be one of {sorted(allowed)}; got {value!r}."
        raise InvalidTicketInputError(msg)
    return value


def _tags(values: list[str]) -> list[str]:
    """Lower-case, trimmed, unique, in the order given; at most ``MAX_TAGS`` short ones."""
    cleaned: list[str] = []
    for value in values:
        tag = _text(value, "tags", max_length=MAX_TAG_LENGTH).lower()
        if tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        msg = f"`tags` may hold at most {MAX_TAGS} tags; got {len(cleaned)}."
        raise InvalidTicketInputError(msg)
    return cleaned


def _message_id(request: IdempotentRequest) -> str:
    """The same message id for every call of one caller with one key (on any ticket: the key used
    on another ticket then finds the first message, and is refused as reused)."""
    seed = f"{request.caller}\n{request.operation}\n{request.key}"
    return f"msg-{hashlib.sha256(seed.encode()).hexdigest()[:24]}"


@dataclass(frozen=True, slots=True)
class NewTicket:
    subject: str
    description: str
    product_id: str
    customer_id: str | None  # None: the caller opens it for themselves
    channel: str
    priority: str
    tags: list[str]


@dataclass(frozen=True, slots=True)
class TicketChanges:
    """An agent's edit of a ticket's triage fields; None leaves a field as it is."""

    priority: str | None = None
    tags: list[str] | None = None


@dataclass(frozen=True, slots=True)
class TicketPage:
    rows: list[TicketRow]
    window: Window
    total_count: int


class TicketService:
    """Use cases of tickets; store access goes through ``TicketRepository`` (tickets, relational)
    and ``TranscriptRepository`` (their messages, in the document store)."""

    def __init__(
        self,
        store: RelationalStore,
        transcripts: TranscriptRepository,
        sink: EventSink,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._store = store
        self._transcripts = transcripts
        self._sink = sink
        self._clock = clock or (lambda: datetime.now(UTC))
        self._idempotent = IdempotentWrites(store, IDEMPOTENCY_KEYS, clock=self._clock)

    def _now(self) -> datetime:
        return self._clock().astimezone(UTC)

    # ---- reads ------------------------------------------------------------------------------

    async def queue(self, reader: TicketReader, filters: TicketFilter, window: Window) -> TicketPage:
        """A page of tickets matching ``filters``; a customer's queue holds only their own."""
        if reader.own_customer_id is not None:
            filters = dataclasses.replace(filters, customer_id=reader.own_customer_id)
        async with self._store.reading() as session:
            repository = TicketRepository(session)
            rows = await repository.queue(filters, offset=window.offset, limit=window.limit + 1)
            total = await repository.count_queue(filters)
        return TicketPage(rows=rows, window=window, total_count=total)

    # ---- writes -----------------------------------------------------------------------------

    async def create(self, caller: Caller, new: NewTicket, *, idempotency_key: str | None) -> TicketRow:
        """Open a ticket (OPEN, unassigned). A customer opens tickets for themselves only.

        With an idempotency key, a repeat of the same request by the same caller returns the
        ticket the first call created instead of opening another.
        """
        customer_id = self._customer_of_new_ticket(caller, new.customer_id)
        now = self._now()
        row = TicketRow(
            id=f"tkt-{uuid.uuid4().hex[:12]}",
            subject=_text(new.subject, "subject", max_length=MAX_SUBJECT_LENGTH),
            description=_text(new.description, "description", max_length=MAX_TEXT_LENGTH, required=False),
            status=Status.OPEN.value,
            priority=_choice(new.priority, "priority", PRIORITIES),
            channel=_choice(new.channel, "channel", CHANNELS),
            tags=_tags(new.tags),
            product_id=_text(new.product_id, "productId", max_length=MAX_ID_LENGTH),
            customer_id=customer_id,
            assignee_id=None,
            created_at=now,
            updated_at=now,
        )
        request = None
        if idempotency_key is not None:
            arguments = {
                "subject": row.subject,
                "description": row.description,
                "priority": row.priority,
                "channel": row.channel,
                "tags": row.tags,
                "productId": row.product_id,
                "customerId": row.customer_id,
            }
            request = IdempotentRequest.of(caller, "createTicket", idempotency_key, arguments)

        async def write(session: AsyncSession) -> dict[str, str]:
            TicketRepository(session).add(row)
            return {"ticketId": row.id}

        result = await self._idempotent.run(request, write)
        if result["ticketId"] != row.id:
            log.info("support.ticket_create_replayed", ticket_id=result["ticketId"])
            return await self._get(str(result["ticketId"]))
        log.info("support.ticket_created", ticket_id=row.id, product_id=row.product_id, channel=row.channel)
        events.ticket_created(self._sink, row)
        return row

    def _customer_of_new_ticket(self, caller: Caller, requested: str | None) -> str:
        if is_agent(caller):
            if requested is None:
                msg = "`customerId` is required when an agent opens a ticket for a customer."
                raise InvalidTicketInputError(msg)
            return _text(requested, "customerId", max_length=MAX_ID_LENGTH)
        own = caller.subject or ""
        if requested is not None and requested.strip() != own:
            msg = "A customer may open tickets only for themselves; leave out `customerId`."
            raise ForbiddenError(msg)
        return own

    async def assign(self, ticket_id: str, assignee_id: str | None) -> TicketRow:
        """Give the ticket to an agent, or take it back to the unassigned queue (None)."""
        assignee = None if assignee_id is None else _text(assignee_id, "assigneeId", max_length=MAX_ID_LENGTH)

        def apply(_repository: TicketRepository, ticket: TicketRow) -> None:
            if ticket.status == Status.CLOSED:
                raise TicketClosedError(ticket_id, "reassigned")
            ticket.assignee_id = assignee
            ticket.updated_at = self._now()

        ticket, _ = await self._change(ticket_id, apply)
        log.info("support.ticket_assigned", ticket_id=ticket_id, assignee_id=assignee)
        return ticket

    async def transition(self, caller: Caller, ticket_id: str, target: Status) -> TicketRow:
        """Move the ticket along the workflow (see ``workflow``), stamping solved and closed times."""

        def apply(_repository: TicketRepository, ticket: TicketRow) -> Status:
            if not acts_for(caller, ticket):
                raise TicketNotFoundError(ticket_id)
            current = Status(ticket.status)
            check_transition(current, target, by_customer=not is_agent(caller))
            now = self._now()
            ticket.status = target.value
            ticket.updated_at = now
            if target == Status.SOLVED:
                ticket.solved_at = now
            elif target == Status.CLOSED:
                ticket.closed_at = now
            elif current == Status.SOLVED:  # reopened: it was not solved after all
                ticket.solved_at = None
            return current

        ticket, current = await self._change(ticket_id, apply)
        log.info("support.ticket_moved", ticket_id=ticket_id, from_status=current.value, to_status=target.value)
        if target == Status.SOLVED:
            events.ticket_solved(self._sink, ticket)
        return ticket

    async def update(self, ticket_id: str, changes: TicketChanges) -> TicketRow:
        priority = None if changes.priority is None else _choice(changes.priority, "priority", PRIORITIES)
        tags = None if changes.tags is None else _tags(changes.tags)

        def apply(_repository: TicketRepository, ticket: TicketRow) -> None:
            if ticket.status == Status.CLOSED:
                raise TicketClosedError(ticket_id, "edited")
            if priority is not None:
                ticket.priority = priority
            if tags is not None:
                ticket.tags = tags
            ticket.updated_at = self._now()

        ticket, _ = await self._change(ticket_id, apply)
        return ticket

    async def add_message(
        self, caller: Caller, ticket_id: str, *, body: str, internal: bool, idempotency_key: str | None = None
    ) -> MessageRecord:
        """Append a message to the thread, and apply what it implies for the ticket: an agent's
        first public reply is the ticket's first response; a customer's reply to a PENDING ticket
        (the agent was waiting for them) moves it back to OPEN.

        The message goes to the document store and the ticket lives in the relational one, so the
        two writes cannot share a transaction. Their order keeps every failure safe:

        1. The ticket is read and the rules are checked (who may write, not CLOSED). A refusal
           writes nothing.
        2. The message document is written under an id chosen before any write: random, or with
           ``idempotency_key`` derived from the caller and the key. Writing it again
           is a no-op (``append`` skips known ids), so it is never stored twice.
        3. The ticket's side effects are applied in one version-guarded transaction, derived from
           the stored thread rather than from this request: the first response is the first
           public reply by someone other than the customer in the whole thread. Applying them
           twice changes nothing, and a later message repairs them should this step ever fail.

        Writing the ticket first instead could stamp a first response whose message was never
        stored. A failure after step 2 leaves a stored message whose request reported an error:
        nothing is lost, a retry with the same key returns that message and finishes step 3, and
        without a key the thread and the ticket agree again at the next message.
        """
        cleaned_body = _text(body, "body", max_length=MAX_TEXT_LENGTH)
        if internal and not is_agent(caller):
            msg = "Internal notes need the scope support:write."
            raise ForbiddenError(msg)
        message_id, digest = f"msg-{uuid.uuid4().hex[:12]}", None
        if idempotency_key is not None:
            request = IdempotentRequest.of(
                caller,
                "addTicketMessage",
                idempotency_key,
                {"ticketId": ticket_id, "body": cleaned_body, "internal": internal},
            )
            message_id, digest = _message_id(request), request.fingerprint
        ticket = await self._get(ticket_id)
        if not acts_for(caller, ticket):
            raise TicketNotFoundError(ticket_id)
        message = await self._stored_retry(message_id, digest)
        if message is None:
            if ticket.status == Status.CLOSED:
                raise TicketClosedError(ticket_id, "answered")
            message = MessageRecord(
                id=message_id,
                ticket_id=ticket_id,
                author_id=caller.subject or "",
                body=cleaned_body,
                internal=internal,
                created_at=self._now(),
                request_digest=digest,
            )
            if not await self._transcripts.append([message]):
                # A concurrent call with the same key stored it first: answer with what it stored.
                message = await self._stored_retry(message_id, digest) or message
        thread = await self._transcripts.messages_of([ticket_id])
        from_customer = message.author_id == ticket.customer_id
        answered_at = first_response(thread, ticket.customer_id)
        stored = message

        def apply(_repository: TicketRepository, ticket: TicketRow) -> None:
            # The ticket may have moved since step 1 (another agent closed it): the message was
            # accepted before that, so it stays; only what is still true of the ticket is applied.
            if ticket.first_response_at is None and answered_at is not None:
                ticket.first_response_at = answered_at
            if from_customer and ticket.status == Status.PENDING:
                ticket.status = Status.OPEN.value
            ticket.updated_at = max(ticket.updated_at, stored.created_at)

        await self._change(ticket_id, apply)
        log.info("support.message_added", ticket_id=ticket_id, message_id=message.id, internal=internal)
        return message

    async def _stored_retry(self, message_id: str, digest: str | None) -> MessageRecord | None:
        """The message an earlier call with the same idempotency key stored, if any."""
        if digest is None:
            return None
        stored = await self._transcripts.get(message_id)
        if stored is not None and stored.request_digest != digest:
            msg = "This `idempotencyKey` was already used for a different message; use a new key."
            raise IdempotencyKeyReusedError(msg)
        return stored

    async def rate(self, caller: Caller, ticket_id: str, *, score: int, comment: str | None) -> TicketRow:
        """The customer's satisfaction rating (CSAT 1-5) of a solved or closed ticket; a new
        rating replaces the previous one."""
        if score not in CSAT_SCORES:
            msg = f"`score` must be between {CSAT_SCORES.start} and {CSAT_SCORES.stop - 1}; got {score}."
            raise InvalidTicketInputError(msg)
        cleaned = None if comment is None else _text(comment, "comment", max_length=MAX_COMMENT_LENGTH, required=False)

        def apply(_repository: TicketRepository, ticket: TicketRow) -> None:
            if ticket.customer_id != caller.subject:
                # Only the ticket's customer rates it; to other customers it does not exist.
                raise TicketNotFoundError(ticket_id)
            if Status(ticket.status) not in workflow.RATEABLE:
                msg = f"Only SOLVED or CLOSED tickets can be rated; this one is {ticket.status.upper()}."
                raise InvalidTicketInputError(msg)
            ticket.csat_score = score
            ticket.csat_comment = cleaned or None
            ticket.csat_rated_at = self._now()

        ticket, _ = await self._change(ticket_id, apply)
        log.info("support.ticket_rated", ticket_id=ticket_id, score=score)
        return ticket

    # ---- helpers ----------------------------------------------------------------------------

    async def _change(
        self, ticket_id: str, apply: Callable[[TicketRepository, TicketRow], Outcome]
    ) -> tuple[TicketRow, Outcome]:
        """Read the ticket, ``apply`` the change and write it, in one transaction.

        The row's version guards the gap between the read and the write: when another request
        changed the ticket in between, the write matches no row (StaleDataError), nothing is
        kept, and the change is applied again to the fresh ticket, so its rules (the workflow
        above all) judge the state that is really stored. Two agents solving one ticket at once
        give one SOLVED and one ILLEGAL_TRANSITION, never two solves.
        """
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                async with self._store.transaction() as session:
                    repository = TicketRepository(session)
                    ticket = await self._ticket_for_update(repository, ticket_id)
                    outcome = apply(repository, ticket)
            except StaleDataError:
                log.info("support.ticket_changed_concurrently", ticket_id=ticket_id, attempt=attempt)
                if attempt == MAX_ATTEMPTS:
                    raise
            else:
                return ticket, outcome
        raise AssertionError  # pragma: no cover - the loop returns or raises

    async def _ticket_for_update(self, repository: TicketRepository, ticket_id: str) -> TicketRow:
        ticket = await repository.get_ticket(ticket_id)
        if ticket is None:
            raise TicketNotFoundError(ticket_id)
        return ticket

    async def _get(self, ticket_id: str) -> TicketRow:
        async with self._store.reading() as session:
            return await self._ticket_for_update(TicketRepository(session), ticket_id)

"""The ticket's life as a state machine: the one place that says which status moves are legal.

    OPEN ──▶ PENDING ──▶ OPEN         an agent waits for the customer, the customer answers
    OPEN | PENDING ──▶ SOLVED         an agent (or the customer) says it is fixed
    SOLVED ──▶ OPEN                   reopened: it was not fixed after all
    SOLVED ──▶ CLOSED                 final; a closed ticket takes no more moves or messages

Customers (scope support:own) may only solve their own ticket or reopen it; every other move is
an agent's (support:write).
"""

from __future__ import annotations

from enum import StrEnum

from kcp.errors import ErrorCode, ForbiddenError, KcpError


class Status(StrEnum):
    OPEN = "open"
    PENDING = "pending"
    SOLVED = "solved"
    CLOSED = "closed"


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.OPEN: frozenset({Status.PENDING, Status.SOLVED}),
    Status.PENDING: frozenset({Status.OPEN, Status.SOLVED}),
    Status.SOLVED: frozenset({Status.OPEN, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}

CUSTOMER_TRANSITIONS: frozenset[tuple[Status, Status]] = frozenset(
    {(Status.OPEN, Status.SOLVED), (Status.PENDING, Status.SOLVED), (Status.SOLVED, Status.OPEN)}
)

UNSOLVED = frozenset({Status.OPEN, Status.PENDING})
RATEABLE = frozenset({Status.SOLVED, Status.CLOSED})


def _name(status: Status) -> str:
    return status.name  # as the GraphQL enum spells it


class IllegalTransitionError(KcpError):
    """A move the state machine forbids; ``extensions`` name ``from``, ``to`` and what is allowed."""

    code = ErrorCode.ILLEGAL_TRANSITION

    def __init__(self, current: Status, target: Status) -> None:
        allowed = sorted(_name(status) for status in TRANSITIONS[current])
        if current == target:
            message = f"The ticket is already {_name(current)}."
        elif allowed:
            message = (
                f"A ticket cannot move from {_name(current)} to {_name(target)};"
                f" from {_name(current)} it can move to {', '.join(allowed)}."
            )
        else:
            message = f"A ticket cannot move from {_name(current)} to {_name(target)}: {_name(current)} is final."
        super().__init__(message)
        self.extensions.update({"from": _name(current), "to": _name(target), "allowed": allowed})


class TicketClosedError(KcpError):
    """A closed ticket is final: no messages, assignment or edits."""

    code = ErrorCode.ILLEGAL_TRANSITION

    def __init__(self, ticket_id: str, action: str) -> None:
        super().__init__(f"Ticket {ticket_id!r} is CLOSED and cannot be {action}; open a new ticket instead.")
        self.extensions.update({"from": _name(Status.CLOSED)})


def check_transition(current: Status, target: Status, *, by_customer: bool) -> None:
    """Raise unless ``current → target`` is legal for this kind of caller."""
    if target not in TRANSITIONS[current]:
        raise IllegalTransitionError(current, target)
    if by_customer and (current, target) not in CUSTOMER_TRANSITIONS:
        msg = (
            f"A customer may only solve or reopen their own ticket; moving it from {_name(current)}"
            f" to {_name(target)} needs the scope support:write."
        )
        raise ForbiddenError(msg)

"""Expected failures of the ticket domain, each with its stable ``extensions.code``."""

from __future__ import annotations

from kcp.errors import ErrorCode, KcpError, NotFoundError


class TicketNotFoundError(NotFoundError):
    """No ticket has this id."""

    def __init__(self, ticket_id: str) -> None:
        super().__init__(f"Ticket {ticket_id!r} does not exist.")


class InvalidTicketInputError(KcpError):
    """The input breaks a rule of the ticket domain (empty subject, body too long, ...)."""

    code = ErrorCode.BAD_USER_INPUT

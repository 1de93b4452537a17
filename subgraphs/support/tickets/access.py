"""Who may read which tickets. Tickets are personal data: every read needs a support scope.

- ``support:read`` (agents, analysts, admins): every ticket and its internal notes.
- ``support:own`` (customers): only tickets they opened, never internal notes. A ticket of
  somebody else reads as absent (null), so ids cannot be probed for existence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kcp.errors import ForbiddenError
from subgraphs.support.scopes import SUPPORT_OWN, SUPPORT_READ, SUPPORT_WRITE

if TYPE_CHECKING:
    from kcp.identity import Caller, Identity
    from subgraphs.support.tables import TicketRow


@dataclass(frozen=True, slots=True)
class TicketReader:
    """What one caller may read: all tickets, or only those of ``own_customer_id``."""

    caller: Caller
    own_customer_id: str | None  # set for customers: only their tickets are visible

    @classmethod
    def of(cls, identity: Identity) -> TicketReader:
        """The caller's view; UNAUTHENTICATED without a login, FORBIDDEN without a support scope."""
        caller = identity.require_any(SUPPORT_READ, SUPPORT_OWN)
        if caller.has(SUPPORT_READ):
            return cls(caller=caller, own_customer_id=None)
        return cls(caller=caller, own_customer_id=caller.subject or "")

    @property
    def sees_internal_notes(self) -> bool:
        return self.caller.has(SUPPORT_READ)

    def may_see(self, ticket: TicketRow) -> bool:
        return self.own_customer_id is None or ticket.customer_id == self.own_customer_id

    def require_internal_notes(self) -> None:
        if not self.sees_internal_notes:
            msg = "Internal notes need the scope support:read."
            raise ForbiddenError(msg)


def is_agent(caller: Caller) -> bool:
    """Agents work any ticket; everybody else acts only on their own (support:own)."""
    return caller.has(SUPPORT_WRITE)


def acts_for(caller: Caller, ticket: TicketRow) -> bool:
    """Whether the caller may act on this ticket: an agent on any, a customer on their own."""
    return is_agent(caller) or ticket.customer_id == caller.subject

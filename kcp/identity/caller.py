"""The caller of one request and the scope checks every mutation makes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from kcp.errors import ForbiddenError, UnauthenticatedError


class CallerKind(StrEnum):
    ANONYMOUS = "anonymous"
    USER = "user"  # proven by an access token issued by the auth subgraph
    PARTNER = "partner"  # proven by a partner API key (checked by the router)
    SERVICE = "service"  # one of our own services (e.g. events sent to analytics), signed headers only


@dataclass(frozen=True, slots=True)
class Caller:
    """A verified caller: ``subject`` is the user id (or partner id), ``scopes`` what it may do."""

    kind: CallerKind
    subject: str | None = None
    role: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)

    @property
    def authenticated(self) -> bool:
        return self.kind is not CallerKind.ANONYMOUS

    def has(self, scope: str) -> bool:
        return scope in self.scopes


ANONYMOUS = Caller(kind=CallerKind.ANONYMOUS)


@dataclass(frozen=True, slots=True)
class Identity:
    """The caller of a request, or why its credentials were refused.

    A bad credential does not fail the whole request: public fields still answer, and the first
    field that needs the caller raises the stored ``UnauthenticatedError`` (with its reason).
    """

    caller: Caller = ANONYMOUS
    problem: UnauthenticatedError | None = None

    def require(self, *scopes: str) -> Caller:
        """The caller when it holds every scope; otherwise UNAUTHENTICATED or FORBIDDEN."""
        if self.problem is not None:
            raise self.problem
        if not self.caller.authenticated:
            raise UnauthenticatedError("Log in first: this operation needs an access token")
        missing = sorted(scope for scope in scopes if not self.caller.has(scope))
        if missing:
            raise ForbiddenError(f"Missing scope {', '.join(missing)} for this operation")
        return self.caller

    def require_any(self, *scopes: str) -> Caller:
        """The caller when it holds at least one of the scopes (e.g. ``support:read`` or ``support:own``)."""
        if self.problem is not None:
            raise self.problem
        if not self.caller.authenticated:
            raise UnauthenticatedError("Log in first: this operation needs an access token")
        if not any(self.caller.has(scope) for scope in scopes):
            raise ForbiddenError(f"Needs one of the scopes {', '.join(sorted(scopes))} for this operation")
        return self.caller

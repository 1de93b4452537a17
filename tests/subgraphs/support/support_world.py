"""The support suites' world: a small hand-made dataset, the people who call, an event recorder.

Callers are proven the way the router proves them: signed identity headers (kcp/identity).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from demo.model import DemoData, DemoMessage, DemoRating, DemoTicket
from kcp.identity import Caller, CallerKind
from kcp.identity.signed_headers import identity_headers

SECRET = "support-tests-identity-secret"  # noqa: S105 - a test's own signing secret
T0 = datetime(2025, 4, 1, 8, 0, tzinfo=UTC)
LIBERTY = "prd-liberty-4-nc"
SPACE = "prd-space-one"
AGENT_ID = "usr-0007"
OTHER_AGENT_ID = "usr-0008"
CUSTOMER_ID = "usr-0100"
OTHER_CUSTOMER_ID = "usr-0101"

AGENT = Caller(
    kind=CallerKind.USER,
    subject=AGENT_ID,
    role="support_agent",
    scopes=frozenset({"knowledge:read", "support:read", "support:write", "users:read"}),
)
ANALYST = Caller(
    kind=CallerKind.USER, subject="usr-0020", role="analyst", scopes=frozenset({"support:read", "analytics:read"})
)
EDITOR = Caller(
    kind=CallerKind.USER, subject="usr-0030", role="editor", scopes=frozenset({"knowledge:write", "content:write"})
)
CUSTOMER = Caller(
    kind=CallerKind.USER, subject=CUSTOMER_ID, role="customer", scopes=frozenset({"knowledge:read", "support:own"})
)
OTHER_CUSTOMER = Caller(
    kind=CallerKind.USER,
    subject=OTHER_CUSTOMER_ID,
    role="customer",
    scopes=frozenset({"knowledge:read", "support:own"}),
)

# A partner integration (a retailer's help widget) proven by an API key the router checked.
PARTNER = Caller(kind=CallerKind.PARTNER, subject="ptn-retailer", scopes=frozenset({"support:write"}))


def as_caller(caller: Caller) -> dict[str, str]:
    """The headers that make a request come from ``caller``."""
    return identity_headers(caller, SECRET)


def _ticket(  # noqa: PLR0913 - a test record builder
    number: int,
    product_id: str,
    *,
    status: str = "open",
    priority: str = "normal",
    customer_id: str = CUSTOMER_ID,
    assignee_id: str | None = None,
    messages: tuple[DemoMessage, ...] = (),
    tags: tuple[str, ...] = (),
    rating: DemoRating | None = None,
) -> DemoTicket:
    created = T0 + timedelta(hours=number)
    solved = created + timedelta(hours=5) if status in ("solved", "closed") else None
    return DemoTicket(
        id=f"tkt-{number:04d}",
        subject=f"Subject {number}",
        description=f"Description {number}",
        status=status,
        priority=priority,
        channel="email",
        product_id=product_id,
        customer_id=customer_id,
        assignee_id=assignee_id,
        created_at=created,
        messages=messages,
        tags=tags,
        solved_at=solved,
        closed_at=None if status != "closed" or solved is None else solved + timedelta(days=3),
        rating=rating,
    )


def _message(number: int, author_id: str, body: str, *, minutes: int, internal: bool = False) -> DemoMessage:
    return DemoMessage(
        id=f"msg-{number:04d}",
        author_id=author_id,
        body=body,
        internal=internal,
        created_at=T0 + timedelta(hours=1, minutes=minutes),
    )


def demo_data() -> DemoData:
    """Five tickets: two customers, two agents, every status, a thread with an internal note."""
    thread = (
        _message(1, CUSTOMER_ID, "My left earbud will not pair.", minutes=5),
        _message(2, AGENT_ID, "Known issue on firmware 1.2.", minutes=20, internal=True),
        _message(3, AGENT_ID, "Please reset the case.", minutes=30),
    )
    tickets = (
        _ticket(1, LIBERTY, priority="high", assignee_id=AGENT_ID, messages=thread, tags=("earbuds", "pairing")),
        _ticket(2, LIBERTY, status="pending", assignee_id=AGENT_ID),
        _ticket(
            3,
            LIBERTY,
            status="solved",
            priority="low",
            assignee_id=OTHER_AGENT_ID,
            rating=DemoRating(4, "Good help.", T0 + timedelta(days=1)),
        ),
        _ticket(4, SPACE, priority="urgent", customer_id=OTHER_CUSTOMER_ID),
        _ticket(5, SPACE, status="closed", customer_id=OTHER_CUSTOMER_ID, assignee_id=OTHER_AGENT_ID),
    )
    return DemoData(
        categories=(),
        products=(),
        features=(),
        known_issues=(),
        solutions=(),
        articles=(),
        users=(),
        content_items=(),
        tickets=tickets,
        events=(),
    )


@dataclass
class RecordedEvents:
    """An event sink that keeps what it was given, as analytics would receive it."""

    sent: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def emit(self, kind: str, **fields: Any) -> None:
        self.sent.append((kind, fields))

"""Analytics' finishing touches on the demo events: ticket ids, solved tickets with deflection,
and what generated each piece of content. Ids are renumbered in time order afterwards."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from demo.model import DemoEvent

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from demo.model import DemoContentItem, DemoTicket

DEFLECT_EVERY = 5  # the demo says every fifth solved ticket was solved by self-service


def studio_events(
    events: Sequence[DemoEvent],
    tickets: Sequence[DemoTicket],
    content: Sequence[DemoContentItem],
    window_end: datetime,
) -> list[DemoEvent]:
    ticket_of: dict[tuple[str | None, str | None, datetime], str] = {
        (t.customer_id, t.product_id, t.created_at): t.id for t in tickets
    }
    item_of: dict[tuple[str | None, str | None, datetime], str] = {
        (r.author_id, item.product_id, r.created_at): item.id for item in content for r in item.revisions
    }
    finished: list[DemoEvent] = []
    for event in events:
        if event.kind == "ticket_created":
            event = replace(event, ticket_id=ticket_of.get((event.user_id, event.product_id, event.occurred_at)))  # noqa: PLW2901 - the event, completed
        elif event.kind == "content_generated":
            content_id = item_of.get((event.user_id, event.product_id, event.occurred_at))
            event = replace(event, content_id=content_id, provider="template")  # noqa: PLW2901 - the event, completed
        finished.append(event)
    for ticket in tickets:
        if ticket.status not in ("solved", "closed"):
            continue
        solved_at = ticket.messages[-1].created_at + timedelta(minutes=30)
        if solved_at >= window_end:
            continue
        finished.append(
            DemoEvent(
                id="", kind="ticket_solved", occurred_at=solved_at, user_id=ticket.customer_id,
                product_id=ticket.product_id, article_id=None, query=None, result_count=None, helpful=None,
                ticket_id=ticket.id, deflected=int(ticket.id.removeprefix("tkt-")) % DEFLECT_EVERY == 0,
            )
        )  # fmt: skip
    ordered = sorted(enumerate(finished), key=lambda pair: (pair[1].occurred_at, pair[0]))
    return [replace(event, id=f"evt-{n:06d}") for n, (_, event) in enumerate(ordered, start=1)]

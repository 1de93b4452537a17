"""Event ingestion's GraphQL types."""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 - Strawberry reads annotations at runtime

import strawberry

from subgraphs.analytics.events.kinds import EventKind
from subgraphs.analytics.events.service import NewEvent, StoredEvent

strawberry.enum(EventKind, name="EventKind", description="What happened.")


@strawberry.input(
    description="One event. What a kind requires is checked on arrival (BAD_USER_INPUT). Page views, searches, "
    "clicks, article views and feedback, and ticket_deflected (a customer who left the new-ticket form satisfied by a "
    "suggested solution) may be sent anonymously; tickets created or solved and generated content need analytics:write."
)
class TrackEventInput:
    kind: EventKind
    product_id: strawberry.ID | None = None
    article_id: strawberry.ID | None = None
    user_id: strawberry.ID | None = None
    query: str | None = strawberry.field(default=None, description="The search text (search events).")
    result_count: int | None = strawberry.field(default=None, description="Results shown (search events).")
    helpful: bool | None = strawberry.field(default=None, description="The reader's vote (article_feedback).")
    occurred_at: datetime | None = strawberry.field(default=None, description="Defaults to now.")
    ticket_id: strawberry.ID | None = strawberry.field(default=None, description="ticket_created / ticket_solved.")
    content_id: strawberry.ID | None = strawberry.field(default=None, description="content_generated.")
    solution_id: strawberry.ID | None = strawberry.field(
        default=None, description="ticket_deflected: the suggested solution that solved the problem."
    )
    deflected: bool | None = strawberry.field(
        default=None, description="ticket_solved: solved before any agent replied."
    )
    provider: str | None = strawberry.field(default=None, description="content_generated: template, openai, anthropic.")
    client_event_id: str | None = strawberry.field(
        default=None,
        description="The sender's id for this event: sending it again returns the stored event, no second one.",
    )

    def to_new_event(self) -> NewEvent:
        return NewEvent(
            kind=self.kind,
            product_id=None if self.product_id is None else str(self.product_id),
            article_id=None if self.article_id is None else str(self.article_id),
            user_id=None if self.user_id is None else str(self.user_id),
            query=self.query,
            result_count=self.result_count,
            helpful=self.helpful,
            occurred_at=self.occurred_at,
            ticket_id=None if self.ticket_id is None else str(self.ticket_id),
            content_id=None if self.content_id is None else str(self.content_id),
            solution_id=None if self.solution_id is None else str(self.solution_id),
            deflected=self.deflected,
            provider=self.provider,
            client_event_id=self.client_event_id,
        )


@strawberry.type(description="A stored event.")
class TrackEventResult:
    id: strawberry.ID
    kind: EventKind
    occurred_at: datetime
    client_event_id: str | None

    @classmethod
    def from_stored(cls, stored: StoredEvent) -> TrackEventResult:
        return cls(
            id=strawberry.ID(stored.id),
            kind=stored.kind,
            occurred_at=stored.occurred_at,
            client_event_id=stored.client_event_id,
        )

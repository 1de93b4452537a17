"""The audit log's GraphQL types."""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 - Strawberry reads annotations at runtime
from typing import TYPE_CHECKING, Any

import strawberry

from subgraphs.auth.audit.kinds import AuditKind
from subgraphs.auth.users.types import User

if TYPE_CHECKING:
    from subgraphs.auth.tables import AuditEventRow

strawberry.enum(AuditKind, name="AuditEventKind", description="What happened.")


@strawberry.type(description="One auth event (readable with the 'users:admin' scope).")
class AuditEvent:
    id: strawberry.ID
    kind: AuditKind
    occurred_at: datetime
    actor_id: strawberry.ID | None = strawberry.field(description="Who did it (a user id), when known.")
    target_id: strawberry.ID | None = strawberry.field(
        description="The user, partner, API key or signing key acted on."
    )
    email: str | None = strawberry.field(description="For login events: the e-mail that was tried.")
    client_address: str | None
    detail: str | None

    @strawberry.field(description="The user who did it.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def actor(self, info: strawberry.Info[Any, Any]) -> User | None:
        if self.actor_id is None:
            return None
        row = await info.context.user_loader.load(str(self.actor_id))
        return None if row is None else User.from_model(row)

    @classmethod
    def from_model(cls, row: AuditEventRow) -> AuditEvent:
        return cls(
            id=strawberry.ID(str(row.id)),
            kind=AuditKind(row.kind),
            occurred_at=row.occurred_at,
            actor_id=None if row.actor_id is None else strawberry.ID(row.actor_id),
            target_id=None if row.target_id is None else strawberry.ID(row.target_id),
            email=row.email,
            client_address=row.client_address,
            detail=row.detail,
        )

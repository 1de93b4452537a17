"""``Ticket`` is support's entity; knowledge adds ``suggestedSolutions`` from its subject and description.

``@requires(fields: "subject description")`` makes the router fetch both from support first and
send them in the representation, so knowledge ranks solutions without ever storing a ticket.
"""

from __future__ import annotations

import strawberry

from subgraphs.knowledge.context import Info  # noqa: TC001 - Strawberry reads annotations at runtime
from subgraphs.knowledge.relations.errors import TraversalLimitError
from subgraphs.knowledge.troubleshooting.types import Solution

MAX_SUGGESTIONS = 10


# Support's Ticket, extended here; its description is support's (two would conflict in composition).
@strawberry.federation.type(keys=["id"])
class Ticket:
    id: strawberry.ID
    subject: str = strawberry.federation.field(external=True)
    description: str = strawberry.federation.field(external=True)

    @classmethod
    def resolve_reference(
        cls,
        id: strawberry.ID,  # noqa: A002 - the key field's name
        subject: str = "",
        description: str = "",
    ) -> Ticket:
        return cls(id=id, subject=subject, description=description)

    @strawberry.federation.field(  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
        requires=["subject", "description"],
        description="Published solutions that match the ticket's subject and description best (hybrid retrieval "
        "once `kcp index` has run, keyword ranking before), best first; "
        f"`first` is 1 to {MAX_SUGGESTIONS}.",
    )
    async def suggested_solutions(self, info: Info, first: int = 3) -> list[Solution]:
        if not 1 <= first <= MAX_SUGGESTIONS:
            raise TraversalLimitError("first", first, MAX_SUGGESTIONS)
        text = f"{self.subject}\n{self.description}"
        ranked = await info.context.loaders.suggestions.load(text)
        rows = await info.context.loaders.troubleshooting.solution.load_many([sid for sid, _ in ranked[:first]])
        return [Solution.from_model(row) for row in rows if row is not None]

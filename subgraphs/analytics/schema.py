"""The analytics subgraph's schema: event ingestion, `eventCounts`, `Product.analytics`, `Article.analytics`."""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 - Strawberry reads annotations at runtime
from typing import Annotated, Any

import strawberry
from strawberry.federation.schema_directives import RequiresScopes

from kcp.service import SubgraphSchema, subgraph_extensions
from subgraphs.analytics.events.kinds import EventKind  # noqa: TC001 - Strawberry reads annotations at runtime
from subgraphs.analytics.events.service import MAX_BATCH
from subgraphs.analytics.events.types import TrackEventInput, TrackEventResult
from subgraphs.analytics.metrics.types import Article, EventCount, Metrics, Product
from subgraphs.analytics.scopes import ANALYTICS_READ

Info = strawberry.Info[Any, Any]  # the context is subgraphs.analytics.context.AnalyticsContext


# The list fields of Query are nullable at the outer level on purpose: when one fails (bad input,
# a store error, this subgraph down), only that field is null; a non-null type would null every
# other root field of the response too, those other subgraphs answered included.
@strawberry.type
class Query:
    @strawberry.field(description="Events per kind with from <= occurredAt < to; every kind unless one is given.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def event_counts(
        self,
        info: Info,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
        kind: EventKind | None = None,
    ) -> list[EventCount] | None:
        return [EventCount.from_total(t) for t in await info.context.metrics.event_counts(from_, to, kind)]

    @strawberry.field(
        description="Search, article, ticket, generation and user metrics over [from, to); needs analytics:read.",
        # Declared for the router too, which then refuses it before planning; checked here as well.
        directives=[RequiresScopes(scopes=[[ANALYTICS_READ]])],
    )  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    def metrics(
        self, info: Info, from_: Annotated[datetime, strawberry.argument(name="from")], to: datetime
    ) -> Metrics | None:
        return Metrics(window=info.context.metrics.open_report(info.context.identity, from_, to))


TRACK_EVENTS_DESCRIPTION = (
    f"Record up to {MAX_BATCH} events at once: all are stored, or none. "
    "An event whose clientEventId this sender already used is answered with the stored one, not stored twice."
)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Record one event; who may send it and what its kind needs are checked first.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def track_event(self, info: Info, input: TrackEventInput) -> TrackEventResult:  # noqa: A002 - GraphQL argument name
        return TrackEventResult.from_stored(
            await info.context.events.track(info.context.identity, input.to_new_event())
        )

    @strawberry.mutation(description=TRACK_EVENTS_DESCRIPTION)  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def track_events(self, info: Info, inputs: list[TrackEventInput]) -> list[TrackEventResult]:
        stored = await info.context.events.track_many(info.context.identity, [i.to_new_event() for i in inputs])
        return [TrackEventResult.from_stored(s) for s in stored]


schema = SubgraphSchema(query=Query, mutation=Mutation, types=[Product, Article], extensions=subgraph_extensions())

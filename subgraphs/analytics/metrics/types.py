"""The metrics' GraphQL types: `Product.analytics`, `Article.analytics` and `EventCount`."""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 - Strawberry reads annotations at runtime
from typing import TYPE_CHECKING, Any

import strawberry

from subgraphs.analytics.events.kinds import EventKind
from subgraphs.analytics.metrics.buckets import TimeBucket, TimeRange

if TYPE_CHECKING:
    from subgraphs.analytics.metrics.repository import ArticleCounts, KindCount, ProductTickets, QueryCount
    from subgraphs.analytics.metrics.service import KindTotal

strawberry.enum(TimeBucket, name="TimeBucket", description="Hours, UTC days, or ISO weeks (Monday 00:00 UTC).")

Info = strawberry.Info[Any, Any]  # the context is subgraphs.analytics.context.AnalyticsContext


@strawberry.type(description="Event counts of one product, all time.")
class ProductAnalytics:
    page_views: int
    searches: int = strawberry.field(description="Searches made from the product's pages or about it.")
    search_clicks: int
    article_views: int
    tickets_created: int
    tickets_solved: int
    tickets_deflected: int = strawberry.field(description="Solved tickets no agent had to answer.")
    deflection_rate: float | None = strawberry.field(
        description="ticketsDeflected / ticketsSolved; null before a ticket is solved."
    )
    self_service_deflections: int = strawberry.field(
        description="Tickets never opened: the customer confirmed a suggested solution solved the problem before "
        "submitting (ticket_deflected events). Not part of ticketsCreated, ticketsSolved or ticketsDeflected."
    )
    content_generated: int
    total_events: int = strawberry.field(description="Events of every kind that name the product.")
    last_event_at: datetime | None

    @classmethod
    def from_counts(cls, counts: list[KindCount]) -> ProductAnalytics:
        by_kind = {c.kind: c.count for c in counts}
        moments = [c.last_at for c in counts if c.last_at is not None]
        solved = by_kind.get(str(EventKind.TICKET_SOLVED), 0)
        deflected = sum(c.deflected for c in counts if c.kind == str(EventKind.TICKET_SOLVED))
        return cls(
            page_views=by_kind.get(str(EventKind.PAGE_VIEW), 0),
            searches=by_kind.get(str(EventKind.SEARCH), 0),
            search_clicks=by_kind.get(str(EventKind.SEARCH_CLICK), 0),
            article_views=by_kind.get(str(EventKind.ARTICLE_VIEW), 0),
            tickets_created=by_kind.get(str(EventKind.TICKET_CREATED), 0),
            tickets_solved=solved,
            tickets_deflected=deflected,
            deflection_rate=deflected / solved if solved else None,
            self_service_deflections=by_kind.get(str(EventKind.TICKET_DEFLECTED), 0),
            content_generated=by_kind.get(str(EventKind.CONTENT_GENERATED), 0),
            total_events=sum(by_kind.values()),
            last_event_at=max(moments, default=None),
        )


@strawberry.type(description="Views and reader feedback of one article, all time.")
class ArticleAnalytics:
    views: int
    helpful_votes: int
    unhelpful_votes: int
    helpfulness: float | None = strawberry.field(
        description="helpfulVotes / (helpfulVotes + unhelpfulVotes); null without votes."
    )

    @classmethod
    def from_counts(cls, counts: ArticleCounts) -> ArticleAnalytics:
        votes = counts.helpful + counts.unhelpful
        return cls(
            views=counts.views,
            helpful_votes=counts.helpful,
            unhelpful_votes=counts.unhelpful,
            helpfulness=counts.helpful / votes if votes else None,
        )


# Owned by knowledge, which describes it; analytics adds its counts. (No description here: two
# descriptions of one type make composition pick one and warn.)
@strawberry.federation.type(keys=["id"])
class Product:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Product:  # noqa: A002 - federation key name
        return cls(id=id)

    # Nullable on purpose: a field this subgraph adds to another's entity must not null the
    # whole entity when this subgraph is down (null would bubble up past a non-null type).
    @strawberry.field
    async def analytics(self, info: Info) -> ProductAnalytics | None:
        return ProductAnalytics.from_counts(await info.context.product_counts.load(str(self.id)))


# Owned by knowledge; analytics adds its counts (undescribed here for the same reason).
@strawberry.federation.type(keys=["id"])
class Article:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Article:  # noqa: A002 - federation key name
        return cls(id=id)

    # Nullable for the same reason as Product.analytics.
    @strawberry.field
    async def analytics(self, info: Info) -> ArticleAnalytics | None:
        return ArticleAnalytics.from_counts(await info.context.article_counts.load(str(self.id)))


@strawberry.type(description="How many events of one kind happened in a time range.")
class EventCount:
    kind: EventKind
    count: int

    @classmethod
    def from_total(cls, total: KindTotal) -> EventCount:
        return cls(kind=total.kind, count=total.count)


@strawberry.type(description="How many in one time bucket.")
class CountInBucket:
    start: datetime = strawberry.field(description="Where the bucket begins (UTC); it lasts one bucket length.")
    count: int

    @classmethod
    def series(cls, points: list[tuple[datetime, int]]) -> list[CountInBucket]:
        return [cls(start=start, count=count) for start, count in points]


@strawberry.type(name="SearchQueryCount", description="A search text (case-folded) and how often it was searched.")
class SearchQueryCount:
    query: str
    count: int
    average_results: float | None = strawberry.field(description="Mean resultCount of those searches.")

    @classmethod
    def from_record(cls, record: QueryCount) -> SearchQueryCount:
        return cls(query=record.query, count=record.count, average_results=record.average_results)


@strawberry.type(description="An article's views and reader votes within a report's range.")
class ArticleMetric:
    article: Article
    views: int
    helpful_votes: int
    unhelpful_votes: int
    helpfulness: float | None

    @classmethod
    def from_counts(cls, article_id: str, counts: ArticleCounts) -> ArticleMetric:
        overall = ArticleAnalytics.from_counts(counts)
        return cls(
            article=Article(id=strawberry.ID(article_id)),
            views=overall.views,
            helpful_votes=overall.helpful_votes,
            unhelpful_votes=overall.unhelpful_votes,
            helpfulness=overall.helpfulness,
        )


@strawberry.type(description="A product's tickets within a report's range.")
class ProductTicketMetric:
    product: Product
    created: int
    solved: int
    deflected: int = strawberry.field(description="Solved tickets no agent had to answer.")
    deflection_rate: float | None = strawberry.field(description="deflected / solved; null when none was solved.")
    self_service_deflections: int = strawberry.field(
        description="Tickets never opened: the customer confirmed a suggested solution solved the problem before "
        "submitting (ticket_deflected events). Not part of created, solved or deflected."
    )

    @classmethod
    def from_record(cls, record: ProductTickets) -> ProductTicketMetric:
        return cls(
            product=Product(id=strawberry.ID(record.product_id)),
            created=record.created,
            solved=record.solved,
            deflected=record.deflected,
            deflection_rate=record.deflected / record.solved if record.solved else None,
            self_service_deflections=record.self_service_deflections,
        )


@strawberry.type(description="Generated content items per provider (template, openai, anthropic).")
class ProviderCount:
    provider: str
    count: int


@strawberry.type(description="Metrics over one time range [from, to); read with analytics:read.")
class Metrics:
    window: strawberry.Private[TimeRange]

    @strawberry.field(name="from")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    def from_(self) -> datetime:
        return self.window.start

    @strawberry.field
    def to(self) -> datetime:
        return self.window.end

    @strawberry.field(description="Searches per bucket.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def search_volume(self, info: Info, bucket: TimeBucket = TimeBucket.DAY) -> list[CountInBucket]:
        return CountInBucket.series(await info.context.metrics.volume(self.window, bucket, EventKind.SEARCH))

    @strawberry.field(description="The most frequent search texts; `first` is 1 to 100.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def top_queries(self, info: Info, first: int = 10) -> list[SearchQueryCount]:
        found = await info.context.metrics.top_queries(self.window, first, zero_results_only=False)
        return [SearchQueryCount.from_record(q) for q in found]

    @strawberry.field(description="Content gaps: the most frequent searches that found nothing.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def zero_result_queries(self, info: Info, first: int = 10) -> list[SearchQueryCount]:
        found = await info.context.metrics.top_queries(self.window, first, zero_results_only=True)
        return [SearchQueryCount.from_record(q) for q in found]

    @strawberry.field(description="The most viewed articles, with their helpfulness votes.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def top_articles(self, info: Info, first: int = 10) -> list[ArticleMetric]:
        found = await info.context.metrics.top_articles(self.window, first)
        return [ArticleMetric.from_counts(article_id, counts) for article_id, counts in found]

    @strawberry.field(description="Tickets created per bucket, of one product or of all.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def ticket_volume(
        self, info: Info, bucket: TimeBucket = TimeBucket.DAY, product_id: strawberry.ID | None = None
    ) -> list[CountInBucket]:
        points = await info.context.metrics.volume(
            self.window, bucket, EventKind.TICKET_CREATED, None if product_id is None else str(product_id)
        )
        return CountInBucket.series(points)

    @strawberry.field(description="Tickets, deflection and self-service deflections per product, busiest first.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def tickets_by_product(self, info: Info, first: int = 20) -> list[ProductTicketMetric]:
        return [
            ProductTicketMetric.from_record(r)
            for r in await info.context.metrics.tickets_by_product(self.window, first)
        ]

    @strawberry.field(description="Content items generated per bucket.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def generation_volume(self, info: Info, bucket: TimeBucket = TimeBucket.DAY) -> list[CountInBucket]:
        return CountInBucket.series(await info.context.metrics.volume(self.window, bucket, EventKind.CONTENT_GENERATED))

    @strawberry.field(description="Content items generated per provider.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def generations_by_provider(self, info: Info) -> list[ProviderCount]:
        found = await info.context.metrics.generations_by_provider(self.window)
        return [ProviderCount(provider=p, count=n) for p, n in found.items()]

    @strawberry.field(description="Distinct signed-in users with any event, per bucket.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def active_users(self, info: Info, bucket: TimeBucket = TimeBucket.DAY) -> list[CountInBucket]:
        return CountInBucket.series(await info.context.metrics.active_users(self.window, bucket))

    @strawberry.field(description="Distinct signed-in users with any event in the whole range.")  # type: ignore[untyped-decorator]  # Strawberry types the keyword form as Any
    async def active_user_count(self, info: Info) -> int:
        return int(await info.context.metrics.active_user_count(self.window))

"""The metrics' GraphQL types: `Product.analytics`, `Article.analytics` and `EventCount`."""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 - Strawberry reads annotations at runtime
from typing import TYPE_CHECKING, Any

import strawberry

from subgraphs.analytics.events.kinds import EventKind

if TYPE_CHECKING:
    from subgraphs.analytics.metrics.repository import ArticleCounts, KindCount
    from subgraphs.analytics.metrics.service import KindTotal

Info = strawberry.Info[Any, Any]  # the context is subgraphs.analytics.context.AnalyticsContext


@strawberry.type(description="Event counts of one product, all time.")
class ProductAnalytics:
    page_views: int
    search_clicks: int
    tickets_created: int
    content_generated: int
    total_events: int = strawberry.field(description="Events of every kind that name the product.")
    last_event_at: datetime | None

    @classmethod
    def from_counts(cls, counts: list[KindCount]) -> ProductAnalytics:
        by_kind = {c.kind: c.count for c in counts}
        moments = [c.last_at for c in counts if c.last_at is not None]
        return cls(
            page_views=by_kind.get(str(EventKind.PAGE_VIEW), 0),
            search_clicks=by_kind.get(str(EventKind.SEARCH_CLICK), 0),
            tickets_created=by_kind.get(str(EventKind.TICKET_CREATED), 0),
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

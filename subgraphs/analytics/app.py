"""The analytics subgraph's ASGI app (``uvicorn --factory subgraphs.analytics.app:create_app``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcp.identity import IdentityResolver
from kcp.service import SubgraphService, create_subgraph_app
from kcp.settings import Settings, get_settings
from subgraphs.analytics.context import AnalyticsContextFactory
from subgraphs.analytics.events.repository import EventRepository
from subgraphs.analytics.events.service import EventService
from subgraphs.analytics.metrics.repository import MetricsRepository
from subgraphs.analytics.metrics.service import MetricsService
from subgraphs.analytics.schema import schema
from subgraphs.analytics.stores import SERVICE, AnalyticsStores

if TYPE_CHECKING:
    from starlette.applications import Starlette


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or get_settings()
    stores = AnalyticsStores.open(settings)
    metrics_repository = MetricsRepository(stores.relational)
    service = SubgraphService(
        name=SERVICE,
        schema=schema,
        context_factory=AnalyticsContextFactory(
            events=EventService(EventRepository(stores.relational)),
            metrics=MetricsService(metrics_repository),
            repository=metrics_repository,
            identities=IdentityResolver(settings),
        ),
        readiness={"relational": stores.relational.ping},
        startup=[stores.ensure_schema],
        shutdown=[stores.close],
    )
    app = create_subgraph_app(service, settings)
    app.state.stores = stores
    return app

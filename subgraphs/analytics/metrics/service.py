"""Metrics over time ranges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING

from subgraphs.analytics.events.kinds import EventKind
from subgraphs.analytics.metrics.errors import InvalidRangeError

if TYPE_CHECKING:
    from datetime import datetime

    from subgraphs.analytics.metrics.repository import MetricsRepository


@dataclass(frozen=True)
class KindTotal:
    kind: EventKind
    count: int


class MetricsService:
    def __init__(self, repository: MetricsRepository) -> None:
        self._repository = repository

    async def event_counts(self, start: datetime, end: datetime, kind: EventKind | None) -> list[KindTotal]:
        """Counts of each kind (or of one kind) in ``[start, end)``, zeros included, in enum order."""
        start, end = (m.replace(tzinfo=UTC) if m.tzinfo is None else m for m in (start, end))
        if end <= start:
            msg = "'to' must be later than 'from'"
            raise InvalidRangeError(msg)
        counts = await self._repository.counts_by_kind(start, end, kind)
        kinds = [kind] if kind is not None else list(EventKind)
        return [KindTotal(kind=k, count=counts.get(str(k), 0)) for k in kinds]

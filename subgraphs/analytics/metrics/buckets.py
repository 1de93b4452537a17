"""Time ranges and the hour/day/week buckets metrics are counted in.

Buckets start on the hour, at midnight UTC, or on Monday 00:00 UTC (ISO weeks). The database
groups by a bucket expression (one statement per metric); empty buckets are filled in here, so a
chart gets one point per bucket, zeros included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import func

from subgraphs.analytics.metrics.errors import InvalidRangeError

if TYPE_CHECKING:
    from collections.abc import Mapping

MAX_RANGE = timedelta(days=366 * 2)
MAX_BUCKETS = 1_000


class TimeBucket(Enum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"

    @property
    def step(self) -> timedelta:
        return {TimeBucket.HOUR: timedelta(hours=1), TimeBucket.DAY: timedelta(days=1)}.get(self, timedelta(weeks=1))

    def floor(self, moment: datetime) -> datetime:
        """The start of the bucket holding ``moment``."""
        hour = moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        if self is TimeBucket.HOUR:
            return hour
        day = hour.replace(hour=0)
        return day if self is TimeBucket.DAY else day - timedelta(days=day.weekday())

    def expression(self, column: Any, dialect: str) -> Any:
        """SQL for the bucket start of ``column`` (naive UTC text on SQLite, timestamptz on PostgreSQL)."""
        if dialect == "postgresql":
            return func.date_trunc(self.value, column)
        if self is TimeBucket.HOUR:
            return func.strftime("%Y-%m-%d %H:00:00", column)
        if self is TimeBucket.DAY:
            return func.strftime("%Y-%m-%d 00:00:00", column)
        # Back six days, then forward to the next Monday: the Monday on or before the day.
        return func.strftime("%Y-%m-%d 00:00:00", column, "-6 days", "weekday 1")


def bucket_start(value: object) -> datetime:
    """A bucket expression's value as an aware UTC datetime."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class TimeRange:
    """``start <= occurredAt < end``, both aware UTC."""

    start: datetime
    end: datetime

    @classmethod
    def of(cls, start: datetime, end: datetime) -> TimeRange:
        start, end = (m.replace(tzinfo=UTC) if m.tzinfo is None else m.astimezone(UTC) for m in (start, end))
        if end <= start:
            msg = "'to' must be later than 'from'"
            raise InvalidRangeError(msg)
        if end - start > MAX_RANGE:
            msg = f"a time range spans at most {MAX_RANGE.days} days"
            raise InvalidRangeError(msg)
        return cls(start, end)

    def buckets(self, bucket: TimeBucket) -> list[datetime]:
        """Every bucket start the range touches; too many is a BAD_USER_INPUT naming the limit."""
        first = bucket.floor(self.start)
        count = -(-(self.end - first) // bucket.step)  # ceiling division of timedeltas
        if count > MAX_BUCKETS:
            msg = (
                f"{count} {bucket.value} buckets asked for; at most {MAX_BUCKETS}: "
                "pick a larger bucket or a shorter range"
            )
            raise InvalidRangeError(msg)
        return [first + n * bucket.step for n in range(count)]

    def filled(self, bucket: TimeBucket, counts: Mapping[datetime, int]) -> list[tuple[datetime, int]]:
        return [(start, counts.get(start, 0)) for start in self.buckets(bucket)]

"""The auth subgraph's notion of now: injected, so throttling and expiry are testable without sleeping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Now, in UTC, to the second (what the stores keep)."""
    return datetime.now(UTC).replace(microsecond=0)

"""Deduplication of identical in-flight requests (opt-in: ``KCP_DEDUPLICATE_REQUESTS=true``).

While a request is being answered, an identical one joins it instead of doing the same work again:
identical client queries share one execution and its serialised answer, and identical subgraph
queries share one HTTP exchange. Only reads are deduplicated (never a mutation), and only requests
identical in everything that can change the answer: the document, operation, variables and the
headers the router forwards. Nothing is kept once the shared request ends: this is not a cache.

Callers get immutable results (bytes, or tuples of bytes), so no caller can change what another
one reads; each parses its own copy.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Generic, TypeVar

from prometheus_client import Counter

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine, Hashable
    from typing import Any

K = TypeVar("K", bound="Hashable")
V = TypeVar("V")

DEDUPLICATED = Counter(
    "router_deduplicated_requests_total",
    "Requests answered by joining an identical one in flight, by kind (client or subgraph).",
    ["kind"],
)


class InflightRequests(Generic[K, V]):
    """Runs one call per key at a time; callers with the same key meanwhile await that call."""

    def __init__(self, kind: str) -> None:
        self._joined = DEDUPLICATED.labels(kind)
        self._running: dict[K, asyncio.Task[V]] = {}

    def __len__(self) -> int:
        """Calls running now."""
        return len(self._running)

    async def run(self, key: K, call: Callable[[], Coroutine[Any, Any, V]]) -> V:
        """``call()``'s result, shared with every caller that asked for ``key`` while it ran.

        The call runs as a task of its own: a caller that goes away (a client disconnect cancels
        its request) does not cancel the call the others are waiting for. Its exception, if any,
        is raised to every caller.
        """
        task = self._running.get(key)
        if task is None:
            task = asyncio.ensure_future(call())
            self._running[key] = task
            task.add_done_callback(lambda done: self._forget(key, done))
        else:
            self._joined.inc()
        return await asyncio.shield(task)

    def _forget(self, key: K, task: asyncio.Task[V]) -> None:
        if self._running.get(key) is task:
            del self._running[key]
        if not task.cancelled():
            task.exception()  # retrieved here, so a failure no caller awaited is not logged as lost

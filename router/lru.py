"""A small least-recently-used cache: the router's documents, plans and introspection answers."""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Generic, TypeVar

from prometheus_client import Counter

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable

CACHE_LOOKUPS = Counter(
    "router_cache_lookups_total", "Router cache look-ups by cache and result (hit or miss).", ["cache", "result"]
)

K = TypeVar("K", bound="Hashable")
V = TypeVar("V")


class LruCache(Generic[K, V]):
    """At most ``max_size`` entries; the least recently used one goes first."""

    def __init__(self, max_size: int, *, name: str | None = None) -> None:
        self.max_size = max_size
        self._entries: OrderedDict[K, V] = OrderedDict()
        # Named caches count their hits and misses on /metrics.
        self._hits = None if name is None else CACHE_LOOKUPS.labels(name, "hit")
        self._misses = None if name is None else CACHE_LOOKUPS.labels(name, "miss")

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K, compute: Callable[[], V]) -> V:
        """The value for ``key``, computed (and kept) on a miss."""
        try:
            self._entries.move_to_end(key)
            value = self._entries[key]
        except KeyError:
            if self._misses is not None:
                self._misses.inc()
            value = compute()
            self._entries[key] = value
            if len(self._entries) > self.max_size:
                self._entries.popitem(last=False)
            return value
        if self._hits is not None:
            self._hits.inc()
        return value

    def seen(self, key: K) -> bool:
        """Whether ``key`` is kept (a hit keeps it longer), counted like ``get``."""
        if key not in self._entries:
            if self._misses is not None:
                self._misses.inc()
            return False
        self._entries.move_to_end(key)
        if self._hits is not None:
            self._hits.inc()
        return True

    def put(self, key: K, value: V) -> None:
        """Keep ``value`` for ``key``, replacing what was there."""
        self._entries[key] = value
        self._entries.move_to_end(key)
        if len(self._entries) > self.max_size:
            self._entries.popitem(last=False)

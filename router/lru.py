"""A small least-recently-used cache: the router's documents, plans and introspection answers.

Bounded by count and, where entries differ in size, by weight: a count alone lets a client that
sends large documents make each entry cost megabytes, so the router's own caches would be the
easiest way to fill its memory.
"""

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
# An entry heavier than this share of the budget is computed but not kept: keeping it would
# evict that much of what many other requests use, for one that may never come again.
LARGEST_SHARE = 4
# Keys seen once that a second-sight cache remembers, per entry it may keep.
SIGHTINGS_PER_ENTRY = 4


class LruCache(Generic[K, V]):
    """At most ``max_size`` entries and, with ``max_weight``, at most that total weight; the least
    recently used go first.

    An entry's weight is what its caller says it costs; the router weighs what it keeps per
    document by the document's length in characters, which its parsed tree, plan and shapes grow with.
    """

    def __init__(
        self, max_size: int, *, max_weight: int | None = None, second_sight: bool = False, name: str | None = None
    ) -> None:
        self.max_size = max_size
        self.max_weight = max_weight
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._weight = 0
        # With ``second_sight``, a value is kept only when its key misses a second time while the
        # first is still remembered (by hash alone, a few bytes each): documents sent once, as a
        # fuzzer or a flood of new documents sends them, never evict the ones clients repeat.
        self._sighted: OrderedDict[int, None] | None = OrderedDict() if second_sight else None
        # Named caches count their hits and misses on /metrics.
        self._hits = None if name is None else CACHE_LOOKUPS.labels(name, "hit")
        self._misses = None if name is None else CACHE_LOOKUPS.labels(name, "miss")

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def weight(self) -> int:
        """The total weight kept."""
        return self._weight

    def get(self, key: K, compute: Callable[[], V], weight: int | Callable[[V], int] = 1) -> V:
        """The value for ``key``, computed (and kept, weighing ``weight``) on a miss.

        ``weight`` may be a function of the computed value, for entries whose cost only it tells.
        """
        try:
            self._entries.move_to_end(key)
            value = self._entries[key][0]
        except KeyError:
            if self._misses is not None:
                self._misses.inc()
            value = compute()
            if self._admits(key):
                self.put(key, value, weight if isinstance(weight, int) else weight(value))
            return value
        if self._hits is not None:
            self._hits.inc()
        return value

    def _admits(self, key: K) -> bool:
        sighted = self._sighted
        if sighted is None:
            return True
        fingerprint = hash(key)
        if fingerprint in sighted:
            del sighted[fingerprint]
            return True
        sighted[fingerprint] = None
        if len(sighted) > SIGHTINGS_PER_ENTRY * self.max_size:
            sighted.popitem(last=False)
        return False

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

    def put(self, key: K, value: V, weight: int = 1) -> None:
        """Keep ``value`` for ``key`` (weighing ``weight``), replacing what was there."""
        replaced = self._entries.pop(key, None)
        if replaced is not None:
            self._weight -= replaced[1]
        if self.max_weight is not None and weight * LARGEST_SHARE > self.max_weight:
            return
        self._entries[key] = (value, weight)
        self._weight += weight
        while len(self._entries) > self.max_size or (self.max_weight is not None and self._weight > self.max_weight):
            _, (_, evicted) = self._entries.popitem(last=False)
            self._weight -= evicted

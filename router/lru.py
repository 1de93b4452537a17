"""A small least-recently-used cache: the router's documents, plans and introspection answers."""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable

K = TypeVar("K", bound="Hashable")
V = TypeVar("V")


class LruCache(Generic[K, V]):
    """At most ``max_size`` entries; the least recently used one goes first."""

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        self._entries: OrderedDict[K, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K, compute: Callable[[], V]) -> V:
        """The value for ``key``, computed (and kept) on a miss."""
        try:
            self._entries.move_to_end(key)
            return self._entries[key]
        except KeyError:
            value = compute()
            self._entries[key] = value
            if len(self._entries) > self.max_size:
                self._entries.popitem(last=False)
            return value

    def put(self, key: K, value: V) -> None:
        """Keep ``value`` for ``key``, replacing what was there."""
        self._entries[key] = value
        self._entries.move_to_end(key)
        if len(self._entries) > self.max_size:
            self._entries.popitem(last=False)

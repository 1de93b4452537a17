"""Automatic persisted queries kept in the key-value store: shared by replicas through Redis.

Entries expire after a day without being registered again, so a client inventing hashes can
only fill the store for that long (and Redis evicts under its own memory policy before that).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kcp.stores.keyvalue import KeyValueStore

APQ_TTL_SECONDS = 24 * 3600


class KeyValueApqStore:
    def __init__(self, store: KeyValueStore, ttl_seconds: float = APQ_TTL_SECONDS) -> None:
        self._store = store
        self._ttl = ttl_seconds

    async def get(self, key: str) -> str | None:
        return await self._store.get(f"apq:{key}")

    async def put(self, key: str, query: str) -> None:
        await self._store.set(f"apq:{key}", query, self._ttl)

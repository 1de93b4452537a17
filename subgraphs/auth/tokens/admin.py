"""Rotating and retiring signing keys (users:admin), each recorded in the audit log."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import structlog

from subgraphs.auth.audit.kinds import AuditKind
from subgraphs.auth.audit.repository import AuditRepository

if TYPE_CHECKING:
    from kcp.stores.relational import RelationalStore
    from subgraphs.auth.clock import Clock
    from subgraphs.auth.tokens.keys import KeyRing, SigningKey

log = structlog.get_logger()


class SigningKeyService:
    def __init__(self, keys: KeyRing, store: RelationalStore, clock: Clock) -> None:
        self._keys = keys
        self._store = store
        self._clock = clock

    async def rotate(self, *, actor_id: str | None) -> SigningKey:
        key = await asyncio.to_thread(self._keys.rotate)
        async with self._store.transaction() as db:
            AuditRepository(db).record(
                AuditKind.SIGNING_KEY_ROTATED, self._clock(), actor_id=actor_id, target_id=key.kid
            )
        log.info("auth.signing_key_rotated", kid=key.kid)
        return key

    async def retire(self, kid: str, *, actor_id: str | None) -> SigningKey:
        key = await asyncio.to_thread(self._keys.retire, kid)
        async with self._store.transaction() as db:
            AuditRepository(db).record(
                AuditKind.SIGNING_KEY_RETIRED, self._clock(), actor_id=actor_id, target_id=key.kid
            )
        log.info("auth.signing_key_retired", kid=key.kid)
        return key

"""Reading the audit log (writes happen inside each change's own transaction)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from subgraphs.auth.audit.repository import AuditFilter, AuditRepository

if TYPE_CHECKING:
    from kcp.pagination import Window
    from kcp.stores.relational import RelationalStore
    from subgraphs.auth.tables import AuditEventRow


class AuditService:
    def __init__(self, store: RelationalStore) -> None:
        self._store = store

    async def page(self, where: AuditFilter, window: Window) -> tuple[list[AuditEventRow], int]:
        async with self._store.reading() as db:
            return await AuditRepository(db).page(where, offset=window.offset, limit=window.limit + 1)

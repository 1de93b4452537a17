"""The manifest of one backup: written last, so a backup without one is incomplete by definition.

It lists each store's artifact (object key, size, SHA-256), the store's server version, the
schema migration heads per service, and each table's record count and checksum. Restore reads it
first and refuses before touching anything when an artifact's size or checksum differs, or when a
migration head is one this code does not know (a backup from a newer release).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from kcp.backup import BackupError

FORMAT = 1


@dataclass(frozen=True)
class StoreEntry:
    """One store's part of a backup."""

    name: str  # e.g. "postgresql", "knowledge.graph": unique within the deployment
    kind: str  # sqlite, ladybug, postgresql, mongodb, neo4j
    artifact: str  # object key relative to the backup's folder
    size: int
    sha256: str
    version: str
    migration_heads: dict[str, str] = field(default_factory=dict)  # service -> Alembic revision
    records: dict[str, dict[str, Any]] = field(default_factory=dict)  # table -> {count, checksum}

    @property
    def record_count(self) -> int:
        return sum(int(table["count"]) for table in self.records.values())


@dataclass(frozen=True)
class Manifest:
    backup_id: str
    created_at: str
    kcp_version: str
    stores: tuple[StoreEntry, ...]
    format: int = FORMAT

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes, *, source: str) -> Manifest:
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                msg = f"{source} is manifest format {data.get('format')!r}; this code reads format {FORMAT}"
                raise BackupError(msg)
            stores = tuple(StoreEntry(**entry) for entry in data["stores"])
            return cls(
                backup_id=str(data["backup_id"]),
                created_at=str(data["created_at"]),
                kcp_version=str(data["kcp_version"]),
                stores=stores,
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            msg = f"{source} is not a readable backup manifest ({type(error).__name__}: {error}); the backup is damaged"
            raise BackupError(msg) from error

    @property
    def size(self) -> int:
        return sum(store.size for store in self.stores)

    @property
    def record_count(self) -> int:
        return sum(store.record_count for store in self.stores)

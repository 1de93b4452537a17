"""The one interface every kind of store's backup implements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from kcp.backup.records import Fingerprint


class StoreBackup(Protocol):
    """Dumps one store into one file and loads it back, all or nothing."""

    name: str  # unique in the deployment: "postgresql", "knowledge.graph", ...
    kind: str  # sqlite, ladybug, postgresql, mongodb, neo4j
    suffix: str  # the artifact's file suffix

    def version(self) -> str:
        """The server's (or engine's) version, for the manifest."""
        ...

    def migration_heads(self) -> dict[str, str]:
        """The Alembic revision of each service schema the store holds (empty for schema-less stores)."""
        ...

    def dump(self, target: Path, progress: Callable[[int, int], None]) -> None:
        """Write a consistent copy of the store to ``target``; ``progress(done, total)`` as it goes."""
        ...

    def check_artifact(self, artifact: Path) -> None:
        """Raise ``BackupError`` unless ``artifact`` is a complete dump this store can load."""
        ...

    def restore(self, artifact: Path, progress: Callable[[int, int], None]) -> None:
        """Replace the store's content with ``artifact``'s, atomically: on failure it is unchanged."""
        ...

    def fingerprint(self) -> Fingerprint:
        """Every record's digest, by table or collection."""
        ...

    def holds_data(self) -> bool:
        """Whether the store has any record a restore would overwrite."""
        ...

    def wipe(self) -> None:
        """Delete everything (the drill's step between backup and restore)."""
        ...

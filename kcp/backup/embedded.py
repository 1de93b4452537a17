"""Backups of the embedded stores: SQLite files (relational and documents) and the ladybug graph.

SQLite is copied with its online backup API, page by page while the services keep running, and
restored the same way in the other direction, which SQLite does in one write transaction: a
failed restore leaves the file as it was. The graph is ladybug's own ``EXPORT DATABASE``
(schema and data as files), archived; a restore imports it into a fresh database beside the live
one and swaps the two only once the import succeeded. ladybug admits one process at a time, so
the knowledge service must be stopped to back up or restore the embedded graph.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import tarfile
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kcp.backup import BackupError
from kcp.backup.records import Fingerprint, RecordSet

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

_PAGES_PER_STEP = 256


def _tables(connection: sqlite3.Connection) -> list[str]:
    """Ordinary tables, without SQLite's own, virtual tables, or the shadow tables behind FTS5."""
    rows = connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
    return sorted(
        name
        for name, sql in rows
        if not name.startswith("sqlite_")
        and not (sql or "").upper().startswith("CREATE VIRTUAL")
        and not any(name.startswith(f"{table}_") for table in virtual)
    )


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _extract_safely(archive: tarfile.TarFile, into: Path) -> None:
    """Plain files and folders inside ``into`` only. ``filter="data"`` does that where tarfile has it
    (3.11.4+); Debian bookworm's Python 3.11.2, which a Debian-based image runs, has no ``filter``
    argument, so there each member is checked by hand before anything is written."""
    refused = "the graph export holds {!r}, not a plain file inside the archive; the backup is damaged"
    if hasattr(tarfile, "data_filter"):
        try:
            archive.extractall(into, filter="data")
        except tarfile.FilterError as error:
            raise BackupError(refused.format(error.tarinfo.name)) from error
        return
    root = into.resolve()
    members = archive.getmembers()
    for member in members:
        inside = (root / member.name).resolve()
        if not (member.isfile() or member.isdir()) or (inside != root and root not in inside.parents):
            raise BackupError(refused.format(member.name))
    archive.extractall(into, members=members)  # noqa: S202 - every member checked above


class SqliteFileBackup:
    """One SQLite file of one service."""

    kind = "sqlite"
    suffix = ".sqlite3"

    def __init__(self, name: str, path: Path, *, migrated_service: str | None = None) -> None:
        self.name = name
        self.path = path
        self._migrated_service = migrated_service  # whose alembic_version the file holds, if any

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        if not self.path.is_file():
            msg = f"{self.name}: {self.path} does not exist; run `kcp migrate` / `kcp seed` or check KCP_DATA_DIR"
            raise BackupError(msg)
        connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
        try:
            yield connection
        finally:
            connection.close()

    def version(self) -> str:
        return sqlite3.sqlite_version

    def migration_heads(self) -> dict[str, str]:
        if self._migrated_service is None:
            return {}
        with self._reading() as connection:
            if "alembic_version" not in _tables(connection):
                return {}
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return {} if row is None else {self._migrated_service: str(row[0])}

    def dump(self, target: Path, progress: Callable[[int, int], None]) -> None:
        with self._reading() as source:
            destination = sqlite3.connect(target)
            try:
                source.backup(
                    destination,
                    pages=_PAGES_PER_STEP,
                    progress=lambda _status, remaining, total: progress(total - remaining, total),
                )
            except sqlite3.Error as error:
                msg = f"{self.name}: copying {self.path} failed ({error}); is the disk full or the file damaged?"
                raise BackupError(msg) from error
            finally:
                destination.close()

    def check_artifact(self, artifact: Path) -> None:
        try:
            connection = sqlite3.connect(f"file:{artifact}?mode=ro", uri=True)
            try:
                verdict = connection.execute("PRAGMA integrity_check").fetchone()
            finally:
                connection.close()
        except sqlite3.DatabaseError as error:
            msg = f"{self.name}: the backup's SQLite file is not a database ({error}); the backup is damaged"
            raise BackupError(msg) from error
        if verdict is None or verdict[0] != "ok":
            msg = f"{self.name}: the backup's SQLite file fails its integrity check ({verdict}); the backup is damaged"
            raise BackupError(msg)

    def restore(self, artifact: Path, progress: Callable[[int, int], None]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(f"file:{artifact}?mode=ro", uri=True)
        destination = sqlite3.connect(self.path, timeout=30)
        try:
            # One step of -1 pages: the whole copy in one write transaction of the destination.
            source.backup(
                destination, pages=-1, progress=lambda _s, remaining, total: progress(total - remaining, total)
            )
        except sqlite3.Error as error:
            msg = f"{self.name}: restoring into {self.path} failed ({error}); the file was left as it was"
            raise BackupError(msg) from error
        finally:
            source.close()
            destination.close()

    def fingerprint(self) -> Fingerprint:
        if not self.path.is_file():
            return {}
        with self._reading() as connection:
            found: Fingerprint = {}
            for table in _tables(connection):
                cursor = connection.execute(f"SELECT * FROM {_quoted(table)}")  # noqa: S608 - a name from sqlite_master, quoted
                found[table] = RecordSet.of(list(row) for row in cursor)
            return found

    def holds_data(self) -> bool:
        fingerprint = self.fingerprint()
        return any(records.count for table, records in fingerprint.items() if table != "alembic_version")

    def wipe(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


class EmbeddedGraphBackup:
    """The knowledge graph in ladybug, exported and imported with its own statements."""

    kind = "ladybug"
    suffix = ".tar.gz"

    def __init__(self, name: str, path: Path) -> None:
        self.name = name
        self.path = path

    @contextlib.contextmanager
    def connect(self, path: Path | None = None) -> Iterator[Any]:
        import ladybug  # noqa: PLC0415 - the engine loads only where the graph is used

        try:
            database = ladybug.Database(str(path or self.path))
        except RuntimeError as error:
            if "lock" in str(error).lower():
                msg = (
                    f"{self.name}: {self.path} is open in another process (a running knowledge service?); "
                    "the embedded graph admits one process: stop the knowledge service and try again"
                )
                raise BackupError(msg) from error
            raise
        connection = ladybug.Connection(database)
        try:
            yield connection
        finally:
            connection.close()
            database.close()

    def version(self) -> str:
        import ladybug  # noqa: PLC0415

        return f"ladybug {getattr(ladybug, '__version__', 'unknown')}"

    def migration_heads(self) -> dict[str, str]:
        return {}

    def dump(self, target: Path, progress: Callable[[int, int], None]) -> None:
        if not self.path.exists():
            msg = f"{self.name}: {self.path} does not exist; seed the knowledge graph or check KCP_DATA_DIR"
            raise BackupError(msg)
        with tempfile.TemporaryDirectory(prefix="kcp-graph-export-") as scratch:
            export = Path(scratch) / "export"
            with self.connect() as connection:
                connection.execute(f"EXPORT DATABASE '{export}'")
            progress(1, 2)
            with tarfile.open(target, "w:gz") as archive:
                archive.add(export, arcname="export")
            progress(2, 2)

    def check_artifact(self, artifact: Path) -> None:
        try:
            with tarfile.open(artifact, "r:gz") as archive:
                names = archive.getnames()
        except (tarfile.TarError, OSError, EOFError) as error:
            msg = f"{self.name}: the graph export is not a readable archive ({error}); the backup is damaged"
            raise BackupError(msg) from error
        if "export/schema.cypher" not in names:
            msg = f"{self.name}: the graph export has no schema.cypher; the backup is damaged"
            raise BackupError(msg)

    def restore(self, artifact: Path, progress: Callable[[int, int], None]) -> None:
        with tempfile.TemporaryDirectory(prefix="kcp-graph-import-", dir=self.path.parent) as scratch:
            with tarfile.open(artifact, "r:gz") as archive:
                _extract_safely(archive, Path(scratch))
            fresh = Path(scratch) / "graph.restoring"
            try:
                with self.connect(fresh) as connection:
                    connection.execute(f"IMPORT DATABASE '{Path(scratch) / 'export'}'")
            except RuntimeError as error:
                msg = f"{self.name}: importing the graph export failed ({error}); the live graph was left as it was"
                raise BackupError(msg) from error
            progress(1, 2)
            # Only now, with the import complete, does the fresh database take the live one's place.
            self.wipe()
            for produced in Path(scratch).glob("graph.restoring*"):
                produced.replace(self.path.parent / produced.name.replace("graph.restoring", self.path.name))
            progress(2, 2)

    def fingerprint(self) -> Fingerprint:
        if not self.path.exists():
            return {}
        found: Fingerprint = {}
        with self.connect() as connection:
            tables = _rows(connection, "CALL show_tables() RETURN name, type")
            for table in tables:
                name = str(table["name"])
                if str(table["type"]).upper() == "NODE":
                    rows = _rows(connection, f"MATCH (n:`{name}`) RETURN n")
                    found[name] = RecordSet.of(_properties(row["n"]) for row in rows)
                elif str(table["type"]).upper() == "REL":
                    rows = _rows(connection, f"MATCH (a)-[r:`{name}`]->(b) RETURN a, r, b")
                    found[name] = RecordSet.of(
                        [_properties(row["a"]), _properties(row["r"]), _properties(row["b"])] for row in rows
                    )
        return found

    def holds_data(self) -> bool:
        return any(records.count for records in self.fingerprint().values())

    def wipe(self) -> None:
        for produced in self.path.parent.glob(f"{self.path.name}*"):
            if produced.is_dir():
                shutil.rmtree(produced)
            else:
                produced.unlink()


def _rows(connection: Any, cypher: str) -> list[dict[str, Any]]:
    result = connection.execute(cypher)
    columns = result.get_column_names()
    rows = []
    while result.has_next():
        rows.append(dict(zip(columns, result.get_next(), strict=True)))
    return rows


def _properties(value: Any) -> Any:
    """A node's or relationship's properties, without the engine's internal ids (``_id``, ``_src`` ...)."""
    if isinstance(value, dict):
        return {key: item for key, item in value.items() if not key.startswith("_")}
    return value

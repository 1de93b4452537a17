"""``backup``, ``restore`` and retention, over any list of ``StoreBackup`` and one bucket.

Backup: dump every store into a scratch folder (progress per store), hash each artifact, upload
the artifacts, then the manifest. A store that fails mid-way (a server gone down) stops the
backup: what was uploaded of it is deleted again, and no manifest is written, so no restore can
ever pick a partial backup.

Restore: read the manifest, refuse a schema this code does not know, download and verify every
artifact's size and SHA-256 and that its store can read it, refuse stores holding live data
unless forced — all before the first store is touched. Each store's restore is atomic on its own.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import structlog

from kcp.backup import BackupError
from kcp.backup.bucket import MANIFEST
from kcp.backup.manifest import Manifest, StoreEntry
from kcp.backup.records import summary

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from rich.progress import Progress

    from kcp.backup.bucket import BackupBucket
    from kcp.backup.store import StoreBackup

log = structlog.get_logger()
_CHUNK = 1 << 20


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _kcp_version() -> str:
    try:
        return metadata.version("soundcore-kcp")
    except metadata.PackageNotFoundError:
        return "unknown"


def new_backup_id(now: datetime | None = None) -> str:
    """Sortable by time (retention keeps the newest), unique across concurrent runs."""
    moment = now or datetime.now(UTC)
    return f"{moment:%Y%m%dT%H%M%S.%fZ}-{uuid.uuid4().hex[:6]}"


def _step(progress: Progress, description: str) -> Callable[[int, int], None]:
    task = progress.add_task(description, total=None)

    def advance(done: int, total: int) -> None:
        progress.update(task, completed=done, total=max(total, 1))

    return advance


def _bytes_step(progress: Progress, description: str, total: int) -> Callable[[int], None]:
    task = progress.add_task(description, total=max(total, 1))
    return lambda amount: progress.advance(task, amount)


@dataclass(frozen=True)
class BackupResult:
    manifest: Manifest
    seconds: float
    removed: tuple[str, ...]


def backup(
    stores: Sequence[StoreBackup], bucket: BackupBucket, progress: Progress, *, keep: int | None = None
) -> BackupResult:
    """Back up every store; then keep the ``keep`` newest complete backups (None: keep all)."""
    started = time.perf_counter()
    bucket.check()
    backup_id = new_backup_id()
    log.info("backup.started", backup_id=backup_id, stores=[s.name for s in stores], bucket=bucket.where)
    entries: list[StoreEntry] = []
    try:
        with tempfile.TemporaryDirectory(prefix="kcp-backup-") as scratch:
            for store in stores:
                artifact = Path(scratch) / f"{store.name}{store.suffix}"
                try:
                    version, heads = store.version(), store.migration_heads()
                    store.dump(artifact, _step(progress, f"dump {store.name}"))
                    records = summary(store.fingerprint())
                except BackupError:
                    raise
                except Exception as error:
                    msg = f"{store.name}: the backup failed mid-way ({type(error).__name__}: {error}); nothing was kept"
                    raise BackupError(msg) from error
                size = artifact.stat().st_size
                key = artifact.name
                bucket.upload(artifact, bucket.key(backup_id, key), _bytes_step(progress, f"upload {key}", size))
                entries.append(
                    StoreEntry(store.name, store.kind, key, size, _sha256(artifact), version, heads, records)
                )
                artifact.unlink()
    except BaseException:
        # No manifest was written; the artifacts uploaded so far would only be clutter.
        bucket.delete_backup(backup_id)
        log.warning("backup.abandoned", backup_id=backup_id)
        raise
    manifest = Manifest(backup_id, datetime.now(UTC).isoformat(), _kcp_version(), tuple(entries))
    bucket.put_bytes(bucket.key(backup_id, MANIFEST), manifest.to_json())
    removed = apply_retention(bucket, keep) if keep is not None else ()
    seconds = time.perf_counter() - started
    log.info("backup.completed", backup_id=backup_id, size=manifest.size, seconds=round(seconds, 2))
    return BackupResult(manifest, seconds, removed)


def apply_retention(bucket: BackupBucket, keep: int) -> tuple[str, ...]:
    """Delete all but the ``keep`` newest complete backups, and incomplete ones older than them."""
    folders = bucket.backup_folders()
    complete = sorted((i for i, done in folders.items() if done), reverse=True)
    kept = set(complete[:keep])
    oldest_kept = min(kept) if kept else ""
    doomed = [i for i, done in folders.items() if i not in kept and (done or i < oldest_kept)]
    for backup_id in sorted(doomed):
        bucket.delete_backup(backup_id)
        log.info("backup.expired", backup_id=backup_id)
    return tuple(sorted(doomed))


def list_backups(bucket: BackupBucket) -> list[Manifest]:
    """The complete backups, newest first."""
    found = []
    for backup_id, complete in sorted(bucket.backup_folders().items(), reverse=True):
        raw = bucket.get_bytes(bucket.key(backup_id, MANIFEST)) if complete else None
        if raw is not None:
            found.append(Manifest.from_json(raw, source=f"backup {backup_id}"))
    return found


def read_manifest(bucket: BackupBucket, backup_id: str) -> Manifest:
    """The manifest of ``backup_id`` (``latest``: the newest complete backup)."""
    bucket.check()
    if backup_id == "latest":
        complete = sorted((i for i, done in bucket.backup_folders().items() if done), reverse=True)
        if not complete:
            msg = f"there is no complete backup in {bucket.where}; run `kcp backup` first"
            raise BackupError(msg)
        backup_id = complete[0]
    raw = bucket.get_bytes(bucket.key(backup_id, MANIFEST))
    if raw is None:
        msg = f"no backup {backup_id!r} in {bucket.where} (or it is incomplete); `kcp backup --list` shows them"
        raise BackupError(msg)
    return Manifest.from_json(raw, source=f"the manifest of backup {backup_id}")


def schema_problems(manifest: Manifest, known_revisions: Mapping[str, Sequence[str]]) -> list[str]:
    """Migration heads of the backup this code does not know: a backup from a newer release."""
    problems = []
    for entry in manifest.stores:
        for service, head in entry.migration_heads.items():
            if head not in known_revisions.get(service, ()):
                problems.append(
                    f"{entry.name}: {service}'s schema is at revision {head}, which this code does not know "
                    "(the backup comes from a newer release); restore it with that release or newer"
                )
    return problems


def restore(  # noqa: PLR0913 - keyword-only switches, each one a decision of the operator
    stores: Sequence[StoreBackup],
    bucket: BackupBucket,
    progress: Progress,
    *,
    backup_id: str,
    known_revisions: Mapping[str, Sequence[str]],
    force: bool = False,
    dry_run: bool = False,
) -> tuple[Manifest, float]:
    """Restore ``backup_id`` into ``stores``; every check passes before any store is written."""
    started = time.perf_counter()
    manifest = read_manifest(bucket, backup_id)
    by_name = {store.name: store for store in stores}
    missing = [entry.name for entry in manifest.stores if entry.name not in by_name]
    if missing:
        msg = (
            f"backup {manifest.backup_id} holds {', '.join(missing)}, which this deployment does not use "
            f"(it uses {', '.join(by_name)}); restore with the store settings the backup was taken with"
        )
        raise BackupError(msg)
    problems = schema_problems(manifest, known_revisions)
    if problems:
        raise BackupError("; ".join(problems))
    with tempfile.TemporaryDirectory(prefix="kcp-restore-") as scratch:
        artifacts: dict[str, Path] = {}
        for entry in manifest.stores:
            path = Path(scratch) / entry.artifact
            key = bucket.key(manifest.backup_id, entry.artifact)
            bucket.download(key, path, _bytes_step(progress, f"download {entry.artifact}", entry.size))
            size, digest = path.stat().st_size, _sha256(path)
            if size != entry.size or digest != entry.sha256:
                msg = (
                    f"{entry.name}: {entry.artifact} of backup {manifest.backup_id} is {size} bytes with SHA-256 "
                    f"{digest[:12]}…, the manifest says {entry.size} bytes and {entry.sha256[:12]}…: the artifact is "
                    "corrupted or truncated; nothing was restored (choose another backup)"
                )
                raise BackupError(msg)
            by_name[entry.name].check_artifact(path)
            artifacts[entry.name] = path
        live = [entry.name for entry in manifest.stores if by_name[entry.name].holds_data()]
        if live and not force:
            msg = (
                f"{', '.join(live)} already hold data; a restore replaces it. Nothing was restored: "
                "take a backup of it first, then run again with --force"
            )
            raise BackupError(msg)
        if dry_run:
            return manifest, time.perf_counter() - started
        done: list[str] = []
        for entry in manifest.stores:
            try:
                by_name[entry.name].restore(artifacts[entry.name], _step(progress, f"restore {entry.name}"))
            except Exception as error:
                restored = f"; already restored: {', '.join(done)}" if done else ""
                message = str(error) if isinstance(error, BackupError) else f"{entry.name}: {error}"
                msg = f"{message} (left unchanged{restored}); fix the cause and run the restore again"
                raise BackupError(msg) from error
            done.append(entry.name)
            log.info("restore.store_restored", backup_id=manifest.backup_id, store=entry.name)
    return manifest, time.perf_counter() - started

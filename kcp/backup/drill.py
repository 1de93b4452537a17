"""The restore drill: back up every store, wipe it, restore it, and compare every record.

The caller (``kcp drill`` in the composition root) prepares scratch stores and seeds them; this
module takes each store's record digests, backs everything up to the bucket, wipes every store,
restores the backup and takes the digests again. ``LocalS3`` gives a fresh clone an
S3-compatible server for the run: moto's server mode on a free loopback port.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Self

import httpx

from kcp.backup import BackupError
from kcp.backup.records import mismatched_records
from kcp.backup.run import backup, restore
from kcp.ports import free_port

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from types import TracebackType

    from rich.progress import Progress

    from kcp.backup.bucket import BackupBucket
    from kcp.backup.store import StoreBackup

_START_TIMEOUT_SECONDS = 20.0


class LocalS3:
    """``moto_server`` on 127.0.0.1 for the length of a ``with`` block (in memory: nothing outlives it)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Self:
        executable = Path(sys.executable).with_name("moto_server")
        command = str(executable) if executable.is_file() else shutil.which("moto_server")
        if command is None:
            msg = (
                "no S3 endpoint is configured (S3_ENDPOINT_URL) and moto_server, which the drill starts instead, "
                "is not installed: pip install 'moto[server]' (make .venv/.installed does)"
            )
            raise BackupError(msg)
        self._process = subprocess.Popen(  # noqa: S603 - our own argument list
            [command, "-H", "127.0.0.1", "-p", str(self.port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + _START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                msg = f"moto_server exited with code {self._process.returncode} on port {self.port}"
                raise BackupError(msg)
            try:
                httpx.get(self.url, timeout=1.0)
            except httpx.HTTPError:
                time.sleep(0.1)
                continue
            return self
        self.__exit__(None, None, None)
        msg = f"moto_server did not answer on {self.url} within {_START_TIMEOUT_SECONDS:.0f} s"
        raise BackupError(msg)

    def __exit__(
        self, _kind: type[BaseException] | None, _error: BaseException | None, _trace: TracebackType | None
    ) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(10)

    @staticmethod
    def credentials() -> dict[str, str]:
        """What boto3 needs to sign requests; moto accepts any."""
        return {
            "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", "drill"),
            "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", "drill"),
            "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
        }


@dataclass(frozen=True)
class StoreOutcome:
    name: str
    records: int
    mismatches: int


@dataclass(frozen=True)
class DrillReport:
    stores: tuple[StoreOutcome, ...]
    backup_seconds: float
    restore_seconds: float
    backup_bytes: int

    @property
    def records(self) -> int:
        return sum(store.records for store in self.stores)

    @property
    def mismatches(self) -> int:
        return sum(store.mismatches for store in self.stores)

    def last_line(self) -> str:
        return (
            f"drill: {self.records} records compared, {self.mismatches} mismatches, "
            f"backup {self.backup_seconds:.1f} s, restore {self.restore_seconds:.1f} s"
        )


def run_drill(
    stores: Sequence[StoreBackup],
    bucket: BackupBucket,
    progress: Progress,
    *,
    known_revisions: Mapping[str, Sequence[str]],
) -> DrillReport:
    """Digests, backup, wipe, restore, digests again: the report of what came back."""
    task = progress.add_task("digest every record", total=len(stores))
    before = {}
    for store in stores:
        before[store.name] = store.fingerprint()
        progress.advance(task)
    taken = backup(stores, bucket, progress)
    for store in stores:
        store.wipe()
    _, restore_seconds = restore(
        stores, bucket, progress, backup_id=taken.manifest.backup_id, known_revisions=known_revisions
    )
    outcomes = []
    task = progress.add_task("compare every record", total=len(stores))
    for store in stores:
        after = store.fingerprint()
        records = sum(r.count for r in before[store.name].values())
        outcomes.append(StoreOutcome(store.name, records, mismatched_records(before[store.name], after)))
        progress.advance(task)
    return DrillReport(tuple(outcomes), taken.seconds, restore_seconds, taken.manifest.size)

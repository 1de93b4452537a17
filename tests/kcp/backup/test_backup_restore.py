"""``kcp.backup`` against a real S3-compatible server (moto's server mode on loopback): a round
trip, retention, and every refusal the issue lists — each a ``BackupError`` that names what is
wrong, with the store left exactly as it was."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from rich.progress import Progress

from kcp.backup import BackupError
from kcp.backup.bucket import MANIFEST, BackupBucket
from kcp.backup.embedded import SqliteFileBackup
from kcp.backup.manifest import Manifest
from kcp.backup.run import apply_retention, backup, list_backups, restore
from kcp.backup.servers import PostgresBackup
from kcp.ports import free_port

if TYPE_CHECKING:
    from collections.abc import Iterator

    from kcp.backup.store import StoreBackup

REVISIONS = {"demo": ["0001", "0002"]}


def _moto(environment: dict[str, str]) -> Iterator[str]:
    port = free_port()
    server = Path(sys.executable).with_name("moto_server")
    process = subprocess.Popen(
        [str(server), "-H", "127.0.0.1", "-p", str(port)],
        env={**os.environ, **environment},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def s3_url() -> Iterator[str]:
    yield from _moto({})


@pytest.fixture(autouse=True)
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


@pytest.fixture
def bucket(s3_url: str, request: pytest.FixtureRequest) -> BackupBucket:
    name = "t-" + request.node.name.lower().replace("_", "-")[:50]
    created = BackupBucket(name, endpoint_url=s3_url)
    created.create()
    return created


def _database(path: Path, rows: int, head: str = "0002") -> SqliteFileBackup:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE alembic_version (version_num TEXT)")
    connection.execute("INSERT INTO alembic_version VALUES (?)", (head,))
    connection.execute("CREATE TABLE tickets (id TEXT PRIMARY KEY, subject TEXT)")
    connection.executemany("INSERT INTO tickets VALUES (?, ?)", [(f"t{n}", f"subject {n}") for n in range(rows)])
    connection.commit()
    connection.close()
    return SqliteFileBackup("demo.relational", path, migrated_service="demo")


def _subjects(path: Path) -> list[tuple[str, str]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT id, subject FROM tickets ORDER BY id").fetchall()
    finally:
        connection.close()


def _quiet() -> Progress:
    return Progress(disable=True)


def test_a_backup_restores_every_record_and_its_manifest_describes_it(bucket: BackupBucket, tmp_path: Path) -> None:
    store = _database(tmp_path / "demo.sqlite3", rows=50)
    before = store.fingerprint()
    taken = backup([store], bucket, _quiet())
    entry = taken.manifest.stores[0]
    assert (entry.kind, entry.migration_heads, entry.records["tickets"]["count"]) == ("sqlite", {"demo": "0002"}, 50)
    assert len(entry.sha256) == 64
    assert entry.size == (tmp_path / "demo.sqlite3").stat().st_size
    store.wipe()
    restore([store], bucket, _quiet(), backup_id="latest", known_revisions=REVISIONS)
    assert store.fingerprint().keys() == before.keys()
    assert all(store.fingerprint()[t].checksum == before[t].checksum for t in before)
    assert [m.backup_id for m in list_backups(bucket)] == [taken.manifest.backup_id]


def test_live_data_is_not_overwritten_without_force(bucket: BackupBucket, tmp_path: Path) -> None:
    store = _database(tmp_path / "demo.sqlite3", rows=5)
    backup([store], bucket, _quiet())
    connection = sqlite3.connect(store.path)
    connection.execute("UPDATE tickets SET subject = 'changed since'")
    connection.commit()
    connection.close()
    with pytest.raises(BackupError, match=r"demo.relational already hold data.*--force"):
        restore([store], bucket, _quiet(), backup_id="latest", known_revisions=REVISIONS)
    assert {subject for _, subject in _subjects(store.path)} == {"changed since"}
    restore([store], bucket, _quiet(), backup_id="latest", known_revisions=REVISIONS, force=True)
    assert {subject for _, subject in _subjects(store.path)} == {f"subject {n}" for n in range(5)}


@pytest.mark.parametrize("damage", ["corrupted", "truncated"])
def test_a_damaged_artifact_is_refused_before_any_store_is_touched(
    bucket: BackupBucket, tmp_path: Path, damage: str
) -> None:
    store = _database(tmp_path / "demo.sqlite3", rows=20)
    taken = backup([store], bucket, _quiet())
    key = bucket.key(taken.manifest.backup_id, taken.manifest.stores[0].artifact)
    original = bucket.get_bytes(key) or b""
    broken = original[:-1] + bytes([original[-1] ^ 0xFF]) if damage == "corrupted" else original[: len(original) // 2]
    bucket.put_bytes(key, broken)
    store.wipe()
    with pytest.raises(BackupError, match="corrupted or truncated; nothing was restored"):
        restore([store], bucket, _quiet(), backup_id="latest", known_revisions=REVISIONS, force=True)
    assert not store.path.exists()


def test_a_backup_from_a_newer_schema_is_refused(bucket: BackupBucket, tmp_path: Path) -> None:
    store = _database(tmp_path / "demo.sqlite3", rows=3, head="0003")
    backup([store], bucket, _quiet())
    store.wipe()
    with pytest.raises(BackupError, match=r"demo's schema is at revision 0003, which this code does not know"):
        restore([store], bucket, _quiet(), backup_id="latest", known_revisions=REVISIONS)
    assert not store.path.exists()


def test_an_unreadable_manifest_is_named(bucket: BackupBucket, tmp_path: Path) -> None:
    store = _database(tmp_path / "demo.sqlite3", rows=3)
    taken = backup([store], bucket, _quiet())
    bucket.put_bytes(bucket.key(taken.manifest.backup_id, MANIFEST), b'{"format": 1, "stores": [')
    with pytest.raises(BackupError, match="not a readable backup manifest"):
        restore([store], bucket, _quiet(), backup_id="latest", known_revisions=REVISIONS, force=True)


def test_a_store_down_mid_backup_leaves_no_backup_behind(bucket: BackupBucket, tmp_path: Path) -> None:
    healthy = _database(tmp_path / "demo.sqlite3", rows=3)
    down = PostgresBackup(f"postgresql://kcp@127.0.0.1:{free_port()}/kcp", ["demo"])
    stores: list[StoreBackup] = [healthy, down]
    with pytest.raises(BackupError, match="postgresql: cannot connect to PostgreSQL"):
        backup(stores, bucket, _quiet())
    assert bucket.backup_folders() == {}


def test_a_missing_bucket_is_named(s3_url: str, tmp_path: Path) -> None:
    store = _database(tmp_path / "demo.sqlite3", rows=1)
    with pytest.raises(BackupError, match=r"the bucket 'no-such-bucket' does not exist.*S3_BACKUP_BUCKET"):
        backup([store], BackupBucket("no-such-bucket", endpoint_url=s3_url), _quiet())


def test_refused_credentials_are_named(tmp_path: Path) -> None:
    store = _database(tmp_path / "demo.sqlite3", rows=1)
    # moto checks signatures against its IAM users only once authentication is switched on.
    for url in _moto({"INITIAL_NO_AUTH_ACTION_COUNT": "0"}):
        with pytest.raises(BackupError, match=r"refused the credentials.*AWS_ACCESS_KEY_ID"):
            backup([store], BackupBucket("any", endpoint_url=url), _quiet())


def test_retention_keeps_the_newest_complete_backups(bucket: BackupBucket, tmp_path: Path) -> None:
    store = _database(tmp_path / "demo.sqlite3", rows=1)
    taken = [backup([store], bucket, _quiet()).manifest.backup_id for _ in range(3)]
    bucket.put_bytes(bucket.key("00000000T000000Z-stale", "demo.sqlite3"), b"an abandoned upload")
    removed = apply_retention(bucket, keep=2)
    assert set(removed) == {taken[0], "00000000T000000Z-stale"}
    assert sorted(bucket.backup_folders()) == sorted(taken[1:])


def test_the_manifest_round_trips() -> None:
    raw = (
        b'{"format": 1, "backup_id": "b", "created_at": "now", "kcp_version": "0", "stores": [{"name": "n", '
        b'"kind": "sqlite", "artifact": "n.sqlite3", "size": 1, "sha256": "00", "version": "3"}]}'
    )
    manifest = Manifest.from_json(raw, source="test")
    assert Manifest.from_json(manifest.to_json(), source="again") == manifest


def test_the_command_line_says_what_to_set_and_exits_non_zero(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from commands.cli import main  # noqa: PLC0415
    from kcp.settings import get_settings  # noqa: PLC0415

    monkeypatch.delenv("S3_BACKUP_BUCKET", raising=False)
    monkeypatch.setenv("KCP_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        assert main(["backup"]) == 1
    finally:
        get_settings.cache_clear()
    assert "kcp backup: S3_BACKUP_BUCKET is not set" in capsys.readouterr().err

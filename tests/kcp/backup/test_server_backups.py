"""Each real server's backup through the same interface as the embedded stores (real-server tier):
dump, wipe, restore gives back every record, and a restore that fails leaves the store as it was.
No S3 here: the store side alone (test_backup_restore.py covers the bucket)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest

from kcp.backup import BackupError
from kcp.backup.records import mismatched_records
from kcp.backup.servers import MongoBackup, Neo4jBackup, PostgresBackup

if TYPE_CHECKING:
    from pathlib import Path

    from kcp.backup.store import StoreBackup


def _quiet(_done: int, _total: int) -> None:
    return None


def _round_trip(store: StoreBackup, tmp_path: Path) -> None:
    before = store.fingerprint()
    assert sum(r.count for r in before.values()) > 0
    artifact = tmp_path / f"{store.name}{store.suffix}"
    store.dump(artifact, _quiet)
    store.check_artifact(artifact)
    store.wipe()
    assert not store.holds_data()
    store.restore(artifact, _quiet)
    assert mismatched_records(before, store.fingerprint()) == 0


def test_postgresql_round_trip_and_a_failed_restore_changes_nothing(postgres_url: str, tmp_path: Path) -> None:
    store = PostgresBackup(postgres_url, ["demo"])

    async def create() -> None:
        connection = await store.connect()
        try:
            await connection.execute("CREATE SCHEMA demo")
            await connection.execute("CREATE TABLE demo.alembic_version (version_num text PRIMARY KEY)")
            await connection.execute("INSERT INTO demo.alembic_version VALUES ('0002')")
            await connection.execute("CREATE TABLE demo.tickets (id text PRIMARY KEY, subject text, at timestamptz)")
            await connection.execute(
                "INSERT INTO demo.tickets SELECT 't' || n, 'subject ' || n, now() FROM generate_series(1, 500) n"
            )
        finally:
            await connection.close()

    asyncio.run(create())
    assert store.migration_heads() == {"demo": "0002"}
    _round_trip(store, tmp_path)
    before = store.fingerprint()
    truncated = tmp_path / "truncated.pgdump"
    truncated.write_bytes((tmp_path / "postgresql.pgdump").read_bytes()[:-200])
    with pytest.raises(BackupError, match="postgresql: "):
        store.restore(truncated, _quiet)
    assert mismatched_records(before, store.fingerprint()) == 0


def test_mongodb_round_trip(mongodb_uri: str, tmp_path: Path) -> None:
    from pymongo import MongoClient  # noqa: PLC0415

    database = MongoClient(mongodb_uri).get_default_database().name
    with MongoClient(mongodb_uri) as client:
        client[database]["items"].insert_many([{"_id": f"i{n}", "n": n, "tags": ["a", str(n)]} for n in range(300)])
        client[database]["items"].create_index("n")
        client[database]["revisions"].insert_many([{"_id": n, "item": f"i{n % 7}"} for n in range(50)])
    _round_trip(MongoBackup(mongodb_uri, [database]), tmp_path)


def test_neo4j_round_trip(neo4j_server: dict[str, str], tmp_path: Path) -> None:
    store = Neo4jBackup(neo4j_server["uri"], neo4j_server["user"], neo4j_server["password"])
    with store.driver() as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n")
        driver.execute_query(
            "UNWIND range(1, 200) AS n CREATE (:Product {id: 'p' + toString(n), rank: n})-[:HAS_FEATURE {since: n}]->"
            "(:Feature {id: 'f' + toString(n), tags: ['x', toString(n)]})"
        )
    try:
        _round_trip(store, tmp_path)
    finally:
        store.wipe()


def test_neo4j_large_restores_go_in_batches_and_a_failure_puts_the_graph_back(
    neo4j_server: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gzip  # noqa: PLC0415
    import json  # noqa: PLC0415

    monkeypatch.setattr(Neo4jBackup, "_SINGLE_TRANSACTION_RECORDS", 10)  # every graph here is "large"
    store = Neo4jBackup(neo4j_server["uri"], neo4j_server["user"], neo4j_server["password"])
    with store.driver() as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n")
        driver.execute_query(
            "UNWIND range(1, 300) AS n CREATE (:Product {id: 'p' + toString(n)})-[:HAS_FEATURE]->"
            "(:Feature {id: 'f' + toString(n)})"
        )
    try:
        _round_trip(store, tmp_path)
        live = store.fingerprint()
        broken = tmp_path / "broken.jsonl.gz"
        with gzip.open(tmp_path / "neo4j.jsonl.gz", "rt") as source, gzip.open(broken, "wt") as target:
            target.writelines(source)
            # A property Neo4j cannot store (a map), on a label loaded after the others went in.
            target.write(json.dumps({"node": {"id": "bad", "labels": ["Zed"], "props": {"m": {"k": 1}}}}) + "\n")
        with pytest.raises(BackupError, match="neo4j: "):
            store.restore(broken, _quiet)
        assert mismatched_records(live, store.fingerprint()) == 0
    finally:
        store.wipe()

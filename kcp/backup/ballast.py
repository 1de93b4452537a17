"""Generated records for the large restore drill: the demo data times N, in every store.

Each store receives ``count`` records of about 100 bytes in a table (or collection, or node
label) of its own, ``drill_ballast``, written the way the store loads data fastest. They are real
records to the backup and the restore — dumped, uploaded, checksummed and compared like any
other — and exist only in the drill's scratch stores.
"""

from __future__ import annotations

import asyncio
import csv
import random
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kcp.backup.embedded import EmbeddedGraphBackup, SqliteFileBackup
from kcp.backup.servers import MongoBackup, Neo4jBackup, PostgresBackup

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from kcp.backup.store import StoreBackup

TABLE = "drill_ballast"
_BATCH = 5000
_WORDS = [
    "soundcore",
    "earbuds",
    "firmware",
    "pairing",
    "bluetooth",
    "battery",
    "charging",
    "case",
    "noise",
    "cancelling",
    "transparency",
    "equaliser",
    "app",
    "update",
    "reset",
    "volume",
    "microphone",
    "call",
    "latency",
    "codec",
    "ldac",
    "multipoint",
    "warranty",
]


def _records(count: int, seed: str) -> Iterator[tuple[str, int, str]]:
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    for number in range(count):
        text = " ".join(rng.choice(_WORDS) for _ in range(12))
        yield f"{seed}-{number:08d}", number, text


def _batches(count: int, seed: str) -> Iterator[list[tuple[str, int, str]]]:
    batch: list[tuple[str, int, str]] = []
    for record in _records(count, seed):
        batch.append(record)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def add_ballast(store: StoreBackup, count: int, progress: Callable[[int, int], None]) -> None:
    """Add ``count`` generated records to ``store``."""
    if count <= 0:
        return
    if isinstance(store, SqliteFileBackup):
        _sqlite(store, count, progress)
    elif isinstance(store, EmbeddedGraphBackup):
        _ladybug(store, count, progress)
    elif isinstance(store, PostgresBackup):
        asyncio.run(_postgres(store, count, progress))
    elif isinstance(store, MongoBackup):
        _mongo(store, count, progress)
    elif isinstance(store, Neo4jBackup):
        _neo4j(store, count, progress)


def _sqlite(store: SqliteFileBackup, count: int, progress: Callable[[int, int], None]) -> None:
    import sqlite3  # noqa: PLC0415

    connection = sqlite3.connect(store.path)
    try:
        connection.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (id TEXT PRIMARY KEY, n INTEGER, body TEXT)")
        done = 0
        for batch in _batches(count, store.name):
            connection.executemany(f"INSERT INTO {TABLE} VALUES (?, ?, ?)", batch)  # noqa: S608 - a constant
            connection.commit()
            done += len(batch)
            progress(done, count)
    finally:
        connection.close()


def _ladybug(store: EmbeddedGraphBackup, count: int, progress: Callable[[int, int], None]) -> None:
    # COPY FROM a CSV file: ladybug inserts row by row at ~1 ms a node, in bulk at a fraction of it.
    with tempfile.TemporaryDirectory(prefix="kcp-ballast-") as scratch:
        path = Path(scratch) / "ballast.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(_records(count, store.name))
        progress(count // 2, count)
        with store.connect() as connection:
            connection.execute(
                "CREATE NODE TABLE IF NOT EXISTS DrillBallast(id STRING, n INT64, body STRING, PRIMARY KEY(id))"
            )
            connection.execute(f"COPY DrillBallast FROM '{path}' (header=false)")
    progress(count, count)


async def _postgres(store: PostgresBackup, count: int, progress: Callable[[int, int], None]) -> None:
    connection = await store.connect()
    try:
        table = f'"{store.schemas[0]}".{TABLE}'
        await connection.execute(f"CREATE TABLE IF NOT EXISTS {table} (id text PRIMARY KEY, n integer, body text)")
        done = 0
        for batch in _batches(count, store.name):
            await connection.copy_records_to_table(TABLE, schema_name=store.schemas[0], records=batch)
            done += len(batch)
            progress(done, count)
    finally:
        await connection.close()


def _mongo(store: MongoBackup, count: int, progress: Callable[[int, int], None]) -> None:
    with store.client() as client:
        collection: Any = client[store.databases[0]][TABLE]
        done = 0
        for batch in _batches(count, store.name):
            collection.insert_many([{"_id": i, "n": n, "body": body} for i, n, body in batch], ordered=False)
            done += len(batch)
            progress(done, count)


def _neo4j(store: Neo4jBackup, count: int, progress: Callable[[int, int], None]) -> None:
    with store.driver() as driver:
        done = 0
        for batch in _batches(count, store.name):
            rows = [{"id": i, "n": n, "body": body} for i, n, body in batch]
            driver.execute_query("UNWIND $rows AS row CREATE (b:DrillBallast) SET b = row", rows=rows)
            done += len(batch)
            progress(done, count)

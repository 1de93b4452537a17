"""`kcp seed` loads every store and a second run changes nothing."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def seed(data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "commands", "seed"],
        env={**os.environ, "KCP_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )


def fingerprint(data_dir: Path) -> dict[str, tuple[int, str]]:
    """Row count and a digest of every row, per table of every SQLite store."""
    tables: dict[str, tuple[int, str]] = {}
    for database in sorted(data_dir.glob("*/*.sqlite3")):
        with sqlite3.connect(database) as connection:
            names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for name in names:
                rows = connection.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall()  # noqa: S608 - our table names
                digest = hashlib.sha256(repr(rows).encode()).hexdigest()
                tables[f"{database.parent.name}.{name}"] = (len(rows), digest)
    return tables


def test_seed_fills_every_store_and_is_idempotent(tmp_path: Path) -> None:
    first = seed(tmp_path)
    assert "Seeded auth, knowledge, content, support, analytics" in first.stdout
    before = fingerprint(tmp_path)
    counts = {table: count for table, (count, _) in before.items()}
    assert counts["auth.users"] >= 6
    assert counts["knowledge.products"] >= 40
    assert counts["knowledge.articles"] >= 300
    assert counts["knowledge.known_issues"] >= 150
    assert counts["support.tickets"] >= 500
    assert counts["analytics.events"] >= 10_000

    seed(tmp_path)
    assert fingerprint(tmp_path) == before


def test_seed_rejects_an_unknown_subgraph(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "commands", "seed", "--only", "billing"],
        env={**os.environ, "KCP_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "unknown subgraph(s) billing" in result.stderr

"""`kcp seed` on PostgreSQL: every relational subgraph's rows land in its own schema, and a second
run changes nothing."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.e2e

TABLES = ("auth.users", "knowledge.products", "knowledge.articles", "support.tickets", "analytics.events")
RELATIONAL_SERVICES = ("auth", "knowledge", "support", "analytics")


async def row_counts(url: str) -> dict[str, int]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            counts = {}
            for table in TABLES:  # our own constant names, not input
                counts[table] = int(await connection.scalar(text(f"SELECT count(*) FROM {table}")) or 0)  # noqa: S608
            return counts
    finally:
        await engine.dispose()


def seed(url: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "commands", "seed"],
        env={**os.environ, "DATABASE_URL": url, "KCP_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_seed_fills_each_service_schema_once(postgres_url: str, tmp_path: Path) -> None:
    first = seed(postgres_url, tmp_path)
    assert first.returncode == 0, first.stderr
    counts = asyncio.run(row_counts(postgres_url))
    assert all(count > 0 for count in counts.values()), counts
    relational_files = [tmp_path / service / f"{service}.sqlite3" for service in RELATIONAL_SERVICES]
    assert not [path for path in relational_files if path.exists()], "the relational data belongs in PostgreSQL"

    again = seed(postgres_url, tmp_path)
    assert again.returncode == 0, again.stderr
    assert asyncio.run(row_counts(postgres_url)) == counts

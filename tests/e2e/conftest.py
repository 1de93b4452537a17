"""Start the real platform: seed a fresh data folder, run every process on free loopback ports."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import pytest
from launching import LAUNCHED, launch
from log_secrets import known_secrets, leaks

import demo

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from commands.launcher import Platform


@pytest.fixture(scope="session", autouse=True)
def no_secret_in_any_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """After the whole end-to-end suite: no log line of any process it started holds a secret —
    the demo password, an access or refresh token, an API key, KCP_IDENTITY_SECRET, a store
    password (tests/log_secrets.py). Every log file under the session's temporary folder is read,
    the platforms' and the single services' alike."""
    yield
    environments = [process.environment for platform in LAUNCHED for process in platform.processes.values()]
    files = sorted(tmp_path_factory.getbasetemp().rglob("*.log"))
    assert files or not LAUNCHED, "platforms ran but no log file was found: the scan would prove nothing"
    found = leaks(files, known_secrets(environments, demo.generate().demo_password))
    assert not found, f"secrets in log lines ({len(files)} log files read):\n" + "\n".join(found[:20])


@pytest.fixture(scope="session")
def real_stores() -> Iterator[None]:
    """With ``KCP_TEST_E2E_ON_REAL_STORES=1``, every process of these tests runs on the four real
    servers of ``scripts/services`` (their ``KCP_TEST_*`` URLs): a fresh PostgreSQL database and
    MongoDB database, an emptied Neo4j and a flushed Redis database, for the whole session.
    """
    if os.environ.get("KCP_TEST_E2E_ON_REAL_STORES") != "1":
        yield
        return
    from neo4j import GraphDatabase  # noqa: PLC0415 - only this mode needs the drivers
    from redis import Redis  # noqa: PLC0415
    from sqlalchemy.engine import make_url  # noqa: PLC0415

    name = f"kcp_e2e_{uuid.uuid4().hex[:12]}"
    postgres = os.environ["KCP_TEST_DATABASE_URL"]
    admin = make_url(postgres).set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    _on_postgres(admin, f'CREATE DATABASE "{name}"')
    mongo = urlsplit(os.environ["KCP_TEST_MONGODB_URI"])
    neo4j = os.environ["KCP_TEST_NEO4J_URI"]
    auth = (os.environ.get("KCP_TEST_NEO4J_USER", "neo4j"), os.environ.get("KCP_TEST_NEO4J_PASSWORD", ""))
    with GraphDatabase.driver(neo4j, auth=auth) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n")
    redis_url = os.environ["KCP_TEST_REDIS_URL"].rsplit("/", 1)[0] + "/1"
    with Redis.from_url(redis_url) as redis:
        redis.flushdb()
    stores = {
        "DATABASE_URL": make_url(postgres).set(database=name).render_as_string(hide_password=False),
        "MONGODB_URI": urlunsplit((mongo.scheme, mongo.netloc, f"/{name}", mongo.query, mongo.fragment)),
        "NEO4J_URI": neo4j,
        "NEO4J_USER": auth[0],
        "NEO4J_PASSWORD": auth[1],
        "REDIS_URL": redis_url,
    }
    saved = {key: os.environ.get(key) for key in stores}
    os.environ.update(stores)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        _on_postgres(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _on_postgres(url: str, statement: str) -> None:
    import asyncpg  # noqa: PLC0415 - only the real-store mode needs the driver

    async def run() -> None:
        connection = await asyncpg.connect(url, timeout=10)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())


@pytest.fixture(scope="session")
def seeded_data_dir(tmp_path_factory: pytest.TempPathFactory, real_stores: None) -> Path:  # noqa: ARG001 - order
    data_dir = tmp_path_factory.mktemp("kcp-data")
    subprocess.run(
        [sys.executable, "-m", "commands", "seed"],
        env={**os.environ, "KCP_DATA_DIR": str(data_dir)},
        check=True,
        capture_output=True,
        timeout=300,
    )
    return data_dir


@pytest.fixture(scope="module")
def platform(seeded_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    running = launch(seeded_data_dir, tmp_path_factory.mktemp("logs"))
    try:
        yield running
    finally:
        running.stop()

"""Bad configuration: one line naming the variable or the store, a non-zero exit or a failing /ready."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import httpx
import pytest

from kcp.settings import ConfigurationError, Settings, load_settings

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("DATABASE_URL", "not-a-url", "DATABASE_URL has no scheme"),
        ("DATABASE_URL", "mysql://user:hunter2@db/kcp", "DATABASE_URL has scheme 'mysql'"),
        ("DATABASE_URL", "postgresql://user:hunter2@db:54x2/kcp", "DATABASE_URL is not a valid URL"),
        ("MONGODB_URI", "http://mongo:27017", "MONGODB_URI has scheme 'http'"),
        ("REDIS_URL", "redis:///0", "REDIS_URL names no host"),
        ("NEO4J_URI", "neo4j//graph", "NEO4J_URI has no scheme"),
        ("POOL_SIZE", "many", "POOL_SIZE: Input should be a valid integer"),
        ("KCP_PRODUCTION", "true", "KCP_IDENTITY_SECRET is required when KCP_PRODUCTION=true"),
    ],
)
def test_a_bad_variable_is_named_without_its_value(monkeypatch, variable: str, value: str, named: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError) as raised:
        load_settings()
    message = str(raised.value)
    assert named in message
    assert "hunter2" not in message
    assert "\n" not in message


def test_good_store_urls_and_empty_ones_are_accepted(monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://kcp:secret@postgres:5432/kcp")
    monkeypatch.setenv("MONGODB_URI", "mongodb://mongo-0.mongo:27017,mongo-1.mongo:27017/kcp?replicaSet=rs0")
    monkeypatch.setenv("REDIS_URL", "")
    monkeypatch.setenv("NEO4J_URI", "bolt://neo4j:7687")
    settings = load_settings()
    assert settings.redis_url is None
    assert settings.mongodb_uri is not None


def test_the_command_exits_non_zero_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "KCP_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgres//nohost"}
    result = subprocess.run(
        [sys.executable, "-m", "commands", "serve", "auth", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    expected = (
        "kcp serve: invalid configuration: DATABASE_URL has no scheme; expected one of postgres, postgresql, "
        "postgresql+asyncpg, e.g. postgresql://user:password@host:5432/database"
    )
    assert result.stderr.strip().splitlines() == [expected]


@pytest.mark.asyncio
async def test_an_unreachable_store_at_start_fails_ready_naming_the_store(tmp_path: Path) -> None:
    from subgraphs.auth.app import create_app  # noqa: PLC0415

    settings = Settings(kcp_data_dir=tmp_path, database_url="postgresql://kcp:kcp@127.0.0.1:9/kcp")
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://auth") as http,
    ):
        health = await http.get("/health")
        ready = await http.get("/ready")
    assert health.status_code == 200
    assert ready.status_code == 503
    assert list(ready.json()["failures"]) == ["relational"]


@pytest.mark.asyncio
async def test_an_unreachable_graph_server_at_start_fails_ready_instead_of_the_start(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr("kcp.stores.graph_neo4j._RETRY_TIME_S", 0.2)
    from subgraphs.knowledge.app import create_app  # noqa: PLC0415

    settings = Settings(kcp_data_dir=tmp_path, neo4j_uri="bolt://127.0.0.1:9", neo4j_password="x")  # noqa: S106 - no server
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://knowledge") as http,
    ):
        ready = await http.get("/ready")
    assert ready.status_code == 503
    assert list(ready.json()["failures"]) == ["graph"]

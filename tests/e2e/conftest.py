"""Start the real platform: seed a fresh data folder, run every process on free loopback ports."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from kcp.launcher import Platform, start_platform
from kcp.settings import SUBGRAPHS

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def seeded_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("kcp-data")
    subprocess.run(
        [sys.executable, "-m", "kcp", "seed"],
        env={**os.environ, "KCP_DATA_DIR": str(data_dir)},
        check=True,
        capture_output=True,
        timeout=300,
    )
    return data_dir


def launch(data_dir: Path, log_dir: Path) -> Platform:
    ports = {name: free_port() for name in (*SUBGRAPHS, "router")}
    return start_platform(
        ports=ports,
        environment={"KCP_DATA_DIR": str(data_dir)},
        log_dir=log_dir,
        supergraph_out=log_dir / "supergraph.graphql",
    )


@pytest.fixture(scope="module")
def platform(seeded_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    running = launch(seeded_data_dir, tmp_path_factory.mktemp("logs"))
    try:
        yield running
    finally:
        running.stop()

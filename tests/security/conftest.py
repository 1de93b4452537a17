"""The platform for the security cases: seeded once, one platform per test module, driven over HTTP
at the router; after the session no log line of any of its processes may hold a secret."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from log_secrets import known_secrets, leaks

import demo
from commands.launcher import start_platform_on_free_ports

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from commands.launcher import Platform

LAUNCHED: list[Platform] = []


@pytest.fixture(scope="session")
def seeded_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("kcp-security-data")
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
    # The injection case sends a few thousand requests as one admin within minutes.
    environment = {"KCP_DATA_DIR": str(seeded_data_dir), "RATE_LIMIT_PER_MINUTE": "100000"}
    running = start_platform_on_free_ports(environment=environment, log_dir=tmp_path_factory.mktemp("logs"))
    LAUNCHED.append(running)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session", autouse=True)
def no_secret_in_any_log() -> Iterator[None]:
    """After every security case has run: the logs of every process they started hold no secret."""
    yield
    files = [p.log_path for platform in LAUNCHED for p in platform.processes.values() if p.log_path is not None]
    environments = [p.environment for platform in LAUNCHED for p in platform.processes.values()]
    existing = [path for path in files if path.exists()]
    assert existing or not LAUNCHED, "platforms ran but wrote no log: the scan would prove nothing"
    found = leaks(existing, known_secrets(environments, demo.generate().demo_password))
    assert not found, "secrets in log lines:\n" + "\n".join(found[:20])

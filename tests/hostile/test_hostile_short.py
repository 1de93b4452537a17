"""A short fixed-seed hostile run against every process (``bench.hostile``; the long one is ``make hostile``).

Each process gets the whole catalogue of hostile families and operations fuzzed from its own
schema (seed 7), with slow clients trickling headers meanwhile: no 5xx, no answer that is not a
JSON object, no timeout, and every process still alive. Memory is the long run's figure.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from bench.hostile.run import attack
from commands.launcher import start_platform_on_free_ports
from commands.subgraphs import SUBGRAPHS

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from commands.launcher import Platform

pytestmark = pytest.mark.e2e
SECONDS_PER_PROCESS = 6.0


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    data: Path = tmp_path_factory.mktemp("hostile-data")
    environment = {"KCP_DATA_DIR": str(data), "RATE_LIMIT_PER_MINUTE": "10000000"}
    seed = [sys.executable, "-m", "commands", "seed"]
    subprocess.run(seed, env={**os.environ, **environment}, check=True, capture_output=True, timeout=300)
    running = start_platform_on_free_ports(environment=environment, log_dir=tmp_path_factory.mktemp("hostile-logs"))
    try:
        yield running
    finally:
        running.stop()


@pytest.mark.parametrize("process", ["router", *SUBGRAPHS])
def test_hostile_input_gets_only_coded_json_answers(platform: Platform, process: str) -> None:
    url = platform.router_url if process == "router" else platform.url(process) + "/graphql"
    pid = platform.processes[process].process.pid

    tally = asyncio.run(attack(process, url, pid, seconds=SECONDS_PER_PROCESS, seed=7))

    assert tally.requests > 0
    assert (tally.server_errors, tally.non_json, tally.timeouts) == (0, 0, 0), tally
    assert platform.exited() == []

"""`kcp dev` as a newcomer runs it: everything comes up on the guide's ports, one Ctrl-C stops all."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from single_service import eventually

from kcp.settings import ROUTER_PORT, SUBGRAPH_PORTS

pytestmark = pytest.mark.e2e
PORTS = [*SUBGRAPH_PORTS.values(), ROUTER_PORT]


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def collect(process: subprocess.Popen[str], lines: list[str]) -> None:
    """Append each line of the process's output to ``lines`` as it arrives."""
    assert process.stdout is not None
    lines.extend(process.stdout)  # appends line by line, so a reader sees each as it arrives


def child_of(parent: int, subgraph: str) -> int:
    """The pid of ``kcp serve <subgraph>`` started by ``parent`` (read from /proc)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if int(fields[1]) == parent and b"serve" in command and subgraph.encode() in command:
            return int(stat.parent.name)
    msg = f"no child process serves {subgraph}"
    raise AssertionError(msg)


def indexing_child(parent: int) -> int:
    """The pid of ``kcp index`` started by ``parent``."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if int(fields[1]) == parent and command[-2:-1] == [b"index"]:
            return int(stat.parent.name)
    msg = "kcp dev started no `kcp index`"
    raise AssertionError(msg)


def test_dev_serves_graphiql_survives_a_dead_subgraph_and_one_interrupt_stops_all(
    seeded_data_dir: Path, tmp_path: Path
) -> None:
    busy = [port for port in PORTS if listening(port)]
    if busy:
        pytest.skip(f"ports {busy} are in use (is `make dev` running?); this test needs the guide's ports")
    dev = subprocess.Popen(
        [sys.executable, "-m", "commands", "dev", "--no-seed", "--no-web"],  # the web app: make web-test
        env={**os.environ, "KCP_DATA_DIR": str(seeded_data_dir)},
        cwd=tmp_path,  # the router writes schema/supergraph.graphql under the working directory
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    # Its output is read as it comes, so the test can wait for what `kcp dev` says.
    lines: list[str] = []
    reader = threading.Thread(target=collect, args=(dev, lines), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 90
        while not listening(ROUTER_PORT) or httpx.get(f"http://127.0.0.1:{ROUTER_PORT}/ready").status_code != 200:
            assert dev.poll() is None, "".join(lines)
            assert time.monotonic() < deadline, "kcp dev did not bring the router up in time"
            time.sleep(0.3)
        # The retrieval index builds beside the platform (minutes); meanwhile search says it used keywords.
        assert eventually(lambda: any("Building the retrieval index" in line for line in lines)), "".join(lines)
        indexer = indexing_child(dev.pid)
        search = httpx.post(
            f"http://127.0.0.1:{ROUTER_PORT}/graphql",
            json={"query": '{ search(query: "firmware update", first: 1) { totalCount } }'},
        ).json()
        assert search["data"]["search"]["totalCount"] > 0
        assert search["extensions"]["retrieval"]["degraded"] == "KEYWORD_ONLY:NOT_INDEXED"
        page = httpx.get(f"http://127.0.0.1:{ROUTER_PORT}/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 200
        assert "graphiql" in page.text.lower()
        assert all(listening(port) for port in PORTS)

        # One subgraph dies: kcp dev says so and keeps the rest up, and the router answers
        # without it.
        os.kill(child_of(dev.pid, "support"), signal.SIGKILL)
        assert eventually(lambda: any("support exited" in line for line in lines)), "".join(lines)
        assert dev.poll() is None
        answer = httpx.post(
            f"http://127.0.0.1:{ROUTER_PORT}/graphql",
            json={"query": '{ productBySlug(slug: "liberty-4-nc") { name tickets(first: 1) { id } } }'},
        ).json()
        assert answer["data"] == {"productBySlug": {"name": "Liberty 4 NC", "tickets": None}}
        assert answer["errors"][0]["extensions"]["serviceName"] == "support"
    finally:
        os.killpg(dev.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends: the whole process group
        dev.wait(timeout=60)
        reader.join(timeout=10)
    output = "".join(lines)
    assert dev.returncode == 0, output
    assert "GraphiQL:  http://127.0.0.1:4000/graphql" in output
    assert "support exited with code -9" in output
    assert "the others keep running" in output
    assert not Path(f"/proc/{indexer}").exists(), "kcp dev left `kcp index` running"
    assert not [port for port in PORTS if listening(port)]
    # Composed live on the guide's ports, it is byte for byte the committed file: `make dev` leaves
    # the working tree clean.
    committed = Path(__file__).resolve().parents[2] / "schema" / "supergraph.graphql"
    assert (tmp_path / "schema" / "supergraph.graphql").read_text() == committed.read_text()

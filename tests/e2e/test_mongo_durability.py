"""The content subgraph on a MongoDB-wire server: no acknowledged write lost to a SIGKILL, and a
store that is down makes ``/ready`` name it while ``/health`` stays up.

Runs when ``KCP_TEST_MONGODB_URI`` names a server (``scripts/services up mongo``); the test writes
to a database of its own there (the ``mongodb_uri`` fixture).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from kcp.identity import Caller, CallerKind
from kcp.identity.signed_headers import identity_headers
from kcp.ports import free_port

pytestmark = pytest.mark.e2e

CREATE = """mutation($input: CreateContentItemInput!) { createContentItem(input: $input) { id } }"""
WORKERS = 8
ACKNOWLEDGED_BEFORE_KILL = 60
BURST_DEADLINE_S = 120
SECRET = "durability-test-identity-secret"  # noqa: S105 - a test fixture, not a credential
EDITOR = Caller(
    kind=CallerKind.USER, subject="u-editor", role="editor", scopes=frozenset({"content:read", "content:write"})
)


class ContentProcess:
    """``kcp serve content`` on a free port, with its own data folder and MongoDB database."""

    def __init__(self, mongodb_uri: str, data_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {
            **os.environ,
            "KCP_DATA_DIR": str(data_dir),
            "MONGODB_URI": mongodb_uri,
            "KCP_IDENTITY_SECRET": SECRET,
        }
        self.log = (data_dir / f"content-{self.port}.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "commands", "serve", "content", "--port", str(self.port)],
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_for(self, path: str, status: int, timeout: float = 90) -> httpx.Response:
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"content exited with {self.process.returncode}"
            try:
                response = httpx.get(self.url + path, timeout=10)
                if response.status_code == status:
                    return response
                last = f"{response.status_code} {response.text[:200]}"
            except httpx.HTTPError as error:
                last = type(error).__name__
            time.sleep(0.2)
        pytest.fail(f"{path} never answered {status} (last: {last})")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.log.close()


def burst(url: str, acknowledged: list[str], enough: threading.Event, stop: threading.Event) -> None:
    """Create items (as an editor) until told to stop; record every id the service acknowledged."""
    with httpx.Client(timeout=30) as client:
        n = 0
        deadline = time.monotonic() + BURST_DEADLINE_S
        while not stop.is_set() and time.monotonic() < deadline:
            n += 1
            variables = {
                "input": {
                    "productId": "p-durability",
                    "kind": "SOCIAL_POST",
                    "title": f"burst {threading.get_ident()} {n}",
                    "locale": "en",
                    "body": "Acknowledged means stored.",
                }
            }
            try:
                # Signed anew per request: the identity headers expire after a minute.
                headers = identity_headers(EDITOR, SECRET)
                response = client.post(url, json={"query": CREATE, "variables": variables}, headers=headers)
            except httpx.HTTPError:
                return  # the process is gone
            data = response.json().get("data") if response.status_code == 200 else None
            if data and data.get("createContentItem"):
                acknowledged.append(data["createContentItem"]["id"])
                if len(acknowledged) >= ACKNOWLEDGED_BEFORE_KILL:
                    enough.set()


def read_back(url: str, ids: list[str]) -> set[str]:
    """The ids among these that the service can read, 20 per request (aliases; a subgraph refuses
    more root fields than twice the router's limit, kcp.edge.gate)."""
    found: set[str] = set()
    for start in range(0, len(ids), 20):
        chunk = ids[start : start + 20]
        fields = " ".join(f'i{n}: contentItem(id: "{item_id}") {{ id }}' for n, item_id in enumerate(chunk))
        # Drafts are visible with content:read only: read back as the editor who wrote them.
        query = {"query": f"{{ {fields} }}"}
        response = httpx.post(url, json=query, headers=identity_headers(EDITOR, SECRET), timeout=30)
        assert response.status_code == 200, response.text
        found.update(item["id"] for item in response.json()["data"].values() if item)
    return found


def test_no_acknowledged_write_is_lost_to_sigkill(mongodb_uri: str, tmp_path: Path) -> None:
    first = ContentProcess(mongodb_uri, tmp_path)
    acknowledged: list[str] = []
    try:
        first.wait_for("/ready", 200)
        enough, stop = threading.Event(), threading.Event()
        with ThreadPoolExecutor(WORKERS) as pool:
            for _ in range(WORKERS):
                pool.submit(burst, first.url + "/graphql", acknowledged, enough, stop)
            try:
                assert enough.wait(BURST_DEADLINE_S), f"only {len(acknowledged)} writes acknowledged in time"
                first.process.send_signal(signal.SIGKILL)  # mid-burst: requests are in flight
                first.process.wait(10)
            finally:
                stop.set()  # the writers end whatever happened, so the pool can be joined
    finally:
        first.stop()

    second = ContentProcess(mongodb_uri, tmp_path)
    try:
        second.wait_for("/ready", 200)
        found = read_back(second.url + "/graphql", acknowledged)
    finally:
        second.stop()
    assert first.process.returncode == -signal.SIGKILL
    assert len(acknowledged) >= ACKNOWLEDGED_BEFORE_KILL
    assert set(acknowledged) - found == set()


def ferretdb_binary() -> Path:
    binary = Path(os.environ.get("KCP_SERVICES_DIR", "/tmp/kcp-services")) / "mongo" / "bin" / "kcp-ferretdb"  # noqa: S108 - scripts/services' default
    if not binary.is_file():
        pytest.skip(f"real server: no FerretDB build at {binary}; run `scripts/services up mongo` once")
    return binary


def test_ready_names_the_document_store_while_it_is_down_and_recovers(tmp_path: Path) -> None:
    binary = ferretdb_binary()
    port = free_port()
    content = ContentProcess(f"mongodb://127.0.0.1:{port}/kcp_down_{uuid.uuid4().hex[:8]}", tmp_path)
    server: subprocess.Popen[bytes] | None = None
    try:
        down = content.wait_for("/ready", 503)
        assert "documents" in down.json()["failures"]
        assert httpx.get(content.url + "/health", timeout=10).status_code == 200

        server = subprocess.Popen(
            [str(binary), "serve", "-listen", f"127.0.0.1:{port}", "-sqlite-dir", str(tmp_path / "ferretdb")],
            stdout=subprocess.DEVNULL,
        )
        assert content.wait_for("/ready", 200).json()["status"] == "ready"
        query = "{ contentItems(first: 1) { totalCount } }"
        response = httpx.post(content.url + "/graphql", json={"query": query}, timeout=30)
        assert response.json() == {"data": {"contentItems": {"totalCount": 0}}}
    finally:
        content.stop()
        if server is not None:
            server.terminate()
            server.wait(15)

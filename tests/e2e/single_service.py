"""Run one subgraph as its own process (``python -m commands serve``) on a free port, and stand-ins
for the network between it and its store. Shared by the real-store end-to-end tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx

from kcp.identity import Caller, CallerKind
from kcp.identity.signed_headers import identity_headers
from kcp.ports import free_port

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path


# Every service started here trusts identities signed with this secret, and the tests act as a
# support agent and editor: reads and writes of tickets and content need those scopes.
SECRET = "single-service-test-secret"  # noqa: S105 - a test fixture, not a credential
STAFF = Caller(
    kind=CallerKind.USER,
    subject="usr-test-staff",
    role="support_agent",
    scopes=frozenset({"support:read", "support:write", "content:read", "content:write"}),
)


def as_staff() -> dict[str, str]:
    """Identity headers of the test's staff member (signed anew: they expire after a minute)."""
    return identity_headers(STAFF, SECRET)


def eventually(condition: Callable[[], bool], attempts: int = 300, pause: float = 0.1) -> bool:
    """Poll ``condition`` until it holds; False if it never did (bounded: attempts x pause)."""
    for _ in range(attempts):
        if condition():
            return True
        time.sleep(pause)
    return False


@dataclass
class ServiceProcess:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def status(self, path: str) -> int | None:
        try:
            return httpx.get(self.url + path, timeout=5).status_code
        except httpx.HTTPError:
            return None

    def graphql(self, query: str, variables: Mapping[str, object] | None = None) -> dict[str, object]:
        body = {"query": query, "variables": variables or {}}
        response = httpx.post(self.url + "/graphql", json=body, headers=as_staff(), timeout=30)
        response.raise_for_status()
        answer: dict[str, object] = response.json()
        return answer

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def start_service(name: str, environment: Mapping[str, str], log_path: Path) -> ServiceProcess:
    """Start ``kcp serve name`` and wait until it answers /health (not /ready: that is the tests' business)."""
    port = free_port()
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "commands", "serve", name, "--port", str(port)],
            env={**os.environ, "KCP_IDENTITY_SECRET": SECRET, **environment},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    service = ServiceProcess(name, port, process, log_path)
    if not eventually(lambda: service.status("/health") == 200 or process.poll() is not None):
        service.stop()
        raise AssertionError(f"{name} did not answer /health:\n{service.log()}")
    if process.poll() is not None:
        raise AssertionError(f"{name} exited with {process.returncode}:\n{service.log()}")
    return service


@dataclass
class TcpRelay:
    """A port that forwards to ``target`` while open, and refuses connections while closed.

    Stands between a service and its database, so a test can take the database away (and
    drop every open connection, as a crashed server would) and give it back, without owning
    the server.
    """

    target: tuple[str, int]
    port: int = field(default_factory=free_port)
    _listener: socket.socket | None = None
    _connections: list[socket.socket] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def open(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def close(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._connections += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)

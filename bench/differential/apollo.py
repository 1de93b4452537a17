"""Apollo Gateway over the running subgraphs, as a child process (``gateway/gateway.mjs``)."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING

import httpx

from kcp.ports import free_port

if TYPE_CHECKING:
    from collections.abc import Mapping

GATEWAY = Path(__file__).parent / "gateway"
READY_SECONDS = 60.0


class GatewayUnavailableError(RuntimeError):
    """Node or the gateway's npm packages are missing; the message says how to install them."""


def missing() -> str | None:
    """Why Apollo Gateway cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not on PATH"
    if not (GATEWAY / "node_modules" / "@apollo" / "gateway").is_dir():
        return f"Apollo Gateway is not installed (`npm ci --prefix {GATEWAY}`, or `make differential`)"
    return None


class ApolloGateway:
    """Apollo Gateway composed from ``subgraphs`` (name -> GraphQL URL), on a free loopback port."""

    def __init__(self, subgraphs: Mapping[str, str], log: IO[bytes] | None = None) -> None:
        reason = missing()
        if reason is not None:
            raise GatewayUnavailableError(reason)
        self.port = free_port()
        node = shutil.which("node") or "node"
        arguments = [f"{name}={url}" for name, url in subgraphs.items()]
        self.process = subprocess.Popen(
            [node, str(GATEWAY / "gateway.mjs"), str(self.port), *arguments],
            stdout=log or subprocess.DEVNULL,
            stderr=log or subprocess.DEVNULL,
        )
        self._wait_ready()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                msg = f"Apollo Gateway exited with status {self.process.returncode} (composition failed?)"
                raise RuntimeError(msg)
            try:
                response = httpx.post(self.url, json={"query": "{ __typename }"}, timeout=2)
            except httpx.TransportError:
                time.sleep(0.2)
                continue
            if response.status_code == httpx.codes.OK:
                return
            time.sleep(0.2)
        self.stop()
        msg = f"Apollo Gateway did not answer within {READY_SECONDS:g} s"
        raise RuntimeError(msg)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

"""Router test harness: three tiny Strawberry subgraphs, loaded by file path, and the router app.

``tests/router`` has no ``__init__.py`` on purpose: as a package it would be named ``router`` and
shadow the real one. So the fixture subgraphs are loaded by path under unique module names.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import pytest_asyncio
import uvicorn
from strawberry.asgi import GraphQL

from kcp.ports import free_port
from kcp.settings import Settings
from router.app import create_app
from router.compose import compose

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from types import ModuleType

    from starlette.types import ASGIApp, Message, Receive, Scope, Send

FIXTURES = Path(__file__).parent / "fixtures"
SUBGRAPH_NAMES = ("products", "reviews", "users")


def load_fixture(name: str) -> ModuleType:
    """The fixture subgraph module ``fixtures/<name>.py``, imported once."""
    module_name = f"kcp_router_fixture_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, FIXTURES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def fixture_sdls(urls: dict[str, str] | None = None) -> dict[str, tuple[str, str]]:
    """``{name: (url, sdl)}`` of the fixture subgraphs, as composition takes them."""
    urls = urls or {name: f"http://{name}.test/graphql" for name in SUBGRAPH_NAMES}
    return {name: (urls[name], load_fixture(name).schema.as_str()) for name in SUBGRAPH_NAMES}


# --- running subgraphs and the router ---------------------------------------------------------


class Recorder:
    """ASGI wrapper that keeps every GraphQL request body a subgraph receives."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.bodies: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []

    def entity_requests(self) -> list[dict[str, Any]]:
        return [b for b in self.bodies if "_entities" in b.get("query", "")]

    def clear(self) -> None:
        self.bodies.clear()
        self.headers.clear()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chunks = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        with contextlib.suppress(ValueError):
            self.bodies.append(json.loads(body))
        self.headers.append({k.decode(): v.decode() for k, v in scope["headers"]})
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


@dataclass
class ServerThread:
    """A uvicorn server on a loopback port in a daemon thread."""

    app: ASGIApp
    port: int = field(default_factory=free_port)
    server: uvicorn.Server | None = None
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"

    def start(self) -> None:
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                msg = "subgraph server did not start"
                raise RuntimeError(msg)
            time.sleep(0.01)

    def stop(self) -> None:
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(timeout=10)


@dataclass
class Subgraphs:
    servers: dict[str, ServerThread]
    recorders: dict[str, Recorder]

    @property
    def urls(self) -> dict[str, str]:
        return {name: server.url for name, server in self.servers.items()}

    def clear(self) -> None:
        for recorder in self.recorders.values():
            recorder.clear()


@pytest.fixture(scope="session")
def subgraphs() -> Iterator[Subgraphs]:
    """The three fixture subgraphs served over real HTTP for the whole session."""
    recorders = {name: Recorder(GraphQL(load_fixture(name).schema)) for name in SUBGRAPH_NAMES}
    servers = {name: ServerThread(recorders[name]) for name in SUBGRAPH_NAMES}
    for server in servers.values():
        server.start()
    yield Subgraphs(servers, recorders)
    for server in servers.values():
        server.stop()


def settings(**overrides: Any) -> Settings:
    return Settings(kcp_subgraph_timeout_seconds=overrides.pop("timeout", 2.0), **overrides)


@contextlib.asynccontextmanager
async def router_client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the router app in-process, with its lifespan running."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        # Like every non-browser client, it sends a CSRF preflight header; tests of the CSRF
        # refusal remove it.
        headers = {"apollo-require-preflight": "true"}
        async with httpx.AsyncClient(transport=transport, base_url="http://router", headers=headers) as client:
            yield client


def write_supergraph(tmp_path: Path, urls: dict[str, str]) -> Path:
    path = tmp_path / "supergraph.graphql"
    path.write_text(compose(fixture_sdls(urls)), encoding="utf-8")
    return path


@pytest_asyncio.fixture
async def router(subgraphs: Subgraphs, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The router serving a supergraph file composed from the running fixture subgraphs."""
    subgraphs.clear()
    app = create_app(settings(), write_supergraph(tmp_path, subgraphs.urls))
    async with router_client(app) as client:
        yield client


async def wait_ready(client: httpx.AsyncClient, within_seconds: float = 10.0) -> None:
    deadline = time.monotonic() + within_seconds
    while (await client.get("/ready")).status_code != 200:
        if time.monotonic() > deadline:
            msg = "router did not become ready"
            raise AssertionError(msg)
        await asyncio.sleep(0.05)

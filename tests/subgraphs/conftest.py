"""Scaffolding every subgraph suite shares: settings, seed progress, an HTTP client, SQL counting.

The suites below are not packages (``tests/router`` would shadow the real ``router``), so what they
share is offered here as fixtures rather than imported.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from kcp.settings import Settings

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterator
    from pathlib import Path

    from starlette.applications import Starlette


class RecordingProgress:
    """A SeedProgress that remembers what it was told: the steps, and the units done overall and per step."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, int]] = []
        self.done = 0
        self.done_by_label: dict[str, int] = {}

    def start(self, label: str, total: int) -> None:
        self.steps.append((label, total))
        self.done_by_label[label] = 0

    def advance(self, units: int = 1) -> None:
        self.done += units
        self.done_by_label[self.steps[-1][0]] += units


class GraphQLClient:
    """A started app, ``http`` to talk to it, and ``gql`` to POST a GraphQL document to ``/graphql``."""

    def __init__(self, app: Starlette, http: httpx.AsyncClient) -> None:
        self.app = app
        self.http = http

    async def gql(
        self, query: str, variables: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> dict[str, Any]:
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers or {}
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@contextlib.asynccontextmanager
async def _serve(app: Starlette, base_url: str = "http://test") -> AsyncIterator[GraphQLClient]:
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=base_url) as http,
    ):
        yield GraphQLClient(app, http)


@contextlib.contextmanager
def _count_statements(
    where: Callable[[str, Any], bool] | None = None, *, engine: Any = Engine, selects_only: bool = False
) -> Iterator[list[str]]:
    """The SQL ``engine`` (by default every engine) runs inside the block, kept if ``where(statement, parameters)``."""
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        if selects_only and not statement.lstrip().upper().startswith("SELECT"):
            return
        if where is None or where(statement, parameters):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _error_codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(kcp_data_dir=tmp_path)


@pytest.fixture
def new_progress() -> Callable[[], RecordingProgress]:
    """Makes a fresh recording SeedProgress per call."""
    return RecordingProgress


@pytest.fixture
def progress() -> RecordingProgress:
    return RecordingProgress()


@pytest.fixture
def graphql_app() -> Callable[..., contextlib.AbstractAsyncContextManager[GraphQLClient]]:
    """``async with graphql_app(app, base_url=...) as client``: the app started, with a client for it."""
    return _serve


@pytest.fixture
def count_statements() -> Callable[..., contextlib.AbstractContextManager[list[str]]]:
    """``with count_statements(where, engine=..., selects_only=...) as seen``: the SQL run in the block."""
    return _count_statements


@pytest.fixture
def error_codes() -> Callable[[dict[str, Any]], list[str]]:
    """The ``extensions.code`` of every error in a GraphQL response body."""
    return _error_codes

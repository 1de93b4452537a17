"""Fixtures: an app seeded with the small dataset, in a data folder of its own per test."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio
from knowledge_support import SECRET, small_demo

from kcp.identity import Caller, CallerKind
from kcp.identity.signed_headers import identity_headers
from kcp.settings import Settings
from subgraphs.knowledge.app import create_app
from subgraphs.knowledge.seed import seed

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable
    from pathlib import Path

EDITOR_SCOPES = frozenset({"knowledge:read", "knowledge:write"})


class RecordedEvents:
    """An EventSink that keeps what the app emitted (analytics' emitter stands here in production)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, object]]] = []

    def emit(self, kind: str, **fields: Any) -> None:
        self.events.append((kind, fields))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(kcp_data_dir=tmp_path, kcp_identity_secret=SECRET)


@pytest.fixture
def as_user() -> Callable[..., dict[str, str]]:
    """``as_user("knowledge:read", subject="usr-1")``: signed headers that make a request come from that user."""

    def headers(*scopes: str, subject: str = "usr-editor", role: str = "editor") -> dict[str, str]:
        caller = Caller(kind=CallerKind.USER, subject=subject, role=role, scopes=frozenset(scopes))
        return identity_headers(caller, SECRET)

    return headers


@pytest.fixture
def editor(as_user) -> dict[str, str]:
    return as_user(*EDITOR_SCOPES)


@pytest.fixture
def events() -> RecordedEvents:
    return RecordedEvents()


@pytest.fixture
def serve(graphql_app, events: RecordedEvents):
    """``async with serve(settings) as api``: the knowledge app on ``settings``, started, with a client for it."""
    return lambda settings: graphql_app(create_app(settings, events=events), base_url="http://knowledge")


@pytest_asyncio.fixture
async def api(settings: Settings, new_progress, serve) -> AsyncIterator[Any]:
    await seed(settings, small_demo(), new_progress())
    async with serve(settings) as served:
        yield served

"""Fixtures of the support suites: settings with an identity secret, a seeded app, recorded events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio
from support_world import SECRET, RecordedEvents, demo_data

from kcp.settings import Settings
from subgraphs.support.app import create_app
from subgraphs.support.seed import seed

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(kcp_data_dir=tmp_path, kcp_identity_secret=SECRET)


@pytest.fixture
def events() -> RecordedEvents:
    return RecordedEvents()


@pytest_asyncio.fixture
async def client(settings: Settings, new_progress, graphql_app, events: RecordedEvents) -> AsyncIterator[Any]:
    await seed(settings, demo_data(), new_progress())
    async with graphql_app(create_app(settings, events=events), base_url="http://support") as api:
        yield api


@pytest.fixture
def count_queries(count_statements):
    """``with count_queries(table) as seen``: every SQL SELECT any engine runs that reads from ``table``."""
    return lambda table: count_statements(
        lambda statement, _parameters: f"FROM {table}" in statement, selects_only=True
    )


@pytest.fixture
def count_document_reads(count_statements):
    """``with count_document_reads(collection) as seen``: every read of one embedded document collection."""
    return lambda collection: count_statements(
        lambda statement, parameters: "FROM documents" in statement and collection in str(parameters),
        selects_only=True,
    )

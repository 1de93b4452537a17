"""Fixtures: an app seeded with the small dataset, in a data folder of its own per test."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio
from knowledge_support import small_demo

from subgraphs.knowledge.app import create_app
from subgraphs.knowledge.seed import seed

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from kcp.settings import Settings


@pytest.fixture
def serve(graphql_app):
    """``async with serve(settings) as api``: the knowledge app on ``settings``, started, with a client for it."""
    return lambda settings: graphql_app(create_app(settings), base_url="http://knowledge")


@pytest_asyncio.fixture
async def api(settings: Settings, new_progress, serve) -> AsyncIterator[Any]:
    await seed(settings, small_demo(), new_progress())
    async with serve(settings) as served:
        yield served
